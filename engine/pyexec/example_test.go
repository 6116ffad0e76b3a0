package pyexec

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"retort/engine/internal/alembictest"
	"retort/models"
	"retort/revisions"
)

// stepRunner runs single steps through Alembic's own runtime
// (testdata/alembic_step.py), for the downgrades: `alembic downgrade
// TARGET` cannot name one step of a graph with branches.
type stepRunner struct {
	in  io.WriteCloser
	out *bufio.Reader
}

func newStepRunner(t *testing.T) *stepRunner {
	t.Helper()
	cmd := exec.Command(python, filepath.Join("testdata", "alembic_step.py"))
	cmd.Env = append(os.Environ(), fmt.Sprintf("PYTHONHASHSEED=%d", hashSeed))
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		in.Close()
		_ = cmd.Wait()
	})
	return &stepRunner{in: in, out: bufio.NewReader(out)}
}

func (r *stepRunner) run(t *testing.T, ini string, s models.Step) {
	t.Helper()
	if _, err := io.WriteString(r.in, ini+"\t"+s.Revision.ID+"\t"+s.Direction.String()+"\n"); err != nil {
		t.Fatal(err)
	}
	line, err := r.out.ReadString('\n')
	if err != nil {
		t.Fatalf("Alembic's %s: %v", s.ShortLog(), err)
	}
	if msg, failed := strings.CutPrefix(strings.TrimSpace(line), "error: "); failed {
		var tb string
		_ = json.Unmarshal([]byte(msg), &tb)
		t.Fatalf("Alembic's %s failed:\n%s", s.ShortLog(), tb)
	}
}

// For every step of examples/alembic (21 revisions written the ways real
// projects write them: foreign keys and server defaults, batch mode,
// bulk inserts and data migrations, reads through op.get_bind(),
// autocommit_block() with CREATE INDEX CONCURRENTLY, a labelled branch,
// merges, depends_on, one computed at import, a revision that logs), up from
// base to the heads and then down to base, on SQLite and on PostgreSQL:
// retort's run of the step and Alembic's own run of it, each from the same
// state, leave the same schema, the same data and the same version rows.
// The upgrades on Alembic's side are the real `alembic upgrade REVISION`.
func TestExampleAgainstAlembic(t *testing.T) {
	bothDialects(t, 2, func(t *testing.T, dbs []target) {
		ctx := context.Background()
		a, b := dbs[0], dbs[1]
		dirA, dirB := exampleProject(t, a.saURL), exampleProject(t, b.saURL)
		iniB := filepath.Join(dirB, "alembic.ini")
		g := loadVersions(t, dirA)
		l := newLender(t, dirA)
		db := openDB(t, a, dirA, l)
		up, err := revisions.Upgrade(g, nil, "heads")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range up.Steps {
			if err := db.Apply(ctx, one(s), nil); err != nil {
				t.Fatalf("retort's %s: %v", s.ShortLog(), err)
			}
			res, err := alembictest.Run(hashSeed, iniB, "upgrade", s.Revision.ID)
			if err == nil {
				err = res.Err()
			}
			if err != nil {
				t.Fatalf("alembic upgrade %s: %v", s.Revision.ID, err)
			}
			if compare(t, s.ShortLog(), snapshot(t, a), snapshot(t, b)); t.Failed() {
				return
			}
		}
		rows, err := db.Current(ctx)
		if err != nil {
			t.Fatal(err)
		}
		down, err := revisions.Downgrade(g, rows, "base")
		if err != nil {
			t.Fatal(err)
		}
		if len(down.Steps) != len(up.Steps) {
			t.Fatalf("the downgrade to base has %d steps, the upgrade %d", len(down.Steps), len(up.Steps))
		}
		alembic := newStepRunner(t)
		for _, s := range down.Steps {
			if err := db.Apply(ctx, one(s), nil); err != nil {
				t.Fatalf("retort's %s: %v", s.ShortLog(), err)
			}
			alembic.run(t, iniB, s)
			if compare(t, s.ShortLog(), snapshot(t, a), snapshot(t, b)); t.Failed() {
				return
			}
		}
		if l.started != 1 {
			t.Errorf("the project's Python was started %d times, want once (each run borrows the same)", l.started)
		}
	})
}
