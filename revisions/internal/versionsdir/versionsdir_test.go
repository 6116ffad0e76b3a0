package versionsdir

import (
	"path/filepath"
	"testing"
)

func TestDirPrefixIsJoin(t *testing.T) {
	for _, dir := range []string{"", ".", "./", "/", "a", "a/", "./a/../b", "/x/y/", "a//b"} {
		for _, name := range []string{"f.sql", ".f.py", "x"} {
			if got, want := dirPrefix(dir)+name, filepath.Join(dir, name); got != want {
				t.Errorf("dirPrefix(%q)+%q = %q, Join gives %q", dir, name, got, want)
			}
		}
	}
}
