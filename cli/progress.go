package cli

import (
	"fmt"
	"io"

	"retort/engine/report"
	"retort/models"
)

// The progress of a run on stderr.

// progressPrinter shows a run as it goes, in the spirit of Alembic's
// "Running upgrade a -> b, message" log lines.
type progressPrinter struct {
	w io.Writer
}

func (p *progressPrinter) event(ev models.Event) {
	fmt.Fprint(p.w, report.Progress(ev))
}
