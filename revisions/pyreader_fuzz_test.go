package revisions

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

// pyFuzzSeedFiles are the real revision files the fuzzer starts from: every
// .py file of the pyforms and of a few conformance cases.
func pyFuzzSeedFiles(f *testing.F) []string {
	var files []string
	for _, pattern := range []string{
		filepath.Join(pyFormsDir, "alembic", "*.py"),
		filepath.Join(pyFormsDir, "alembic", "versions", "*.py"),
		"../testdata/conformance/h0*/alembic/versions/*.py",
		"../testdata/conformance/s0001_*/alembic/versions/*.py",
	} {
		m, err := filepath.Glob(pattern)
		if err != nil || len(m) == 0 {
			f.Fatalf("no seed files match %s (%v)", pattern, err)
		}
		files = append(files, m...)
	}
	return files
}

// Hand-written seeds for the corners of the tokenizer.
var pyFuzzSeeds = []string{
	"revision = 'a'\ndown_revision = ('b',\n  'c',  # x\n)\n",
	"\"\"\"T\\N{DIGIT ONE}\\x41\n\nCreate Date: now\"\"\"\nrevision: str = u'a' r'\\b'\ndown_revision = None\n",
	"revision = 'a'\ndown_revision = None\ntry:\n    depends_on += ['x']\nexcept ImportError:\n    pass\n",
	"x = f\"{d[\"k\"]:{w}} {'}'}\"\nrevision = \\\n 'a'; down_revision = b'x',\n",
	"revision = 'a\ndown_revision = ''' \n",
	"if x: revision = 'a'\nelse:\n\tdel depends_on\nrevision = 'b'\ndown_revision = [\n",
	"\ufeff# -*- coding: latin-1 -*-\r\nrevision = 'a'\r\ndown_revision = None\r\n",
}

func FuzzParsePython(f *testing.F) {
	for _, path := range pyFuzzSeedFiles(f) {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, s := range pyFuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		const path = "versions/fuzz.py"
		rev, err := ParsePython(path, src)
		if err != nil {
			errs, ok := pyFileErrors(err)
			if !ok {
				t.Fatalf("error %T %v is not a *FileError nor a join of them", err, err)
			}
			for _, fe := range errs {
				if fe.Path != path || fe.Line < 0 || fe.Err == nil {
					t.Fatalf("malformed error %#v", fe)
				}
			}
			if rev != nil {
				t.Fatalf("a revision along with an error: %+v", rev)
			}
			return
		}
		sum := sha256.Sum256(src)
		if rev == nil || rev.ID == "" || rev.Line < 1 || rev.Path != path || rev.Checksum != hex.EncodeToString(sum[:]) {
			t.Fatalf("incomplete revision %+v", rev)
		}
		if err := CheckRevisionID(rev.ID); err != nil {
			t.Fatalf("accepted a bad id: %v", err)
		}
		for _, list := range [][]string{rev.Parents, rev.BranchLabels, rev.DependsOn} {
			if slices.Contains(list, "") {
				t.Fatalf("an empty identifier in %+v", rev)
			}
		}
		again, err := ParsePython(path, src)
		if err != nil || !reflect.DeepEqual(rev, again) {
			t.Fatalf("a second read differs: %+v / %v", again, err)
		}
	})
}
