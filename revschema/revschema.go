// Package revschema gives the schema a database has at a revision: the
// plan from base to the revision, applied in a scratch database (package
// scratch), read from its catalog (package catalog), and cached by what
// decides it, so that the second look is instant.
//
// The cache key is the content of the revisions on the path (their ids and
// checksums, in the order they run), the dialect, the server's version,
// retort's version and the version of the snapshot format. A .py
// revision's key is its file only: what else it runs (env.py, the
// application's models) is not in it.
package revschema

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"retort/catalog"
	"retort/engine"
	"retort/models"
	"retort/revisions"
	"retort/schema"
	"retort/scratch"
)

// FormatVersion is the version of what a snapshot holds and how it is
// read; a cached snapshot of another version is not used.
const FormatVersion = 1

// Builder builds the schema at revisions, one scratch database for all
// (emptied between two), made at the first snapshot not in the cache.
type Builder struct {
	Graph   *models.Graph
	Scratch scratch.Config
	// CacheDir holds the cached snapshots; "" caches nothing.
	CacheDir string
	// Retort is retort's version, part of the cache key.
	Retort string
	// Events receives the events of the runs in the scratch database;
	// nil ignores them.
	Events func(models.Event)

	server *scratch.Server
	db     *scratch.DB
	// used: the scratch database holds a schema already.
	used bool
}

// Result is the schema at some revisions.
type Result struct {
	// Targets are the revisions as asked; Rows the version rows they
	// resolve to (sorted), empty for base.
	Targets []string `json:"targets"`
	Rows    []string `json:"rows"`
	// Server is where the snapshot was (or would be) built.
	Server   scratch.Server   `json:"server"`
	Snapshot *schema.Snapshot `json:"snapshot"`
	// Cached: read from the cache, no database was built.
	Cached bool `json:"-"`
}

// Plans are the plans that take an empty database to all of targets, one
// after the other (none for no target).
func Plans(g *models.Graph, targets []string) ([]*models.Plan, []string, error) {
	var rows []string
	var plans []*models.Plan
	for _, t := range targets {
		p, err := revisions.Upgrade(g, rows, t)
		if err != nil {
			return nil, nil, err
		}
		plans = append(plans, p)
		rows = p.Final
	}
	return plans, rows, nil
}

// At is the schema at targets (revision ids or any target `upgrade`
// takes; none for an empty database).
func (b *Builder) At(ctx context.Context, targets ...string) (*Result, error) {
	plans, rows, err := Plans(b.Graph, targets)
	if err != nil {
		return nil, err
	}
	if b.server == nil {
		s, err := scratch.Probe(ctx, b.Scratch)
		if err != nil {
			return nil, err
		}
		b.server = &s
	}
	res := &Result{Targets: targets, Rows: rows, Server: *b.server}
	if res.Rows == nil {
		res.Rows = []string{}
	}
	key := b.key(plans)
	if snap, ok := b.cached(key); ok {
		res.Snapshot, res.Cached = snap, true
		return res, nil
	}
	if res.Snapshot, err = b.build(ctx, plans, rows); err != nil {
		return nil, err
	}
	if err := b.store(key, res.Snapshot); err != nil {
		return nil, err
	}
	return res, nil
}

// build applies the plans in the scratch database and reads its schema.
func (b *Builder) build(ctx context.Context, plans []*models.Plan, rows []string) (*schema.Snapshot, error) {
	var err error
	switch {
	case b.db == nil:
		b.db, err = scratch.Open(ctx, b.Scratch)
	case b.used:
		err = b.db.Reset(ctx)
	}
	if err != nil {
		return nil, err
	}
	b.used = true
	for _, p := range plans {
		if p.Empty() {
			continue
		}
		if err := b.db.Apply(ctx, p, b.Events); err != nil {
			return nil, fmt.Errorf("building the schema in the scratch database: %w", err)
		}
	}
	got, err := b.db.Rows(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Equal(got, rows) {
		return nil, fmt.Errorf("the scratch database ended at [%s], not at [%s] as planned", strings.Join(got, ", "), strings.Join(rows, ", "))
	}
	return b.db.Schema(ctx)
}

// Close removes the scratch database, if one was made.
func (b *Builder) Close() error {
	if b.db == nil {
		return nil
	}
	err := b.db.Close()
	b.db = nil
	return err
}

// key is the cache key of the schema the plans build.
func (b *Builder) key(plans []*models.Plan) string {
	h := sha256.New()
	fmt.Fprintf(h, "retort schema snapshot %d\nretort %s\ndialect %s\nserver %s\n",
		FormatVersion, b.Retort, b.server.Dialect, b.server.Version)
	for _, p := range plans {
		for _, s := range p.Steps {
			if s.Revision != nil {
				fmt.Fprintf(h, "%s %s %s\n", s.Direction, s.Revision.ID, s.Revision.Checksum)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// cacheFile is what a cached snapshot's file holds.
type cacheFile struct {
	Format   int              `json:"format"`
	Snapshot *schema.Snapshot `json:"snapshot"`
}

func (b *Builder) path(key string) string { return filepath.Join(b.CacheDir, key+".json") }

// cached reads a snapshot from the cache. A file that cannot be read is a
// miss (and is written again).
func (b *Builder) cached(key string) (*schema.Snapshot, bool) {
	if b.CacheDir == "" {
		return nil, false
	}
	data, err := os.ReadFile(b.path(key))
	if err != nil {
		return nil, false
	}
	var f cacheFile
	if json.Unmarshal(data, &f) != nil || f.Format != FormatVersion || f.Snapshot == nil {
		return nil, false
	}
	return f.Snapshot, true
}

// store writes a snapshot to the cache, atomically (a temporary file
// renamed), so that a reader never sees half of one.
func (b *Builder) store(key string, snap *schema.Snapshot) error {
	if b.CacheDir == "" {
		return nil
	}
	if err := os.MkdirAll(b.CacheDir, 0o700); err != nil {
		return fmt.Errorf("the snapshot cache: %w", err)
	}
	data, err := json.Marshal(cacheFile{Format: FormatVersion, Snapshot: snap})
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(b.CacheDir, key+".*.tmp")
	if err != nil {
		return fmt.Errorf("the snapshot cache: %w", err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), b.path(key))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("the snapshot cache: %w", err)
	}
	return nil
}

// DefaultCacheDir is $XDG_CACHE_HOME/retort/schema (~/.cache/retort/schema
// when XDG_CACHE_HOME is unset, as os.UserCacheDir says).
func DefaultCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "retort", "schema"), nil
}

// Side is one side of a Diff: what it is (a revision, the live database),
// the version rows it is at, and its schema.
type Side struct {
	Label    string           `json:"label"`
	Rows     []string         `json:"rows"`
	Snapshot *schema.Snapshot `json:"-"`
}

// Diff is what differs from one schema to another.
type Diff struct {
	From    Side           `json:"from"`
	To      Side           `json:"to"`
	Changes []schema.Group `json:"changes"`
}

// newDiff compares two sides.
func newDiff(from, to Side) *Diff {
	d := &Diff{From: from, To: to, Changes: schema.Compare(from.Snapshot, to.Snapshot)}
	if d.Changes == nil {
		d.Changes = []schema.Group{}
	}
	return d
}

// Text is the diff as `retort diff` prints it: "--- FROM" and "+++ TO",
// then the changes (schema.DiffText); "" when nothing differs.
func (d *Diff) Text() string {
	if len(d.Changes) == 0 {
		return ""
	}
	return "--- " + d.From.Label + "\n+++ " + d.To.Label + "\n" + schema.DiffText(d.Changes)
}

// Between compares the schemas at revisions a and b.
func (b *Builder) Between(ctx context.Context, from, to string) (*Diff, error) {
	var sides [2]Side
	for i, rev := range []string{from, to} {
		r, err := b.At(ctx, rev)
		if err != nil {
			return nil, err
		}
		sides[i] = Side{Label: rev, Rows: r.Rows, Snapshot: r.Snapshot}
	}
	return newDiff(sides[0], sides[1]), nil
}

// Live compares the schema the version rows say the live database at url
// has (built in a scratch database) with the schema it has, read from its
// catalog on a read-only connection, without retort's own tables (skip).
func (b *Builder) Live(ctx context.Context, url string, rows []string, skip catalog.Skip) (*Diff, error) {
	want, err := b.At(ctx, rows...)
	if err != nil {
		return nil, err
	}
	got, err := catalog.ReadSchema(ctx, url, catalog.Options{ReadOnly: true, Skip: skip})
	if err != nil {
		return nil, err
	}
	return newDiff(Side{Label: "version rows [" + strings.Join(want.Rows, ", ") + "]", Rows: want.Rows, Snapshot: want.Snapshot},
		Side{Label: "live " + engine.MaskURL(url), Rows: want.Rows, Snapshot: got}), nil
}

// JSON is the --json form of a schema at revisions.
func (r *Result) JSON() any {
	return struct {
		Targets       []string        `json:"targets"`
		Rows          []string        `json:"rows"`
		Dialect       string          `json:"dialect"`
		ServerVersion string          `json:"server_version"`
		Objects       []schema.Object `json:"objects"`
	}{r.Targets, r.Rows, r.Server.Dialect, r.Server.Version, r.Snapshot.Objects}
}
