package review

import (
	"context"
	"sync"

	"retort/models"
	"retort/revschema"
	"retort/schema"
)

// ScratchSchemas says what revisions change in the schema by building the
// schema before and after each in a scratch database (package revschema,
// with its cache). The builder is made on first use, so that a review of
// .sql revisions alone never makes a scratch database nor asks for its
// configuration; a builder that could not be made gives its error to every
// revision that needs it.
type ScratchSchemas struct {
	// New makes the builder.
	New func(ctx context.Context) (*revschema.Builder, error)

	once sync.Once
	b    *revschema.Builder
	err  error
}

// Changes implements Schemas: from the schema at what revision i needs
// (its parents and dependencies; an empty database for a base) to the
// schema at i.
func (s *ScratchSchemas) Changes(ctx context.Context, g *models.Graph, i int) ([]schema.Group, error) {
	s.once.Do(func() { s.b, s.err = s.New(ctx) })
	if s.err != nil {
		return nil, s.err
	}
	before, err := s.b.At(ctx, g.IDs(g.Down[i])...)
	if err != nil {
		return nil, err
	}
	after, err := s.b.At(ctx, g.Revisions[i].ID)
	if err != nil {
		return nil, err
	}
	return schema.Compare(before.Snapshot, after.Snapshot), nil
}

// Close removes the scratch database, if one was made.
func (s *ScratchSchemas) Close() error {
	if s.b == nil {
		return nil
	}
	return s.b.Close()
}
