package ui

import (
	"fmt"
	"strings"

	"retort/models"
)

// statusView is the top line: the database (password masked), the current
// revisions, the heads and pending counts, and the lock. When it does not
// fit, the current revisions lose their labels and the ids shrink, so that
// the counts and the lock stay visible.
func (m Model) statusView() string {
	st := m.st
	right := ""
	if m.busy() {
		right = m.spinner.View() + " "
	}
	w := m.width - len([]rune(right))
	line := m.statusLine(false)
	if len([]rune(line)) > w {
		line = m.statusLine(true)
	}
	return st.statusBar.Render(st.fit(line, w) + right)
}

func (m Model) statusLine(compact bool) string {
	st := m.st
	parts := []string{"retort"}
	if compact {
		parts = nil
	}
	parts = append(parts, m.dbName(), m.currentText(compact))
	if m.hist != nil {
		parts = append(parts, plural(len(m.hist.g.Heads), "head"))
		if m.db != nil {
			parts = append(parts, fmt.Sprintf("%d pending", m.db.pending))
		}
		if m.loadErr != nil {
			parts = append(parts, st.sym("⚠ ", "! ")+"files have problems (see log)")
		}
	}
	if m.cfg.DB != nil {
		parts = append(parts, m.lockText())
	}
	return " " + strings.Join(parts, st.sym(" · ", " | "))
}

// currentText names the version rows with their branch labels (compact:
// eight-character ids, no labels).
func (m Model) currentText(compact bool) string {
	switch {
	case m.cfg.DB == nil:
		return "current unknown"
	case m.db == nil && m.stateErr != "":
		return "current unknown (database error, see log)"
	case m.db == nil:
		return "reading database…"
	case len(m.db.rows) == 0:
		return "current base (no version rows)"
	}
	var out []string
	for _, id := range m.db.rows {
		s := cleanLine(models.ShortID(id))
		if compact {
			s = cleanLine(shortest(id))
		}
		if i, ok := m.hist.g.Index[id]; !ok {
			s += " (unknown)"
		} else if l := m.hist.g.EffectiveLabels[i]; len(l) > 0 && !compact {
			s += " (" + cleanLine(strings.Join(l, ",")) + ")"
		}
		out = append(out, s)
	}
	return "current " + strings.Join(out, ", ")
}

// shortest is an id cut to eight characters, as the narrow graph shows it.
func shortest(id string) string {
	if len(id) > shortIDWidth {
		return id[:shortIDWidth]
	}
	return id
}

// lockText says who holds the migration lock.
func (m Model) lockText() string {
	switch {
	case m.run != nil:
		return "lock: this session (running)"
	case m.lockErr != "":
		return "lock unknown"
	case !m.lockKnown:
		return "lock …"
	case m.lockHolder == "":
		return "lock free"
	}
	return "lock held by " + cleanLine(m.lockHolder)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
