package pgparse

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	p := New(t.TempDir())
	defer p.Close()
	tree, err := p.Parse("ALTER TABLE s.t ADD COLUMN c int NOT NULL DEFAULT 0; CREATE INDEX CONCURRENTLY i ON t (a)")
	if err != nil {
		t.Fatal(err)
	}
	if len(tree.Stmts) != 2 {
		t.Fatalf("%d statements", len(tree.Stmts))
	}
	alter := tree.Stmts[0].Node
	rel := alter.Field("relation")
	cmd := alter.List("cmds")[0]
	if alter.Type() != "AlterTableStmt" || rel.Str("schemaname") != "s" || rel.Str("relname") != "t" ||
		cmd.Str("subtype") != "AT_AddColumn" || cmd.Field("def").Str("colname") != "c" ||
		strings.Join(cmd.Field("def").Field("typeName").Strings("names"), ".") != "pg_catalog.int4" {
		t.Errorf("ALTER TABLE read as %+v", alter)
	}
	idx := tree.Stmts[1]
	if idx.Node.Type() != "IndexStmt" || !idx.Node.Bool("concurrent") || idx.Location != 52 {
		t.Errorf("CREATE INDEX read as %+v at %d", idx.Node, idx.Location)
	}
	_, err = p.Parse("SELECT 1;\nSELECT é FROM WHERE")
	var perr *Error
	if !errors.As(err, &perr) || perr.Position != 25 || perr.Message != `syntax error at or near "WHERE"` {
		t.Errorf("syntax error: %#v", err)
	}
	if _, err := p.Parse("SELECT 1\x00"); !errors.As(err, &perr) || perr.Position != 9 {
		t.Errorf("NUL: %#v", err)
	}
	// Nesting past the parser's stack is an error, and the parser goes on.
	if _, err := p.Parse("SELECT " + strings.Repeat("(", 200000)); err == nil {
		t.Error("no error for 200,000 parentheses")
	}
	if _, err := p.Parse("SELECT 1"); err != nil {
		t.Errorf("after the deep statement: %v", err)
	}
}

// New starts nothing: the cache directory appears with the first parse,
// and a second parser loads the compiled code from it.
func TestCompiledCodeIsCached(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	p := New(dir)
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("New created %s: %v", dir, err)
	}
	first, err := p.Start()
	if err != nil || first.CacheDir != dir || first.CacheErr != nil {
		t.Fatalf("first start: %+v, %v", first, err)
	}
	p.Close()
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("nothing cached in %s: %v", dir, err)
	}
	info, err := os.Stat(dir)
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("cache directory mode %v, %v", info.Mode(), err)
	}
	second := New(dir)
	defer second.Close()
	st, err := second.Start()
	if err != nil || st.CacheDir != dir || st.CacheErr != nil {
		t.Fatalf("second start: %+v, %v", st, err)
	}
	t.Logf("compiled in %v, loaded from the cache in %v", first.Took, st.Took)
	if _, err := second.Parse("SELECT 1"); err != nil {
		t.Fatal(err)
	}
}

// A cache that cannot be used is skipped: the grammar compiles in memory.
func TestUnusableCache(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	corrupt := t.TempDir()
	warm := New(corrupt)
	if _, err := warm.Start(); err != nil {
		t.Fatal(err)
	}
	warm.Close()
	filepath.WalkDir(corrupt, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.WriteFile(path, []byte("not machine code"), 0o600)
		}
		return nil
	})
	// A corrupt cache is emptied and filled again.
	p := New(corrupt)
	if _, err := p.Parse("SELECT 1"); err != nil {
		t.Fatal(err)
	}
	if st, _ := p.Start(); st.CacheErr != nil || st.CacheDir != corrupt {
		t.Errorf("a corrupt cache: %+v", st)
	}
	p.Close()
	// A cache directory that cannot be made is skipped.
	p = New(filepath.Join(file, "sub"))
	defer p.Close()
	if _, err := p.Parse("SELECT 1"); err != nil {
		t.Fatal(err)
	}
	if st, _ := p.Start(); st.CacheErr == nil || st.CacheDir != "" {
		t.Errorf("a cache under a file: %+v", st)
	}
}

// retort links no cgo parser: pg_query_go, whose types go-pgquery's own
// API returns, would build libpg_query with cgo and initialise it in every
// process.
func TestNoCgoParserLinked(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "retort").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/pganalyze/") || dep == "github.com/wasilibs/go-pgquery" {
			t.Errorf("retort links %s", dep)
		}
	}
}
