package ui

import (
	"context"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"retort/models"
	"retort/review"
	"retort/revschema"
	"retort/ui/pane"
	"retort/ui/rehearsal"
	"retort/ui/reviewview"
	"retort/ui/theme"
	"retort/visible"
)

// reviewKeys open the merge review (M: the merge under the cursor, or the
// heads marked with space) and rehearse the selected revision in a scratch
// database (R), whichever pane has the focus.
type reviewKeys struct {
	Review, Rehearse key.Binding
}

func newReviewKeys(st *theme.Styles) reviewKeys {
	return reviewKeys{
		Review:   key.NewBinding(key.WithKeys("M"), key.WithHelp("M", "review merge/marked heads")),
		Rehearse: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "rehearse in a scratch db")),
	}
}

// reviewLegend names the review view's keys on the help screen, beside M
// and R.
func reviewLegend(st *theme.Styles) []key.Binding {
	b := func(k, desc string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc)) }
	return []key.Binding{
		b("enter", "view: an object's statements"),
		b(st.Sym("←/→", "left/right"), "view: the other branches"),
		b("]/[", "view: next/previous shared"),
		b("esc", "view: back, then close"),
	}
}

// reviewKey handles M and R.
func (m Model) reviewKey(msg tea.KeyMsg) (Model, tea.Cmd, bool) {
	var cmd tea.Cmd
	switch {
	case key.Matches(msg, m.keys.review.Review):
		m, cmd = m.openReview()
	case key.Matches(msg, m.keys.review.Rehearse):
		m, cmd = m.openRehearsal()
	default:
		return m, nil, false
	}
	return m, cmd, true
}

// cannotOpen says why the review or a rehearsal cannot start now, "" when
// it can.
func (m Model) cannotOpen() string {
	switch {
	case m.loaded.hist.Len() == 0:
		return "no revisions loaded"
	case m.work.loading > 0:
		return "the revision files are being reloaded: try again when the load ends"
	}
	return ""
}

// noMerge is why M did nothing.
const noMerge = "select a merge revision, or mark two or more heads with space, then press M"

// reviewTarget is what M reviews: the marked heads when there are two or
// more, else the merge under the cursor.
func (m Model) reviewTarget() (review.Target, string) {
	h := m.loaded.hist
	if marked := m.panes.history().MarkedIDs(); len(marked) >= 2 {
		heads := make([]int, len(marked))
		for k, id := range marked {
			heads[k] = h.G.Index[id]
		}
		t, err := review.HeadsTarget(h.G, heads)
		if err != nil {
			return t, errText(err)
		}
		return t, ""
	}
	rev := h.Rev(m.panes.selected())
	if rev == nil || !rev.IsMerge() {
		return review.Target{}, noMerge
	}
	t, err := review.MergeTarget(h.G, h.G.Index[rev.ID])
	if err != nil {
		return t, errText(err)
	}
	return t, ""
}

// openReview opens the review view; its analysis runs in the background.
func (m Model) openReview() (Model, tea.Cmd) {
	if why := m.cannotOpen(); why != "" {
		return m.say(pane.LogWarn, why)
	}
	t, why := m.reviewTarget()
	if why != "" {
		return m.say(pane.LogWarn, why)
	}
	h := m.loaded.hist
	deps := reviewview.Deps{Ctx: m.cfg.Context, Graph: h.G, Target: t, Parser: m.cfg.Parser, Path: h.DisplayPath}
	if m.cfg.Scratch != nil {
		deps.Schemas = m.scratchSchemas(h.G)
	}
	md, cmd := reviewview.New(m.ctx, deps)
	m.modal = openModal(md, m.layout().body)
	what := "the merge " + visible.Line(models.ShortID(h.G.Revisions[max(t.Merge, 0)].ID))
	if t.Merge < 0 {
		what = "the heads " + pane.ShortIDs(h.G.IDs(t.Heads))
	}
	return m.logf(pane.LogInfo, "reviewing "+what), cmd
}

// scratchSchemas makes what reads .py revisions from their schema
// difference, in scratch databases made as rehearsals make them, with the
// schema cache.
func (m Model) scratchSchemas(g *models.Graph) func() *review.ScratchSchemas {
	cfg, version := *m.cfg.Scratch, m.cfg.Version
	return func() *review.ScratchSchemas {
		return &review.ScratchSchemas{New: func(context.Context) (*revschema.Builder, error) {
			b := &revschema.Builder{Graph: g, Scratch: cfg, Retort: version}
			b.CacheDir, _ = revschema.DefaultCacheDir() // none found: no cache
			return b, nil
		}}
	}
}

// noScratch is why R is refused without a scratch database.
const noScratch = "cannot rehearse: no scratch database can be made without a database " +
	"(start retort with --db; a rehearsal runs in a scratch database beside it, never in it)"

// openRehearsal rehearses the selected revision in a scratch database,
// in the background, in a modal that shows the outcome.
func (m Model) openRehearsal() (Model, tea.Cmd) {
	if why := m.cannotOpen(); why != "" {
		return m.say(pane.LogWarn, why)
	}
	switch {
	case m.cfg.Scratch == nil:
		return m.say(pane.LogWarn, noScratch)
	case m.loaded.loadErr != nil:
		return m.say(pane.LogWarn, "the revision files have problems (see the log): fix them and press r")
	}
	h := m.loaded.hist
	rev := h.Rev(m.panes.selected())
	if rev == nil {
		return m.say(pane.LogWarn, "the selected row is a missing revision: select a revision")
	}
	md, cmd := rehearsal.New(m.ctx, rehearsal.Deps{Ctx: m.cfg.Context, Graph: h.G, Rev: h.G.Index[rev.ID], Scratch: *m.cfg.Scratch})
	m.modal = openModal(md, m.layout().body)
	return m.logf(pane.LogInfo, "rehearsing "+visible.Line(rev.ShortID())+" in a scratch database"), cmd
}
