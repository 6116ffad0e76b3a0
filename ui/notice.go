package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/pane"
	"retort/ui/theme"
)

// footerNotice is a message in the footer, shown for a few seconds in the
// place of the keys that are not essential (see footerLine).
type footerNotice struct {
	text string
	// id tells notices apart, so that the expiry of one does not clear
	// the next.
	id int
}

// show replaces the notice; errors are marked without colour too.
func (n footerNotice) show(st *theme.Styles, kind pane.LogKind, text string) (footerNotice, tea.Cmd) {
	n.id++
	n.text = text
	if kind == pane.LogErr {
		n.text = st.ErrText.Render(st.Sym("✕ ", "! ") + text)
	}
	return n, noticeExpireCmd(n.id)
}

// expire clears the notice shown as id, if it still is.
func (n footerNotice) expire(id int) footerNotice {
	if id == n.id {
		n.text = ""
	}
	return n
}
