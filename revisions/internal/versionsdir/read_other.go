//go:build !linux

package versionsdir

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// dirReader reads the files of one versions directory.
type dirReader struct{ path string }

func openDirReader(dir string) dirReader { return dirReader{path: dir} }

func (d dirReader) close() {}

// read reads the whole file name into *buf, growing it as needed. It opens
// the file with O_NONBLOCK, so that a FIFO does not wait for a writer, and
// checks what it opened (after symlinks) before reading from it.
func (d dirReader) read(name string, buf *[]byte) ([]byte, error) {
	f, err := os.OpenFile(filepath.Join(d.path, name), os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := checkFile(fi.Mode(), fi.Size()); err != nil {
		return nil, err
	}
	return readInto(buf, fi.Size(), func(p []byte) (int, error) {
		n, err := f.Read(p)
		if err == io.EOF {
			err = nil
		}
		return n, err
	})
}
