//go:build !linux

package revisions

import (
	"io"
	"os"
	"path/filepath"
)

// dirReader reads the files of one versions directory.
type dirReader struct{ path string }

func openDirReader(dir string) dirReader { return dirReader{path: dir} }

func (d dirReader) close() {}

// read reads the whole file name into *buf, growing it as needed.
func (d dirReader) read(name string, buf *[]byte) ([]byte, error) {
	f, err := os.Open(filepath.Join(d.path, name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := (*buf)[:0]
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			*buf = b
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
