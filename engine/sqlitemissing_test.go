package engine

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestReadingMissingSQLiteCreatesNothing: every read on a SQLite path that
// does not exist (a mistyped path) reports an empty database and leaves no
// file, no lock file; the first write creates the file.
func TestReadingMissingSQLiteCreatesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "typo.db")
	db := open(t, "sqlite:"+path)
	if rows, err := db.Current(ctx); err != nil || rows != nil {
		t.Errorf("Current = %v, %v; want no rows", rows, err)
	}
	if rows, exists, err := db.VersionRows(ctx); err != nil || rows != nil || exists {
		t.Errorf("VersionRows = %v, %v, %v; want no rows, no table", rows, exists, err)
	}
	if log, err := db.Log(ctx, 0); err != nil || len(log) != 0 {
		t.Errorf("Log = %v, %v; want nothing", log, err)
	}
	if d, err := db.Drift(ctx, graphOf(t, chain(1, nil))); err != nil || len(d) != 0 {
		t.Errorf("Drift = %v, %v; want nothing", d, err)
	}
	if h, err := db.LockHolder(ctx); err != nil || h != "" {
		t.Errorf("LockHolder = %q, %v; want free", h, err)
	}
	if left := dirEntries(t, dir); len(left) != 0 {
		t.Fatalf("reads left files behind: %v", left)
	}
	if err := db.Apply(ctx, upgradeChain(chain(1, nil), -1, 0), nil); err != nil {
		t.Fatal(err)
	}
	if rows, err := db.Current(ctx); err != nil || !slices.Equal(rows, []string{"r000"}) {
		t.Errorf("Current after the first write = %v, %v; want [r000]", rows, err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the first write did not create the database: %v", err)
	}
}

// TestSQLiteCreatedByAnotherProcess: a DB opened on a missing file sees the
// file once someone else creates it.
func TestSQLiteCreatedByAnotherProcess(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "later.db")
	db := open(t, "sqlite:"+path)
	if rows, err := db.Current(ctx); err != nil || rows != nil {
		t.Fatalf("Current = %v, %v; want no rows", rows, err)
	}
	other := open(t, "sqlite:"+path)
	if err := other.Apply(ctx, upgradeChain(chain(1, nil), -1, 0), nil); err != nil {
		t.Fatal(err)
	}
	if rows, err := db.Current(ctx); err != nil || !slices.Equal(rows, []string{"r000"}) {
		t.Errorf("Current = %v, %v; want [r000]", rows, err)
	}
}

func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}
