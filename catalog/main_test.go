package catalog

import (
	"os"
	"testing"

	"retort/engine/pgtest"
	"retort/schema"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// countKind counts the objects of kind k.
func countKind(objs []schema.Object, k schema.Kind) int {
	n := 0
	for _, o := range objs {
		if o.Kind == k {
			n++
		}
	}
	return n
}
