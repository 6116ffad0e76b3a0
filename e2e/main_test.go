package e2e

import (
	"os"
	"testing"

	"retort/engine/pgtest"
)

// TestMain gives the package's tests a real PostgreSQL (RETORT_TEST_DATABASE_URL,
// or a throwaway server started for the run).
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
