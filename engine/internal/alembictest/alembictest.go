// Package alembictest runs the real Alembic (Debian's python3-alembic, for
// /usr/bin/python3) for retort's tests. Starting Python and importing
// Alembic and SQLAlchemy costs about half a second of CPU, more than most
// commands the tests run, so commands go to long-lived driver processes
// (driver.py) that run many `alembic` command lines each, through Alembic's
// own command-line parser and error handling. A driver runs one command at a
// time; Run starts up to GOMAXPROCS drivers per hash seed and reuses them.
//
// Alembic missing is a failure, not a skip: the error says how to install
// it.
package alembictest

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Python is the interpreter with Alembic and psycopg2.
const Python = "/usr/bin/python3"

// installHint says how to get what the drivers need.
const installHint = "install it with `apt-get install python3-alembic python3-psycopg2`"

// commandTimeout bounds one command: a command that waits forever (on a
// lock, say) fails the test instead of hanging it.
const commandTimeout = 2 * time.Minute

//go:embed driver.py
var driverSource []byte

// SortedListing starts every env.py the tests write: Alembic lists the
// version files sorted by name (the conformance oracle's load order) instead
// of in os.listdir's order. The patch is applied once per Python process,
// since a driver loads env.py again for every command it runs.
const SortedListing = `from alembic.script.base import Script

if not getattr(Script, "_retort_sorted", False):
    _list = Script._list_py_dir.__func__
    Script._list_py_dir = classmethod(lambda cls, sd, path: sorted(_list(cls, sd, path)))
    Script._retort_sorted = True
`

// Result is what one command did.
type Result struct {
	// Code is the exit status the alembic command would have had (0 on
	// success; a CommandError gives -1, as Alembic's sys.exit(-1)).
	Code           int
	Stdout, Stderr string
}

// Err describes a failed command, nil on success.
func (r Result) Err() error {
	if r.Code == 0 {
		return nil
	}
	return fmt.Errorf("exit %d: %s%s", r.Code, r.Stdout, r.Stderr)
}

// Lines is the non-empty lines of stdout.
func (r Result) Lines() []string {
	var out []string
	for _, l := range strings.Split(r.Stdout, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

var (
	mu    sync.Mutex
	pools = map[int]*pool{}
	// script is driver.py written to a temporary directory, once.
	script     string
	scriptErr  error
	scriptOnce sync.Once
)

// pool holds the drivers of one hash seed: idle ones, and a slot per driver
// that may exist.
type pool struct {
	idle  chan *driver
	slots chan struct{}
}

// Run runs `alembic -c ini args...` with PYTHONHASHSEED=seed and returns what
// it printed. err is about the driver itself (it could not start, it died);
// a failing command is a Result with a non-zero Code.
func Run(seed int, ini string, args ...string) (Result, error) {
	p := poolFor(seed)
	var d *driver
	select {
	case d = <-p.idle:
	case p.slots <- struct{}{}:
		var err error
		if d, err = start(seed); err != nil {
			<-p.slots
			return Result{}, err
		}
	}
	res, err := d.run(append([]string{"-c", ini}, args...))
	if err != nil {
		d.close()
		<-p.slots
		return Result{}, err
	}
	p.idle <- d
	return res, nil
}

func poolFor(seed int) *pool {
	mu.Lock()
	defer mu.Unlock()
	p := pools[seed]
	if p == nil {
		n := max(runtime.GOMAXPROCS(0), 2)
		p = &pool{idle: make(chan *driver, n), slots: make(chan struct{}, n)}
		pools[seed] = p
	}
	return p
}

// Close stops every idle driver. Call it at the end of TestMain; a driver
// whose test binary dies exits on its own when its stdin closes.
func Close() {
	mu.Lock()
	defer mu.Unlock()
	for _, p := range pools {
		for len(p.idle) > 0 {
			d := <-p.idle
			d.close()
			<-p.slots
		}
	}
	if script != "" {
		os.RemoveAll(filepath.Dir(script))
	}
}

// driver is one running driver.py.
type driver struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	errs *strings.Builder
}

func start(seed int) (*driver, error) {
	path, err := driverScript()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(Python, path)
	cmd.Env = append(os.Environ(), fmt.Sprintf("PYTHONHASHSEED=%d", seed))
	errs := &strings.Builder{}
	cmd.Stderr = errs
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s (Alembic is needed: %s): %w", Python, installHint, err)
	}
	return &driver{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20), errs: errs}, nil
}

// driverScript writes driver.py where Python can run it.
func driverScript() (string, error) {
	scriptOnce.Do(func() {
		dir, err := os.MkdirTemp("", "retort-alembic-")
		if err != nil {
			scriptErr = err
			return
		}
		script = filepath.Join(dir, "driver.py")
		scriptErr = os.WriteFile(script, driverSource, 0o644)
	})
	return script, scriptErr
}

// run sends one command line and reads the reply.
func (d *driver) run(argv []string) (Result, error) {
	req, err := json.Marshal(map[string][]string{"argv": argv})
	if err != nil {
		return Result{}, err
	}
	var timedOut atomic.Bool
	timer := time.AfterFunc(commandTimeout, func() {
		timedOut.Store(true)
		_ = d.cmd.Process.Kill()
	})
	defer timer.Stop()
	if _, err := d.in.Write(append(req, '\n')); err != nil {
		return Result{}, d.died(err)
	}
	line, err := d.out.ReadBytes('\n')
	if err != nil && timedOut.Load() {
		err = fmt.Errorf("alembic %s: no answer within %s", strings.Join(argv, " "), commandTimeout)
	}
	if err != nil {
		return Result{}, d.died(err)
	}
	var reply struct {
		Code           int
		Stdout, Stderr string
	}
	if err := json.Unmarshal(line, &reply); err != nil {
		return Result{}, fmt.Errorf("alembic driver: bad reply %q: %w", line, err)
	}
	return Result(reply), nil
}

// died explains a driver that stopped answering: Alembic missing, a crash,
// the timeout.
func (d *driver) died(err error) error {
	_ = d.cmd.Process.Kill()
	_ = d.cmd.Wait()
	msg := strings.TrimSpace(d.errs.String())
	if strings.Contains(msg, "ModuleNotFoundError") {
		return fmt.Errorf("alembic or psycopg2 is missing for %s: %s\n%s", Python, installHint, msg)
	}
	return errors.Join(fmt.Errorf("alembic driver (%s) stopped: %w", Python, err), errors.New(msg))
}

func (d *driver) close() {
	_ = d.in.Close()
	_ = d.cmd.Wait()
}
