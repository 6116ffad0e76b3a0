// Package panetest drives a pane in a test without a program: it runs the
// commands the pane returns, each in a goroutine as bubbletea does, and
// gives the pane their messages as they come, until it reaches the state
// the test waits for.
package panetest

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/pane"
)

// Drive runs cmd and the commands p returns after it, giving p each
// message as it comes, until done(p) holds, and returns p then. The
// messages the pane does not take (a notice for the root model) are
// collected in said, with those of the commands p returns when it is
// done: those must not wait. It fails the test after limit.
func Drive(t testing.TB, p pane.Pane, cmd tea.Cmd, limit time.Duration, done func(pane.Pane) bool) (next pane.Pane, said []pane.NoticeMsg) {
	t.Helper()
	msgs := make(chan tea.Msg)
	stop := make(chan struct{})
	defer close(stop)
	running := 0
	run := func(c tea.Cmd) {
		if c == nil {
			return
		}
		running++
		go func() {
			select {
			case msgs <- c():
			case <-stop:
			}
		}()
	}
	run(cmd)
	timeout := time.After(limit)
	var last tea.Cmd
	for !done(p) {
		if running == 0 {
			t.Fatalf("the pane has nothing left to do, and is not done:\n%v", p.View())
		}
		var msg tea.Msg
		select {
		case msg = <-msgs:
			running--
		case <-timeout:
			t.Fatalf("the pane is not done after %s:\n%v", limit, p.View())
		}
		switch msg := msg.(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				run(c)
			}
		case pane.NoticeMsg:
			said = append(said, msg)
		case nil:
		default:
			p, last = p.Update(msg)
			run(last)
		}
	}
	return p, append(said, notices(last)...)
}

// notices are the notices the commands the pane returned when it got done
// say (they return at once): run alone, without the commands that wait
// for more.
func notices(cmd tea.Cmd) []pane.NoticeMsg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case pane.NoticeMsg:
		return []pane.NoticeMsg{msg}
	case tea.BatchMsg:
		var out []pane.NoticeMsg
		for _, c := range msg {
			out = append(out, notices(c)...)
		}
		return out
	}
	return nil
}
