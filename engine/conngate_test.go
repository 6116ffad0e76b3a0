package engine

import (
	"context"
	"errors"
	"testing"
	"time"

	"retort/models"
)

// TestApplyWaitsForRead: a run started while a read holds the connection
// (the UI polling) waits for the read instead of failing with ErrBusy, and
// a run whose context ends while it waits stops with ErrCancelled.
func TestApplyWaitsForRead(t *testing.T) {
	ctx := context.Background()
	url := pgtestDatabase(t)
	revs := chain(1, nil)
	db := open(t, url, WithApplicationName("retort-gate-test"))
	if err := db.Apply(ctx, &models.Plan{}, nil); err != nil {
		t.Fatal(err)
	}
	p := newProbe(t, url)
	// The probe locks the version table: Current blocks in the database
	// while it holds the DB.
	p.exec("BEGIN")
	p.exec("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE")
	read := make(chan error, 1)
	go func() { _, err := db.Current(ctx); read <- err }()
	waitFor(t, 10*time.Second, "Current to block on the table lock", func() bool {
		return len(p.strings("SELECT pid::text FROM pg_stat_activity WHERE application_name = 'retort-gate-test' AND wait_event_type = 'Lock'")) > 0
	})

	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if err := db.Apply(short, upgradeChain(revs, -1, 0), nil); !errors.Is(err, ErrCancelled) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Apply with an expiring context behind a read returned %v, want ErrCancelled", err)
	}

	applied := make(chan error, 1)
	go func() { applied <- db.Apply(ctx, upgradeChain(revs, -1, 0), nil) }()
	waitFor(t, 10*time.Second, "Apply to wait for the read", func() bool { return db.gate.Waiters() == 1 })
	p.exec("COMMIT")
	if err := <-read; err != nil {
		t.Fatalf("Current: %v", err)
	}
	if err := <-applied; err != nil {
		t.Fatalf("Apply started during a read returned %v, want it to wait and succeed", err)
	}
	if rows := p.rows(); len(rows) != 1 || rows[0] != "r000" {
		t.Errorf("rows %v, want [r000]", rows)
	}
}
