//go:build linux

package versionsdir

import (
	"io/fs"
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

// read reads the whole file name into *buf, growing it as needed. It opens
// the file with O_NONBLOCK, so that a FIFO does not wait for a writer, and
// checks what it opened (fstat, after symlinks) before reading from it.
func (d dirReader) read(name string, buf *[]byte) ([]byte, error) {
	const flags = syscall.O_RDONLY | syscall.O_CLOEXEC | syscall.O_NONBLOCK
	fd, err := retryEINTR(func() (int, error) {
		if d.fd < 0 {
			return syscall.Open(filepath.Join(d.path, name), flags, 0)
		}
		return syscall.Openat(d.fd, name, flags, 0)
	})
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if _, err := retryEINTR(func() (int, error) { return 0, syscall.Fstat(fd, &st) }); err != nil {
		return nil, &os.PathError{Op: "stat", Path: name, Err: err}
	}
	if err := checkFile(fileMode(st.Mode), st.Size); err != nil {
		return nil, err
	}
	b, err := readInto(buf, st.Size, func(p []byte) (int, error) {
		return retryEINTR(func() (int, error) { return syscall.Read(fd, p) })
	})
	if err != nil {
		return nil, &os.PathError{Op: "read", Path: name, Err: err}
	}
	return b, nil
}

// fileMode is the type part of a stat mode, as fs.FileMode bits.
func fileMode(mode uint32) fs.FileMode {
	switch mode & syscall.S_IFMT {
	case syscall.S_IFREG:
		return 0
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	}
	return fs.ModeIrregular
}

func retryEINTR(call func() (int, error)) (int, error) {
	for {
		n, err := call()
		if err != syscall.EINTR {
			return n, err
		}
	}
}
