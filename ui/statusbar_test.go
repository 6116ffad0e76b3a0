package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"retort/ui/theme"
)

// wideNames are directory and file names wider than their rune count: CJK,
// emoji (some with a variation selector or a joiner), and mixed.
var wideNames = []string{
	"数据库数据库数据库数据库",
	"🗄️📦🗃️📦🗄️📦",
	"👩‍💻db👩‍💻db👩‍💻",
	"mixed_数据_base_库",
}

// The status line measures a database name in columns, not runes: a path
// of wide characters neither panics nor overflows, at any width, and the
// counts and the lock stay whole wherever they fit.
func TestStatusLineWideDatabaseNames(t *testing.T) {
	for _, ascii := range []bool{false, true} {
		st := theme.New(ascii)
		sep := st.Sym(" · ", " | ")
		for _, name := range wideNames {
			for _, db := range []string{
				"sqlite:/tmp/TestStatusLine1234/001/" + name + "/app.db",
				"sqlite:/tmp/TestStatusLine1234/001/" + name + ".db",
				"sqlite:" + name,
				"postgres://db.example.com/" + name,
			} {
				for _, lock := range []string{"lock free", "lock held by pid 4711 app=retort since 16:01"} {
					p := statusParts{
						db:      db,
						current: []currentRow{{id: "c8c5115d28d0", labels: "circulation"}, {id: "数据库数据库数据库", labels: "库"}},
						counts:  []string{"2 heads", "15 pending"},
						lock:    lock,
					}
					need := ansi.StringWidth(" " + strings.Join(append(append([]string(nil), p.counts...), lock), sep))
					for w := 1; w <= 200; w++ {
						got := func() (s string) {
							defer func() {
								if r := recover(); r != nil {
									t.Fatalf("%q at %d columns: panic %v", db, w, r)
								}
							}()
							return statusText(st, p, w)
						}()
						if n := ansi.StringWidth(got); n > w {
							t.Errorf("%q at %d columns: the line is %d wide: %q", db, w, n, got)
						}
						if w < need {
							continue
						}
						for _, s := range p.counts {
							if !strings.Contains(got, s) {
								t.Errorf("%q at %d columns (%d needed): %q is missing from %q", db, w, need, s, got)
							}
						}
						// Who holds the lock may be cut to leave the
						// current revision room (TestStatusLineDegrades);
						// that it is held may not.
						if !strings.Contains(got, lock) && !strings.Contains(got, "lock held by") {
							t.Errorf("%q at %d columns (%d needed): the lock state is missing from %q", db, w, need, got)
						}
					}
				}
			}
		}
	}
}

// The whole screen with a SQLite database in a directory of wide
// characters, at every width up to 200: no panic, the status line exactly
// the width, its counts and lock visible.
func TestStatusBarWideSQLitePath(t *testing.T) {
	for _, name := range wideNames[:2] {
		dir := filepath.Join(t.TempDir(), name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		db := openDB(t, "sqlite:"+filepath.Join(dir, "app.db"))
		d := newDriver(t, Config{Dirs: []string{fixture("linear")}, DB: db}, 200, 30)
		d.update(lockMsg{})
		tail := " 1 head · 4 pending · lock free"
		for w := 1; w <= 200; w++ {
			d.update(tea.WindowSizeMsg{Width: w, Height: 30})
			var view string
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("%s at %d columns: panic %v", name, w, r)
					}
				}()
				view = d.m.View()
			}()
			if w < minWidth {
				continue
			}
			status, _, _ := strings.Cut(view, "\n")
			if n := ansi.StringWidth(status); n != w {
				t.Errorf("%s at %d columns: the status line is %d wide: %q", name, w, n, status)
			}
			if w > ansi.StringWidth(tail) {
				for _, s := range []string{"1 head", "4 pending", "lock free"} {
					if !strings.Contains(status, s) {
						t.Errorf("%s at %d columns: %q is missing from %q", name, w, s, status)
					}
				}
			}
		}
	}
}
