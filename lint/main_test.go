package lint

import (
	"os"
	"testing"

	"retort/engine/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
