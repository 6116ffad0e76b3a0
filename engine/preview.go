package engine

import (
	"fmt"
	"io"
	"strings"

	"retort/engine/internal/tables"
	"retort/engine/sqlsplit"
	"retort/engine/step"
	"retort/models"
	"retort/visible"
)

// Preview is what a run of a plan would execute to change the database, in
// order, as plain data: the text `--sql` prints (String, WriteTo) and the
// plan the UI shows before it runs are both rendered from it.
//
// The layout is Alembic's offline mode (`alembic upgrade ... --sql`): each
// step introduced by Alembic's comment `-- Running upgrade a, b -> c`, its
// version-table changes in the form Alembic prints them, values inlined as
// quoted literals. The transactions are retort's, which is where it differs
// from Alembic:
//
//   - each step is in BEGIN/COMMIT of its own, as retort runs it (Alembic
//     prints this with transaction_per_migration; by default it puts one
//     BEGIN/COMMIT around everything, and none at all on SQLite);
//   - a `Transaction: none` step's statements are outside any transaction,
//     then its version changes get a BEGIN/COMMIT of their own, after every
//     statement succeeded;
//   - a plan that starts without version rows creates the version table in
//     its first transaction (one of its own when the first step is
//     `Transaction: none`, or when there is no step) with CREATE TABLE IF
//     NOT EXISTS: retort creates the table only when it is missing, and an
//     empty table is left by a downgrade to base. Alembic prints a plain
//     CREATE TABLE there;
//   - no DROP TABLE at the end when no row is left: retort keeps the empty
//     version table, as Alembic does online (its offline mode drops it).
//
// Not shown, because they check or record the run rather than change the
// schema: the lock, the version-row read before each step, the guard and
// row-count checks of the version changes, and the audit log (its table and
// rows). On PostgreSQL the INSERT of a version row carries SQLAlchemy's
// RETURNING clause, as in Alembic's output.
type Preview struct {
	// Items are the statements and comments, in the order a run executes
	// them.
	Items []PreviewItem
	// Destructive is how many items are flagged destructive.
	Destructive int
}

// PreviewKind says what a PreviewItem is.
type PreviewKind int

const (
	// PreviewBegin and PreviewCommit bound a transaction.
	PreviewBegin PreviewKind = iota
	PreviewCommit
	// PreviewComment is a comment: Alembic's `-- Running upgrade a -> b`
	// before each step's statements.
	PreviewComment
	// PreviewStatement is a statement of a revision, as it is executed.
	PreviewStatement
	// PreviewVersion is a statement on the version table: its creation
	// when missing, the insertion, update or deletion of a row.
	PreviewVersion
)

// PreviewItem is one statement or comment of a Preview.
type PreviewItem struct {
	Kind PreviewKind
	// Step is the index in the plan's Steps of the step the item belongs
	// to; -1 for the transaction of the run's own that creates the version
	// table when no step's transaction can (the first step runs outside a
	// transaction, or there is none).
	Step int
	// Text is the statement without its terminating ';', or the comment
	// with its `-- `, exactly as it runs: control characters included.
	Text string
	// Path and Line are where a revision's statement is: its file and the
	// 1-based line it starts on; empty for the others.
	Path string
	Line int
	// Destructive says why the statement is destructive (sqlsplit's
	// reason, such as "drops a table"), computed on Text; "" when it is
	// not.
	Destructive string
}

// String is the text of the preview, as `--sql` prints it: each statement
// followed by ';' and each item by a blank line, as Alembic does.
func (p *Preview) String() string {
	var b strings.Builder
	for _, it := range p.Items {
		b.WriteString(it.Text)
		if it.Kind != PreviewComment {
			b.WriteByte(';')
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// WriteTo writes String to w.
func (p *Preview) WriteTo(w io.Writer) (int64, error) {
	n, err := io.WriteString(w, p.String())
	return int64(n), err
}

// PreviewPlan is the preview of a plan on a database of the given dialect
// ("postgresql" or "sqlite"), touching no database; of the options only
// WithVersionTable matters. A plan that cannot run to its end is refused as
// Apply refuses it, and so is a purge (`stamp --purge`), whose effect
// depends on what the table holds.
func PreviewPlan(plan *models.Plan, dialect string, opts ...Option) (*Preview, error) {
	cfg := newConfig(opts)
	vt := tables.Version{Ref: tables.Ref{Schema: cfg.schema, Name: cfg.table}}
	if err := vt.Check(); err != nil {
		return nil, fmt.Errorf("version table: %w", err)
	}
	d, err := dialectNamed(dialect)
	if err != nil {
		return nil, err
	}
	return preview(plan, d, cfg, vt)
}

// Preview is the preview of a plan on this database, as PreviewPlan makes
// it with the DB's dialect and options. It reads nothing from the database.
func (db *DB) Preview(plan *models.Plan) (*Preview, error) {
	return preview(plan, db.dialect, db.cfg, db.version)
}

// DryRun writes the preview of the plan (see Preview and PreviewPlan): the
// SQL a run would execute, touching no database.
func DryRun(w io.Writer, plan *models.Plan, dialect string, opts ...Option) error {
	p, err := PreviewPlan(plan, dialect, opts...)
	if err != nil {
		return err
	}
	_, err = p.WriteTo(w)
	return err
}

func preview(plan *models.Plan, d dialect, cfg config, vt tables.Version) (*Preview, error) {
	bodies, err := preparePlan(plan, newExecutors(d, cfg, nil))
	if err != nil {
		return nil, err
	}
	if plan.Purge {
		return nil, fmt.Errorf("%w: Can't use --purge with --sql mode", ErrRefused)
	}
	b := &previewer{vt: vt, returning: d.insertReturning()}
	create := len(plan.Start) == 0
	if create && (len(plan.Steps) == 0 || !transactional(bodies[0])) {
		b.add(PreviewBegin, -1, "BEGIN")
		b.add(PreviewVersion, -1, vt.CreateIfMissingSQL())
		b.add(PreviewCommit, -1, "COMMIT")
		create = false
	}
	for i := range plan.Steps {
		if err := b.step(plan, i, bodies[i], create && i == 0); err != nil {
			return nil, err
		}
	}
	return b.flag(), nil
}

// previewer builds a Preview.
type previewer struct {
	p         Preview
	vt        tables.Version
	returning bool
}

func (b *previewer) add(kind PreviewKind, step int, text string) {
	b.p.Items = append(b.p.Items, PreviewItem{Kind: kind, Step: step, Text: text})
}

// step adds step i, whose body is bd (nil for a stamp); create: it is the
// run's first transaction, which creates the version table.
func (b *previewer) step(plan *models.Plan, i int, bd step.Body, create bool) error {
	s := &plan.Steps[i]
	if !transactional(bd) {
		b.add(PreviewComment, i, "-- Running "+s.ShortLog())
		b.body(i, bd)
		b.add(PreviewBegin, i, "BEGIN")
		if err := b.versionChanges(i, s); err != nil {
			return err
		}
		b.add(PreviewCommit, i, "COMMIT")
		return nil
	}
	b.add(PreviewBegin, i, "BEGIN")
	if create {
		b.add(PreviewVersion, i, b.vt.CreateIfMissingSQL())
	}
	b.add(PreviewComment, i, "-- Running "+s.ShortLog())
	b.body(i, bd)
	if err := b.versionChanges(i, s); err != nil {
		return err
	}
	b.add(PreviewCommit, i, "COMMIT")
	return nil
}

// body adds what the step's body runs.
func (b *previewer) body(i int, bd step.Body) {
	if bd == nil {
		return
	}
	for _, l := range bd.Preview() {
		it := PreviewItem{Kind: PreviewStatement, Step: i, Text: l.Text, Path: l.Path, Line: l.Line}
		if l.Comment {
			it.Kind = PreviewComment
		}
		b.p.Items = append(b.p.Items, it)
	}
}

// versionChanges adds the step's version-table changes with their values
// inlined.
func (b *previewer) versionChanges(i int, s *models.Step) error {
	for _, op := range s.Ops {
		q, err := b.vt.Op(op, b.returning)
		if err != nil {
			return err
		}
		sql, err := tables.Inline(q)
		if err != nil {
			return err
		}
		b.add(PreviewVersion, i, sql)
	}
	return nil
}

// flag marks the destructive statements, on their own text, and those
// holding characters a terminal would act on or not draw: shown visibly,
// they are still a statement whose screen form differs from its text, a
// way to slip something past a reader (`/*ESC]0;*/ OR true /*BEL*/`).
func (b *previewer) flag() *Preview {
	for k := range b.p.Items {
		it := &b.p.Items[k]
		if it.Kind == PreviewComment {
			continue
		}
		reason, ok := sqlsplit.Destructive(it.Text)
		if hidden(it.Text) {
			reason, ok = joinReasons(reason, "holds control characters a terminal would hide (shown as ␛, <U+…>)"), true
		}
		if ok {
			it.Destructive = reason
			b.p.Destructive++
		}
	}
	return &b.p
}

// hidden reports whether text holds a control or invisible character other
// than the line breaks and tabs of ordinary SQL.
func hidden(text string) bool {
	for _, r := range text {
		if r != '\n' && r != '\t' && r != '\r' && visible.Control(r) {
			return true
		}
	}
	return false
}

func joinReasons(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
