package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"retort/cli/settings"

	"github.com/BurntSushi/toml"

	"retort/visible"
)

func TestConfigCommand(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "retort.toml"), []byte("dirs = [\"sql\", \"more\"]\nlock_timeout = \"1m30s\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	venv := filepath.Join(dir, "env")
	writeFiles(t, venv, map[string]string{"bin/python": ""})
	env := map[string]string{"DATABASE_URL": "postgresql://app:s3cr%40t@db.example/app?sslmode=require", "EDITOR": "ed",
		"VIRTUAL_ENV": venv, "FLASK_APP": "app:create_app"}
	out, errOut, code := retortIn(t, dir, env, "config", "--no-audit")
	if code != 0 {
		t.Fatal(errOut)
	}
	if strings.Contains(out, "s3cr") {
		t.Errorf("password shown:\n%s", out)
	}
	toml := filepath.Join(cwd(t), "retort.toml")
	want := []*regexp.Regexp{
		regexp.MustCompile(`(?m)^dirs = \["sql", "more"\] +# ` + regexp.QuoteMeta(toml) + `$`),
		regexp.MustCompile(`(?m)^db = "postgresql://app:xxxxx@db.example/app\?sslmode=require" +# environment DATABASE_URL$`),
		regexp.MustCompile(`(?m)^python = "` + regexp.QuoteMeta(filepath.Join(venv, "bin", "python")) + `" +# environment VIRTUAL_ENV$`),
		regexp.MustCompile(`(?m)^app = "app:create_app" +# environment FLASK_APP$`),
		regexp.MustCompile(`(?m)^version_table = "alembic_version" +# default$`),
		regexp.MustCompile(`(?m)^version_schema = "" +# default$`),
		regexp.MustCompile(`(?m)^lock_timeout = "1m30s" +# ` + regexp.QuoteMeta(toml) + `$`),
		regexp.MustCompile(`(?m)^audit = false +# flag --no-audit$`),
		regexp.MustCompile(`(?m)^ascii = false +# default$`),
		regexp.MustCompile(`(?m)^editor = "ed" +# environment EDITOR$`),
	}
	if n := strings.Count(out, "\n"); n != len(want) {
		t.Errorf("%d lines, want %d:\n%s", n, len(want), out)
	}
	for _, re := range want {
		if !re.MatchString(out) {
			t.Errorf("config output lacks %s:\n%s", re, out)
		}
	}

	out, _, code = retortIn(t, dir, env, "config", "--json")
	if code != 0 {
		t.Fatal(out)
	}
	var got map[string]configEntry
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if e := got["db"]; e.Value != "postgresql://app:xxxxx@db.example/app?sslmode=require" || e.Source != "environment DATABASE_URL" {
		t.Errorf("db: %+v", e)
	}
	if e := got["dirs"]; len(e.Value.([]any)) != 2 || e.Source != toml {
		t.Errorf("dirs: %+v", e)
	}
	if e := got["audit"]; e.Value != true || e.Source != "default" {
		t.Errorf("audit: %+v", e)
	}
	if len(got) != len(settings.Keys) {
		t.Errorf("%d settings in JSON, want %d", len(got), len(settings.Keys))
	}
}

func TestConfigErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "retort.toml"), []byte("dirs = \"sql\"\ndatbase = \"x\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := retortIn(t, dir, nil, "heads")
	if code != 1 || !strings.HasPrefix(errOut, "FAILED: retort.toml:2: unknown key \"datbase\"") {
		t.Errorf("%d %q", code, errOut)
	}
}

// config prints values, and init writes dirs, as TOML strings that read back
// as they were and carry no control character raw.
func TestTOMLQuoteReadsBack(t *testing.T) {
	for _, s := range []string{"plain", `a"b\c`, "esc \x1b[2J bel \a tab \t nl \n del \x7f", "\u202e \u2066 \U000E0041", "é ✓"} {
		q := tomlQuote(s)
		var v struct {
			V string `toml:"v"`
		}
		if _, err := toml.Decode("v = "+q, &v); err != nil || v.V != s {
			t.Errorf("tomlQuote(%q) = %s, which reads back as %q (%v)", s, q, v.V, err)
		}
		if strings.ContainsFunc(q, visible.Control) {
			t.Errorf("tomlQuote(%q) = %q holds a control character", s, q)
		}
	}
}
