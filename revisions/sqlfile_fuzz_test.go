package revisions

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseSQL feeds arbitrary bytes to the `.sql` reader: it must never
// panic, every problem must come back as a *FileError naming the file, and
// a revision along with an error has an id and is marked with the error.
func FuzzParseSQL(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(conformanceDir, "h0*", "sql", "*.sql"))
	for _, s := range seeds {
		if src, err := os.ReadFile(s); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("-- Revision ID: a\r\n-- Revises: b, c\r\n\r\n-- +upgrade\r\nSELECT 1;\r\n-- +downgrade\r\n"))
	f.Add([]byte("-- Revision ID: a\n-- Transaction: none\n-- Branch Labels: x@y\n\nSELECT 1;\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		rev, err := ParseSQL("f.sql", src)
		if err == nil {
			if rev == nil || rev.ID == "" || !rev.Upgrade.Present {
				t.Fatalf("accepted without an id or an upgrade section: %+v", rev)
			}
			if CheckRevisionID(rev.ID) != nil {
				t.Fatalf("accepted a bad id %q", rev.ID)
			}
			return
		}
		if rev != nil && (rev.ID == "" || rev.Problem != err) {
			t.Fatalf("a revision along with the error, but without an id or marked otherwise: %+v", rev)
		}
		fes := fileErrors(err)
		if len(fes) == 0 {
			t.Fatalf("error is not a FileError: %v", err)
		}
		for _, fe := range fes {
			var target *FileError
			if !errors.As(fe, &target) || fe.Path != "f.sql" {
				t.Fatalf("error does not name the file: %v", fe)
			}
		}
	})
}
