// Package pyalembic runs Alembic's own runtime in a project's Python, for
// the Alembic `.py` revisions retort reads: it starts one long-lived
// driver process (driver.py, embedded here), hands it the project's
// configuration, and asks it to import revision files, to run steps one
// by one through the project's env.py, or to render steps through
// Alembic's offline mode. The protocol is documented in driver.py.
//
// It knows nothing of plans or of the version table: online, the driver
// is a database session whose transactions are Alembic's per-migration
// transactions, and the engine decides what runs in them (see
// session.go).
package pyalembic

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

//go:embed driver.py
var driverSource string

// ErrExited is the error of a request the driver could not answer because
// its process ended.
var ErrExited = errors.New("the Python driver exited")

// Options start a driver.
type Options struct {
	// Python is the interpreter (see Locate).
	Python string
	// Dir is the working directory; relative paths in the project's
	// configuration are relative to it, as for the alembic command.
	Dir string
	// Env is the environment; nil inherits retort's.
	Env []string
	// Output receives what the process writes to its stdout and stderr
	// outside Python's own streams (a C extension, a crash); nil drops it.
	Output func(stream, line string)
}

// Driver is a running driver process. It serves one request at a time.
type Driver struct {
	cmd    *exec.Cmd
	req    *os.File
	resp   *os.File
	exited chan struct{}
	output func(stream, line string)

	mu sync.Mutex // held for a request and its replies
	// replies reads the replies, in the goroutine of the request they
	// answer (a goroutine of its own handing them over would cost two
	// thread switches per request).
	replies *bufio.Scanner

	outMu   sync.Mutex // held for a call of output
	tailMu  sync.Mutex
	tail    []string // the last lines of stderr, for an error after a crash
	waitErr error
}

// tailLines is how many lines of stderr an exit error quotes.
const tailLines = 20

// Start starts the driver in o.Python. It checks nothing about the
// interpreter: Hello does.
func Start(ctx context.Context, o Options) (*Driver, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("starting the Python driver: %w", err)
	}
	respR, respW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return nil, fmt.Errorf("starting the Python driver: %w", err)
	}
	// `python -` reads the whole program from stdin before running it.
	cmd := exec.Command(o.Python, "-")
	cmd.Dir = o.Dir
	env := o.Env
	if env == nil {
		env = os.Environ()
	}
	// A reader of revisions leaves no __pycache__ behind it.
	cmd.Env = append(env, "PYTHONDONTWRITEBYTECODE=1", "PYTHONIOENCODING=utf-8")
	cmd.Stdin = strings.NewReader(driverSource)
	cmd.ExtraFiles = []*os.File{reqR, respW} // fds 3 and 4
	ownProcessGroup(cmd)
	stdout, err := cmd.StdoutPipe()
	if err == nil {
		var stderr io.ReadCloser
		if stderr, err = cmd.StderrPipe(); err == nil {
			err = cmd.Start()
			if err == nil {
				d := &Driver{cmd: cmd, req: reqW, resp: respR, exited: make(chan struct{}), output: o.Output}
				d.replies = bufio.NewScanner(respR)
				d.replies.Buffer(make([]byte, 64*1024), 256*1024*1024)
				reqR.Close()
				respW.Close()
				streams := &sync.WaitGroup{}
				streams.Add(2)
				go d.readStream("stdout", stdout, streams)
				go d.readStream("stderr", stderr, streams)
				go d.wait(streams)
				return d, nil
			}
		}
	}
	for _, f := range []*os.File{reqR, reqW, respR, respW} {
		f.Close()
	}
	return nil, fmt.Errorf("starting the Python driver with %s: %w", o.Python, err)
}

// next reads the next line the driver writes; false at the end of the
// pipe.
func (d *Driver) next() (reply, bool) {
	if !d.replies.Scan() {
		return reply{}, false
	}
	var rep reply
	if err := json.Unmarshal(d.replies.Bytes(), &rep); err != nil {
		rep = reply{Done: true, Error: &PyError{Type: "ProtocolError", Message: fmt.Sprintf("unreadable reply %.200q: %v", d.replies.Text(), err)}}
	}
	return rep, true
}

func (d *Driver) readStream(name string, r io.Reader, wg *sync.WaitGroup) {
	defer wg.Done()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if name == "stderr" {
			d.tailMu.Lock()
			d.tail = append(d.tail, line)
			if len(d.tail) > tailLines {
				d.tail = d.tail[len(d.tail)-tailLines:]
			}
			d.tailMu.Unlock()
		}
		if d.output != nil {
			// One line at a time, whichever stream it comes from.
			d.outMu.Lock()
			d.output(name, line)
			d.outMu.Unlock()
		}
	}
}

func (d *Driver) wait(streams *sync.WaitGroup) {
	streams.Wait()
	err := d.cmd.Wait()
	d.tailMu.Lock()
	d.waitErr = err
	d.tailMu.Unlock()
	close(d.exited)
}

// exitError says how the process ended, with the end of its stderr.
func (d *Driver) exitError() error {
	<-d.exited
	d.tailMu.Lock()
	defer d.tailMu.Unlock()
	how := "exited"
	if d.waitErr != nil {
		how = d.waitErr.Error()
	}
	if len(d.tail) == 0 {
		return fmt.Errorf("%w (%s)", ErrExited, how)
	}
	return fmt.Errorf("%w (%s):\n%s", ErrExited, how, strings.Join(d.tail, "\n"))
}

// send writes one request.
func (d *Driver) send(req any) error {
	b, err := json.Marshal(req)
	if err != nil {
		return err
	}
	if _, err := d.req.Write(append(b, '\n')); err != nil {
		return d.exitError()
	}
	return nil
}

// request sends req and reads its replies up to the one marked done,
// passing the events before it to on. When ctx ends first, cancel decides:
// true asks the driver to cancel and keeps waiting for its answer (a step
// rolls back and reports); false stops the process.
func (d *Driver) request(ctx context.Context, req any, on func(Event), cancel bool) (reply, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.send(req); err != nil {
		return reply{}, err
	}
	if done := ctx.Done(); done != nil {
		// The watcher acts on ctx's end only while the request is
		// answered: over, under mu, says it was.
		var mu sync.Mutex
		over, stop := false, make(chan struct{})
		defer func() {
			mu.Lock()
			over = true
			mu.Unlock()
			close(stop)
		}()
		go func() {
			select {
			case <-done:
				mu.Lock()
				defer mu.Unlock()
				switch {
				case over:
				case cancel:
					_ = d.send(map[string]string{"op": "cancel"})
				default:
					d.kill()
				}
			case <-stop:
			}
		}()
	}
	for {
		rep, ok := d.next()
		if !ok {
			if !cancel && ctx.Err() != nil {
				return reply{}, fmt.Errorf("the Python driver was stopped: %w", ctx.Err())
			}
			return reply{}, d.exitError()
		}
		if rep.Done {
			return rep, nil
		}
		if on != nil && rep.Kind != "" {
			on(rep.Event)
		}
	}
}

// Hello reports the driver's Python, Alembic and SQLAlchemy; an error says
// how to get Alembic when the interpreter lacks it.
func (d *Driver) Hello(ctx context.Context) (Hello, error) {
	rep, err := d.request(ctx, map[string]string{"op": "hello"}, nil, false)
	if err != nil {
		return Hello{}, err
	}
	if rep.Error != nil {
		return Hello{}, rep.Error
	}
	h := rep.Hello
	if h.Missing != "" {
		return h, fmt.Errorf("%s (Python %s) cannot import Alembic (%s): install Alembic in that environment "+
			"(pip install alembic) or name the project's Python with --python", h.Executable, h.Python, h.Missing)
	}
	return h, nil
}

// Evaluate imports revision files as Alembic does and reports their
// identifiers. ctx bounds the whole import: a module that hangs stops the
// driver.
func (d *Driver) Evaluate(ctx context.Context, files []string) ([]Evaluated, error) {
	rep, err := d.request(ctx, map[string]any{"op": "evaluate", "files": files}, nil, false)
	if err != nil {
		return nil, err
	}
	if rep.Error != nil {
		return nil, rep.Error
	}
	return rep.Files, nil
}

// Run runs the project's env.py online until it asks for its first step,
// and returns the context it configured. Then the driver is a database
// session on env.py's connection (Begin, Exec, Batch, Query, Body) until
// Finish ends the run. on receives what env.py prints or logs meanwhile.
func (d *Driver) Run(ctx context.Context, p Project, on func(Event)) (*Ready, error) {
	rep, err := d.request(ctx, map[string]any{"op": "run", "project": projectJSON(p)}, on, false)
	if err != nil {
		return nil, err
	}
	if rep.Error != nil {
		return nil, rep.Error
	}
	if rep.Kind != "ready" {
		return nil, fmt.Errorf("the Python driver answered %q instead of getting ready", rep.Kind)
	}
	r := rep.Ready
	return &r, nil
}

// Finish ends the run: env.py returns from run_migrations.
func (d *Driver) Finish(ctx context.Context) error {
	rep, err := d.request(ctx, map[string]string{"op": "finish"}, nil, false)
	if err != nil {
		return err
	}
	if rep.Error != nil {
		return rep.Error
	}
	return nil
}

// Offline renders each step's SQL through Alembic's offline mode.
func (d *Driver) Offline(ctx context.Context, p Project, steps []OfflineStep, on func(Event)) ([]Offline, error) {
	rep, err := d.request(ctx, map[string]any{"op": "offline", "project": projectJSON(p), "steps": steps}, on, false)
	if err != nil {
		return nil, err
	}
	if rep.Error != nil {
		return nil, rep.Error
	}
	if len(rep.Steps) != len(steps) {
		return nil, fmt.Errorf("the Python driver rendered %d steps of %d", len(rep.Steps), len(steps))
	}
	return rep.Steps, nil
}

func projectJSON(p Project) map[string]any {
	b, _ := json.Marshal(p)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	m["env"] = !p.NoEnv
	return m
}

// closeWait is how long Close waits for the driver to end on its own.
const closeWait = 5 * time.Second

// Close ends the driver: it closes its requests, which ends the process,
// and kills it if it has not ended after a while.
func (d *Driver) Close() error {
	d.req.Close()
	select {
	case <-d.exited:
	case <-time.After(closeWait):
		d.kill()
		<-d.exited
	}
	d.resp.Close()
	return nil
}

func (d *Driver) kill() {
	killProcessGroup(d.cmd)
	d.req.Close()
}
