package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestUnknownVersionRowIsReported(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "t.db")
	if _, errOut, code := runCLI(t, "--dir", h01, "--db", url, "stamp", "y000"); code != 0 {
		t.Fatal(errOut)
	}
	// The same database seen through a directory that lacks y000.
	other := "../testdata/conformance/h02_effective_head/sql"
	_, errOut, code := runCLI(t, "--dir", other, "--db", url, "current")
	if code == 0 || !strings.Contains(errOut, "FAILED: Can't locate revision identified by 'y000'") ||
		!strings.Contains(errOut, "the version table holds y000, which no revision file") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
