package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"retort/engine"
	"retort/engine/pgtest"
	"retort/revisions"
)

// The example's revisions the DBA tasks use: the current row of each
// branch, the step after circulation's, and the head.
const (
	catalogRow      = "7563ba6d7561"
	circulationRow  = "540677030265"
	circulationNext = "12cda8067623"
	exampleHead     = "dd2e9516bcc5"
)

// maxTaskKeys is the most keys a DBA task may take (issue 12's goal).
const maxTaskKeys = 15

// dbaTask is a row of the README's DBA tasks table.
type dbaTask struct {
	name string
	// groups are the keys as the README writes them: key names (enter,
	// space) and text typed as written.
	groups []string
}

// keyNames are the keys the table names; anything else is typed.
func keyNames() map[string]string {
	return map[string]string{"enter": "Enter", "esc": "Escape", "space": "Space", "tab": "Tab"}
}

// keyCount is how many keys the groups take.
func (d dbaTask) keyCount() int {
	n := 0
	for _, g := range d.groups {
		if _, ok := keyNames()[g]; ok {
			n++
		} else {
			n += len([]rune(g))
		}
	}
	return n
}

// readmeDBATasks reads the README's DBA tasks table.
func readmeDBATasks(t *testing.T) []dbaTask {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "### DBA tasks")
	if start < 0 {
		t.Fatal("the README has no DBA tasks section")
	}
	text = text[start:]
	if end := strings.Index(text[3:], "\n#"); end >= 0 {
		text = text[:end+3]
	}
	span := regexp.MustCompile("`([^`]+)`")
	var tasks []dbaTask
	for _, line := range strings.Split(text, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || strings.TrimSpace(cells[1]) == "Task" || strings.HasPrefix(strings.TrimSpace(cells[1]), "---") {
			continue
		}
		task := dbaTask{name: strings.TrimSpace(cells[1])}
		for _, m := range span.FindAllStringSubmatch(cells[2], -1) {
			task.groups = append(task.groups, m[1])
		}
		tasks = append(tasks, task)
	}
	return tasks
}

// dbaSetup is the database a task starts from, beyond both branches partly
// applied; check reads its outcome.
type dbaCase struct {
	setup func(t *testing.T, url, dir string)
	check func(t *testing.T, s *tmuxSession, url, dir string)
}

// dbaCases are the README's tasks by name.
func dbaCases() map[string]dbaCase {
	return map[string]dbaCase{
		"Find what is applied": {check: func(t *testing.T, s *tmuxSession, url, dir string) {
			scr := s.screen()
			if l := cursorLine(scr); !strings.Contains(l, circulationRow[:8]) || !strings.Contains(l, "current") {
				t.Errorf("the cursor is not on the first version row, marked current: %q\n%s", l, scr)
			}
			// At 80 columns the status bar names the first row and how
			// many others there are.
			status := strings.SplitN(scr, "\n", 2)[0]
			if !strings.Contains(status, "current "+circulationRow[:8]) || !strings.Contains(status, catalogRow[:8]) && !strings.Contains(status, "+1") {
				t.Errorf("the status bar does not name the version rows: %q", status)
			}
		}},
		"Find the branch of a revision": {check: func(t *testing.T, s *tmuxSession, url, dir string) {
			scr := s.screen()
			if l := cursorLine(scr); !strings.Contains(l, circulationRow[:8]) || !strings.Contains(l, "circ") {
				t.Errorf("the cursor's row does not show the branch: %q\n%s", l, scr)
			}
			if !strings.Contains(scr, "labels    circulation") {
				t.Errorf("the Detail pane does not name the branch:\n%s", scr)
			}
		}},
		"Upgrade one step on one branch": {check: func(t *testing.T, s *tmuxSession, url, dir string) {
			s.waitText("step(s) committed")
			wantRows(t, url, circulationNext, catalogRow)
		}},
		"Downgrade one branch to a revision, with confirmation": {
			setup: func(t *testing.T, url, dir string) { upgradeDB(t, url, dir, circulationNext) },
			check: func(t *testing.T, s *tmuxSession, url, dir string) {
				s.waitText("step(s) committed")
				wantRows(t, url, circulationRow, catalogRow)
			}},
		"Stamp after a manual fix": {
			setup: func(t *testing.T, url, dir string) { runByHand(t, url, dir, circulationNext) },
			check: func(t *testing.T, s *tmuxSession, url, dir string) {
				s.waitText("step(s) committed")
				wantRows(t, url, circulationNext, catalogRow)
			}},
		"Start a branch and merge two heads": {check: func(t *testing.T, s *tmuxSession, url, dir string) {
			var g *revisionsGraph
			s.waitFor("the merge written", func(string) bool {
				g = loadGraph(t, dir)
				return g.revs == 32 && len(g.heads) == 1
			})
			parents := g.parents[g.heads[0]]
			if len(parents) != 2 || !slices.Contains(parents, exampleHead) {
				t.Fatalf("the head %s merges %v, want %s and the new branch", g.heads[0], parents, exampleHead)
			}
			other := parents[0]
			if other == exampleHead {
				other = parents[1]
			}
			if p := g.parents[other]; !slices.Equal(p, []string{circulationRow}) {
				t.Fatalf("the new branch's revision %s revises %v, want %s", other, p, circulationRow)
			}
		}},
		"Read who did what yesterday": {
			setup: func(t *testing.T, url, dir string) {
				sqlExec(t, url, "UPDATE retort_log SET started_at = started_at - interval '1 day', finished_at = finished_at - interval '1 day' WHERE revision = '"+circulationRow+"'")
			},
			check: func(t *testing.T, s *tmuxSession, url, dir string) {
				scr := s.waitText("1 of ")
				user := os.Getenv("USER")
				var row string
				for _, l := range strings.Split(scr, "\n") {
					if strings.Contains(l, "upgrade") && strings.Contains(l, circulationRow[:8]) {
						row = l
					}
				}
				if row == "" || !strings.Contains(row, "ok") || user != "" && !strings.Contains(row, user) {
					t.Errorf("the audit log does not show yesterday's step with who ran it:\n%s", scr)
				}
			}},
	}
}

// TestDBATasks replays each row of the README's DBA tasks table in tmux,
// at 120x36 and 80x24, on the example against PostgreSQL, and checks what
// it did; each takes at most maxTaskKeys keys.
func TestDBATasks(t *testing.T) {
	bin := buildRetort(t)
	tasks := readmeDBATasks(t)
	cases := dbaCases()
	if len(tasks) != len(cases) {
		t.Fatalf("the README lists %d DBA tasks, the test knows %d", len(tasks), len(cases))
	}
	for _, size := range [][2]int{{120, 36}, {80, 24}} {
		for _, task := range tasks {
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], task.name), func(t *testing.T) {
				c, ok := cases[task.name]
				if !ok {
					t.Fatalf("no check for the README's task %q", task.name)
				}
				if n := task.keyCount(); n > maxTaskKeys || n == 0 {
					t.Fatalf("%q takes %d keys (%q), want 1 to %d", task.name, n, task.groups, maxTaskKeys)
				}
				url, dir := dbaDatabase(t)
				if c.setup != nil {
					c.setup(t, url, dir)
				}
				s := startTmux(t, t.TempDir(), size[0], size[1], nil, bin, "--dir", dir, "--db", url)
				s.waitText("pending", "lock free")
				s.settle()
				for _, g := range task.groups {
					if k, ok := keyNames()[g]; ok {
						s.keys(k)
					} else {
						s.typeText(g)
					}
					s.settle()
				}
				c.check(t, s, url, dir)
			})
		}
	}
}

// dbaDatabase is a fresh PostgreSQL database with both branches of a copy of
// the example partly applied, and the copy's directory.
func dbaDatabase(t *testing.T) (string, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "library")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "examples", "library"))); err != nil {
		t.Fatal(err)
	}
	url := pgtest.NewDatabase(t)
	upgradeDB(t, url, dir, catalogRow)
	upgradeDB(t, url, dir, circulationRow)
	return url, dir
}

// upgradeDB upgrades the database to target with the engine.
func upgradeDB(t *testing.T, url, dir, target string) {
	t.Helper()
	ctx := context.Background()
	g, err := revisions.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	db, err := engine.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := revisions.Upgrade(g, rows, target)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Apply(ctx, plan, nil); err != nil {
		t.Fatal(err)
	}
}

// runByHand runs a revision's upgrade SQL outside retort, as a DBA fixing
// something by hand would: the version table does not know.
func runByHand(t *testing.T, url, dir, id string) {
	t.Helper()
	g, err := revisions.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	sqlExec(t, url, g.Revisions[g.Index[id]].Upgrade.SQL)
}

// sqlExec runs SQL on url through a connection of its own.
func sqlExec(t *testing.T, url, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatal(err)
	}
}

// revisionsGraph is what a test reads of a versions directory.
type revisionsGraph struct {
	revs    int
	heads   []string
	parents map[string][]string
}

func loadGraph(t *testing.T, dir string) *revisionsGraph {
	t.Helper()
	g, err := revisions.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := &revisionsGraph{revs: g.Len(), heads: g.IDs(g.Heads), parents: map[string][]string{}}
	for _, r := range g.Revisions {
		out.parents[r.ID] = r.Parents
	}
	return out
}

// cursorLine is the screen's line of the History cursor (▶ or >).
func cursorLine(scr string) string {
	for _, l := range strings.Split(scr, "\n") {
		if strings.Contains(l, "▶") || strings.HasPrefix(l, "#>") || strings.HasPrefix(l, "|>") {
			return l
		}
	}
	return ""
}

// settle waits until the screen has not changed for a while: the answer
// to the last key is drawn (a plan computed, a file written and read
// again), as a user would see it before typing on.
func (s *tmuxSession) settle() {
	s.t.Helper()
	const still = 500 * time.Millisecond
	last, since := s.screen(), time.Now()
	deadline := time.Now().Add(screenWait)
	for time.Since(since) < still {
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen kept changing; the last one:\n%s", last)
		}
		time.Sleep(100 * time.Millisecond)
		if scr := s.screen(); scr != last {
			last, since = scr, time.Now()
		}
	}
}
