package scratch

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"retort/catalog"
	"retort/engine"
	"retort/schema"
)

// ErrLive is the refusal of a --scratch database that is the live one.
var ErrLive = errors.New("is the live database")

// useGiven checks and opens the database given with Config.URL: not the
// live database, and empty.
func (d *DB) useGiven(ctx context.Context) error {
	var err error
	if d.dialect, err = engine.DialectOf(d.cfg.URL); err != nil {
		return fmt.Errorf("--scratch: %w", err)
	}
	d.url = d.cfg.URL
	if err := d.checkNotLive(ctx); err != nil {
		return err
	}
	if err := d.connect(ctx); err != nil {
		return err
	}
	if err := d.checkEmpty(ctx); err != nil {
		return err
	}
	d.accepted = true
	return nil
}

// checkNotLive refuses a scratch URL that reaches the live database, by
// the databases' identities, whatever the URLs say; on PostgreSQL it notes
// whether both are on one server.
func (d *DB) checkNotLive(ctx context.Context) error {
	live, err := engine.DialectOf(d.cfg.Live)
	if err != nil || live != d.dialect {
		return nil // another kind of database cannot be the live one
	}
	scratchID, err := identity(ctx, d.cfg.URL)
	if err != nil {
		return fmt.Errorf("--scratch %s: %w", engine.MaskURL(d.cfg.URL), err)
	}
	liveID, err := identity(ctx, d.cfg.Live)
	if err != nil {
		return fmt.Errorf("cannot check that --scratch %s is not the live database %s: %w",
			engine.MaskURL(d.cfg.URL), engine.MaskURL(d.cfg.Live), err)
	}
	if scratchID == liveID {
		return fmt.Errorf("--scratch %s %w (%s): retort never builds or rehearses revisions there; give an empty database of its own",
			engine.MaskURL(d.cfg.URL), ErrLive, engine.MaskURL(d.cfg.Live))
	}
	if d.dialect == engine.DialectPostgres {
		sysA, _, _ := strings.Cut(scratchID, "/")
		sysB, _, _ := strings.Cut(liveID, "/")
		d.sameServer = sysA == sysB
	}
	return nil
}

// identity reads the identity of the database at url, without writing
// anything (nor creating a SQLite file).
func identity(ctx context.Context, url string) (string, error) {
	c, err := catalog.Open(ctx, url, catalog.Options{ReadOnly: true})
	if err != nil {
		return "", err
	}
	defer c.Close()
	return c.Identity(ctx)
}

// checkEmpty refuses a given scratch database that holds anything beyond
// the public schema, or version rows: retort would mix its revisions with
// what is there, and empties it when done.
func (d *DB) checkEmpty(ctx context.Context) error {
	snap, err := d.cat.Schema(ctx)
	if err != nil {
		return err
	}
	if extra := beyondPublic(snap); len(extra) > 0 {
		more := ""
		if len(extra) > 3 {
			more = fmt.Sprintf(" and %d more", len(extra)-3)
			extra = extra[:3]
		}
		return fmt.Errorf("--scratch %s is not empty (it has %s%s): retort builds schemas there and empties it when done, so it must be a database of its own, empty",
			d.Redacted(), strings.Join(extra, ", "), more)
	}
	rows, err := d.eng.Current(ctx)
	if err != nil {
		return err
	}
	if len(rows) > 0 {
		return fmt.Errorf("--scratch %s is not empty: its version table holds %s", d.Redacted(), strings.Join(rows, ", "))
	}
	return nil
}

// beyondPublic names the top-level objects of snap other than the public
// schema.
func beyondPublic(snap *schema.Snapshot) []string {
	var out []string
	for _, o := range snap.Objects {
		if o.Table != "" || o.Kind == schema.KindSchema && o.Name == "public" {
			continue
		}
		out = append(out, string(o.Kind)+" "+o.Name)
	}
	return out
}

// clear empties a given scratch database and checks that it is empty.
func (d *DB) clear(ctx context.Context) error {
	if err := d.cat.Clear(ctx); err != nil {
		return fmt.Errorf("emptying the scratch database %s: %w", d.Redacted(), err)
	}
	return d.checkEmpty(ctx)
}
