package ui

// RunInProgress reports whether a run was still going in this model: on the
// model a program returns, a run the program's end interrupted (SIGTERM,
// SIGINT, a closed terminal). The caller must then call StopRun.
func (m Model) RunInProgress() bool { return m.actions.running() }

// StopRun cancels the run still going in this model and waits until the
// engine returned: it stops after the statement that is running and rolls
// that step back, and steps that committed before stay committed. It
// returns the run's result: nil when the run reached its end anyway, else
// Apply's error (a *engine.PartialError wrapping engine.ErrCancelled for a
// run stopped in its course). Without a run it returns nil at once. Call it
// on the final model, once the program has ended: the events nobody will
// show are dropped.
func (m Model) StopRun() error {
	run := m.actions.run
	if run == nil {
		return nil
	}
	run.cancel()
	return run.live.Wait()
}
