//go:build unix

package pyalembic

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup starts the driver in a process group of its own: a
// ctrl+c in the terminal reaches retort, which decides what the step does,
// and not Python, which would die halfway through it.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killProcessGroup kills the driver and whatever it started.
func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
