package cli

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"retort/engine/pgtest"
)

// withPassword is the test database's URL with a password written in it as
// given, unencoded (the test server trusts local connections, so any
// password connects).
func withPassword(t *testing.T, base, password string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return u.Scheme + "://" + u.User.Username() + ":" + password + "@" + u.Host + u.Path + "?" + u.RawQuery
}

// A password is never shown, whatever characters it holds unencoded
// (pgx accepts '#' and '?' there, and retort must mask them before
// anything parses the URL): not by config, current -v, current --json,
// nor in the error of a connection that fails or of a URL that does not
// parse.
func TestPasswordsNeverShown(t *testing.T) {
	base := pgtest.NewDatabase(t)
	dir := t.TempDir()
	for _, pw := range []string{"pa#ss1secret", "pa?ss2secret", "pa ss3secret", "p@ss4secret", "pa/ss5secret", "p:ss6secret", "pa%23ss7secret"} {
		good := withPassword(t, base, pw)
		dead := strings.Replace(good, "@127.0.0.1:", "@127.0.0.1:1", 1) // no server on port 1xxxx
		runs := [][]string{
			{"--dir", dir, "--db", good, "config"},
			{"--dir", dir, "--db", good, "current", "-v"},
			{"--dir", dir, "--db", good, "current", "--json"},
			{"--dir", dir, "--db", dead, "current"},
			{"--dir", dir, "--db", dead, "upgrade", "heads"},
		}
		for k, args := range runs {
			out, errOut, code := runCLI(t, args...)
			// The URLs pgx reads connect (the server trusts loopback): the
			// outputs that show the database were made.
			if k > 0 && k < 3 && accepted(pw) && code != 0 {
				t.Errorf("password %q: %v failed (exit %d): %s", pw, args[4:], code, errOut)
			}
			if k >= 3 && code == 0 {
				t.Errorf("password %q: %v succeeded on a dead port", pw, args[4:])
			}
			for _, leak := range leaks(pw) {
				if strings.Contains(out, leak) || strings.Contains(errOut, leak) {
					t.Errorf("password %q: %v shows %q (exit %d):\nstdout %s\nstderr %s", pw, args[4:], leak, code, out, errOut)
				}
			}
		}
	}
}

// accepted: pgx reads a URL with this password as meant.
func accepted(pw string) bool { return !strings.ContainsAny(pw, " @/") }

// leaks are the parts of a password that must never be printed: each
// piece of it at least four characters long, as written and decoded.
func leaks(pw string) []string {
	var out []string
	add := func(s string) {
		if len(s) >= 4 {
			out = append(out, s)
		}
	}
	for _, form := range []string{pw, must(url.PathUnescape(pw))} {
		add(form)
		for _, piece := range strings.FieldsFunc(form, func(r rune) bool { return strings.ContainsRune("#? @/:%", r) }) {
			add(piece)
		}
	}
	return out
}

func must(s string, err error) string {
	if err != nil {
		return ""
	}
	return s
}

// As with psql, what the URL leaves out comes from the PG* variables
// (PGHOST, PGPORT, PGUSER, PGPASSWORD, ...) and ~/.pgpass, through pgx: a
// URL with only a database name connects, and the password given in
// PGPASSWORD is shown nowhere.
func TestPGVariables(t *testing.T) {
	base, err := url.Parse(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(base.Host, ":")
	t.Setenv("PGHOST", host)
	t.Setenv("PGPORT", port)
	t.Setenv("PGUSER", base.User.Username())
	t.Setenv("PGPASSWORD", "from-the-environment")
	t.Setenv("PGSSLMODE", "disable")
	out, errOut, code := runCLI(t, "--dir", t.TempDir(), "--db", "postgres://"+base.Path, "current", "-v")
	if code != 0 {
		t.Fatalf("current -v with PG* variables: exit %d: %s", code, errOut)
	}
	if strings.Contains(out+errOut, "from-the-environment") {
		t.Errorf("the password from PGPASSWORD is shown:\n%s%s", out, errOut)
	}
}

// An editor named in a project's retort.toml is ignored, with a warning on
// stderr naming the file: `e` runs the user's own editor.
func TestProjectEditorIsIgnored(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"retort.toml": "dirs = \"migrations\"\neditor = \"touch pwned\"\n"})
	t.Chdir(dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "nothing-here"))
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", "ed")
	out, errOut, code := runCLI(t, "config")
	if code != 0 || !strings.Contains(errOut, "retort.toml: editor is ignored") || !strings.Contains(out, `editor = "ed"`) || strings.Contains(out, "pwned") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
}
