//go:build linux

package revisions

import (
	"os"
	"path/filepath"
	"syscall"
)

// dirReader reads the files of one versions directory. It opens each file
// relative to the directory (openat, which package syscall has on Linux
// only: readfile_other.go is the portable version), so that the kernel
// resolves one name instead of the whole path, and it uses the system calls
// directly: os.Open also registers every file with the runtime's poller (two
// more system calls that fail for a regular file). On a history of ten
// thousand files, opening them is most of the time a load takes.
type dirReader struct {
	fd   int // -1 when the directory could not be opened: full paths then
	path string
}

func openDirReader(dir string) dirReader {
	fd, err := retryEINTR(func() (int, error) {
		return syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	})
	if err != nil {
		fd = -1
	}
	return dirReader{fd: fd, path: dir}
}

func (d dirReader) close() {
	if d.fd >= 0 {
		syscall.Close(d.fd)
	}
}

// read reads the whole file name into *buf, growing it as needed.
func (d dirReader) read(name string, buf *[]byte) ([]byte, error) {
	fd, err := retryEINTR(func() (int, error) {
		if d.fd < 0 {
			return syscall.Open(filepath.Join(d.path, name), syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		}
		return syscall.Openat(d.fd, name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	})
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	b := (*buf)[:0]
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := retryEINTR(func() (int, error) { return syscall.Read(fd, b[len(b):cap(b)]) })
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			*buf = b
			return b, nil
		}
		b = b[:len(b)+n]
	}
}

func retryEINTR(call func() (int, error)) (int, error) {
	for {
		n, err := call()
		if err != syscall.EINTR {
			return n, err
		}
	}
}
