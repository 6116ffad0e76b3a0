package rehearse

import (
	"context"
	"path/filepath"
	"testing"

	"retort/revisions"
	"retort/scratch"
)

// BenchmarkRehearseAllLibrarySQLite rehearses every revision of the
// 30-revision example history in a temporary SQLite file: `retort rehearse
// --all`. Goal: under 5 s.
func BenchmarkRehearseAllLibrarySQLite(b *testing.B) {
	g, err := revisions.Load(filepath.Join("..", "examples", "library"))
	if err != nil {
		b.Fatal(err)
	}
	cfg := scratch.Config{Live: "sqlite:" + filepath.Join(b.TempDir(), "live.db")}
	for b.Loop() {
		res, err := Run(context.Background(), g, cfg, All(g), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Count(RoundTrip) != g.Len() {
			b.Fatalf("%s", res.Summary())
		}
	}
}
