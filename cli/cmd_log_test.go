package cli

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"retort/engine/pgtest"
)

// currentUser is the database user of url, as the server names it.
func currentUser(t *testing.T, url string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var user string
	if err := conn.QueryRow(ctx, "SELECT current_user").Scan(&user); err != nil {
		t.Fatal(err)
	}
	return user
}

// `retort log` names the database user of each entry, and `log --json`
// writes its keys in snake_case, as every other --json does.
func TestLogDatabaseUserAndJSONKeys(t *testing.T) {
	url := pgtest.NewDatabase(t)
	user := currentUser(t, url)
	cli := func(args ...string) string {
		t.Helper()
		out, errOut, code := runCLI(t, append([]string{"--dir", h01, "--db", url}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return out
	}
	cli("upgrade", "a000")
	out := cli("log")
	if !strings.Contains(out, " as "+user+" ") {
		t.Errorf("log does not name the database user %s:\n%s", user, out)
	}
	var entries []map[string]any
	if err := json.Unmarshal([]byte(cli("log", "--json")), &entries); err != nil || len(entries) != 1 {
		t.Fatalf("log --json: %v, %d entries", err, len(entries))
	}
	snake := regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)
	var keys []string
	for k := range entries[0] {
		keys = append(keys, k)
		if !snake.MatchString(k) {
			t.Errorf("key %q is not snake_case", k)
		}
	}
	slices.Sort(keys)
	want := []string{"db_user", "direction", "error", "finished_at", "host", "id", "os_user", "outcome", "retort_version",
		"revision", "rows_after", "rows_before", "sha256", "started_at", "version_table"}
	if !slices.Equal(keys, want) {
		t.Errorf("log --json keys %v, want %v", keys, want)
	}
	if entries[0]["db_user"] != user || entries[0]["revision"] != "a000" {
		t.Errorf("log --json entry %v", entries[0])
	}
	if rows, ok := entries[0]["rows_before"].([]any); !ok || len(rows) != 0 {
		t.Errorf("rows_before of the first upgrade is %v, want []", entries[0]["rows_before"])
	}
}
