package pyread

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"
)

// pyFuzzSeedFiles are the real revision files the fuzzer starts from: every
// .py file of the pyforms and of a few conformance cases.
func pyFuzzSeedFiles(f *testing.F) []string {
	var files []string
	for _, pattern := range []string{
		filepath.Join(pyFormsDir, "alembic", "*.py"),
		filepath.Join(pyFormsDir, "alembic", "versions", "*.py"),
		"../../../testdata/conformance/h0*/alembic/versions/*.py",
		"../../../testdata/conformance/s0001_*/alembic/versions/*.py",
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
		file := Read(src)
		for k, e := range file.Errors {
			if e.Line < 0 || e.Err == nil || (k > 0 && e.Line < file.Errors[k-1].Line) {
				t.Fatalf("malformed or unsorted error %#v in %v", e, file.Errors)
			}
		}
		id := file.Values[Revision]
		if len(file.Errors) == 0 && (len(id.Items) != 1 || id.Line < 1 || !file.Values[DownRevision].Set) {
			t.Fatalf("no error, but an incomplete file %+v", file.Values)
		}
		for _, v := range file.Values {
			for _, s := range v.Items {
				if s == "" || !utf8.ValidString(s) {
					t.Fatalf("an empty or invalid identifier %q in %+v", s, file.Values)
				}
			}
		}
		if again := Read(src); !reflect.DeepEqual(file, again) {
			t.Fatalf("a second read differs: %+v / %+v", file, again)
		}
	})
}
