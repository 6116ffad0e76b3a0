package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// sizes are the terminal sizes the UI's tmux tests run at: the README's
// captures and the smallest it is designed for.
func sizes() [][2]int { return [][2]int{{120, 36}, {80, 24}} }

// eachSize runs f at each size, on the example with both branches partly
// applied, in a tmux of its own.
func eachSize(t *testing.T, args []string, f func(t *testing.T, s *tmuxSession, url, dir string)) {
	bin := buildRetort(t)
	for _, size := range sizes() {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			url, dir := dbaDatabase(t)
			s := startTmux(t, t.TempDir(), size[0], size[1], nil, append([]string{bin, "--dir", dir, "--db", url}, args...)...)
			s.waitText("pending", "lock free")
			s.settle()
			f(t, s, url, dir)
		})
	}
}

// TestTUIAuditEntry: a opens the audit log, whose rows name the database
// user; enter shows an entry with the SQL its file holds, said to be what
// ran; esc goes back, and esc closes.
func TestTUIAuditEntry(t *testing.T) {
	eachSize(t, nil, func(t *testing.T, s *tmuxSession, dbURL, dir string) {
		s.keys("a")
		scr := s.waitText("Audit log", "6 of 6 entries")
		if u := dbUser(t, dbURL); !strings.Contains(scr, " as "+u) {
			t.Errorf("the rows do not name the database user %s:\n%s", u, scr)
		}
		s.keys("Enter")
		s.waitText("SQL that ran: the upgrade section", "CREATE TABLE patrons")
		s.keys("Escape")
		s.waitText("6 of 6 entries")
		s.keys("Escape")
		s.waitFor("the view closed", func(scr string) bool { return !strings.Contains(scr, "Audit log") })
	})
}

// dbUser is the database user of url.
func dbUser(t *testing.T, dbURL string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if name := u.User.Username(); name != "" {
		return name
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var name string
	if err := conn.QueryRow(ctx, "SELECT current_user").Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestTUIBranchWords: with a version row on each branch, u on the revision
// where they part says in plain words why it cannot choose (not Alembic's
// "Ambiguous upgrade"), and d on circulation's row plans that branch alone,
// its title naming it.
func TestTUIBranchWords(t *testing.T) {
	eachSize(t, nil, func(t *testing.T, s *tmuxSession, url, dir string) {
		s.typeText("/9126")
		s.keys("Enter")
		s.settle()
		s.keys("u")
		scr := s.waitText("9126f322cb13 is below where the current")
		if strings.Contains(scr, "Ambiguous") {
			t.Errorf("the refusal quotes Alembic:\n%s", scr)
		}
		s.keys("Escape")
		s.settle()
		s.typeText("/5406")
		s.keys("Enter")
		s.settle()
		s.keys("d")
		s.waitText("Downgrade one step", "branch circulation", "downgrade 54067703")
		s.keys("Escape")
		s.settle()
		wantRows(t, url, circulationRow, catalogRow)
	})
}

// TestTUIStampBack: s on the revision where the branches part, a stamp
// back down, lists what it takes out of the version table and runs only
// once the id is typed.
func TestTUIStampBack(t *testing.T) {
	eachSize(t, nil, func(t *testing.T, s *tmuxSession, url, dir string) {
		s.typeText("/9126")
		s.keys("Enter")
		s.settle()
		s.keys("s")
		scr := s.waitText("to stamp:", "no longer count")
		id := "9126f322cb13"
		if !strings.Contains(scr, "Type "+id+" to stamp") {
			id = id[:8]
		}
		s.keys("Enter")
		s.waitText("first: nothing ran")
		wantRows(t, url, circulationRow, catalogRow)
		s.typeText(id)
		s.keys("Enter")
		s.waitText("step(s) committed")
		wantRows(t, url, "9126f322cb13")
	})
}

// TestTUIStatusDuringRun: while the second step of a two-step upgrade
// waits for a table another session holds, the status bar names the
// revision the first step reached.
func TestTUIStatusDuringRun(t *testing.T) {
	eachSize(t, nil, func(t *testing.T, s *tmuxSession, dbURL, dir string) {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		// 226fb0ba9c98's loans reference items: its CREATE TABLE waits.
		if _, err := conn.Exec(ctx, "BEGIN; LOCK TABLE items IN SHARE MODE"); err != nil {
			t.Fatal(err)
		}
		s.typeText("/226f")
		s.keys("Enter")
		s.settle()
		s.keys("U")
		s.waitText("Press enter (or y) to run")
		s.keys("Enter")
		s.waitFor("the status bar after the first step", func(scr string) bool {
			status := strings.SplitN(scr, "\n", 2)[0]
			return strings.Contains(scr, "step 2 of 2") && strings.Contains(status, "current "+circulationNext[:8])
		})
		if _, err := conn.Exec(ctx, "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
		s.waitText("step(s) committed")
		// 226fb0ba9c98 depends on catalog's row, which it makes redundant.
		wantRows(t, dbURL, "226fb0ba9c98")
	})
}

// TestTUIUnreachable: the UI opens on the files while the database does
// not answer, says so in the status bar, moves its cursor, and works once
// the server can be reached (here, once a forwarder to it listens on the
// URL's port).
func TestTUIUnreachable(t *testing.T) {
	bin := buildRetort(t)
	for _, size := range sizes() {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			real, dir := dbaDatabase(t)
			u, err := url.Parse(real)
			if err != nil {
				t.Fatal(err)
			}
			target := u.Host
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			port := l.Addr().String()
			l.Close() // nothing listens there until the forwarder does
			u.Host = port
			s := startTmux(t, t.TempDir(), size[0], size[1], nil, bin, "--dir", dir, "--db", u.String())
			s.waitText("database unreachable", "add the patron locale")
			s.keys("j")
			s.waitText("2/30")
			s.keys("u")
			s.waitText("unreachable: retrying")
			forward(t, port, target)
			s.waitFor("the database opened", func(scr string) bool {
				status := strings.SplitN(scr, "\n", 2)[0]
				return !strings.Contains(status, "unreachable") && strings.Contains(status, "lock free") && strings.Contains(status, "24 pending")
			})
		})
	}
}

// forward listens on addr and copies each connection to and from target,
// until the test ends.
func forward(t *testing.T, addr, target string) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				d, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer d.Close()
				go func() { _, _ = io.Copy(d, c) }()
				_, _ = io.Copy(c, d)
			}()
		}
	}()
}

// TestTUIMissingSQLite: a SQLite path that names no file is said in the
// status bar.
func TestTUIMissingSQLite(t *testing.T) {
	bin := buildRetort(t)
	lib, err := filepath.Abs(filepath.Join("..", "examples", "library"))
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range sizes() {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "mistyped.db")
			s := startTmux(t, t.TempDir(), size[0], size[1], nil, bin, "--dir", lib, "--db", "sqlite:"+path)
			s.waitFor("the missing file said", func(scr string) bool {
				status := strings.SplitN(scr, "\n", 2)[0]
				return strings.Contains(status, "mistyped.db") && (strings.Contains(status, "current base (no file yet)") ||
					strings.Contains(status, "current base (mistyped.db does not exist: a run will create it)")) &&
					strings.Contains(scr, "mistyped.db does not") // the log's line, cut at the pane's width
			})
		})
	}
}

// TestTUIASCII: with --ascii, the main screen, the help screen, the audit
// log and a plan are drawn in ASCII only.
func TestTUIASCII(t *testing.T) {
	eachSize(t, []string{"--ascii"}, func(t *testing.T, s *tmuxSession, url, dir string) {
		check := func(what string) {
			t.Helper()
			s.settle()
			for k, l := range strings.Split(s.screen(), "\n") {
				for _, r := range l {
					if r >= utf8.RuneSelf {
						t.Errorf("%s: %q on line %d: %q", what, r, k+1, l)
						return
					}
				}
			}
		}
		check("the main screen")
		s.keys("?")
		check("the help screen")
		s.keys("Escape")
		s.keys("a")
		s.waitText("Audit log")
		check("the audit log")
		s.keys("Enter")
		check("an audit entry")
		s.keys("Escape")
		s.keys("Escape")
		s.settle()
		s.keys("D")
		s.waitText("to downgrade")
		check("a downgrade plan")
	})
}
