package pyexec

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// newProject writes an Alembic project as `alembic init` lays it out, with
// the example's alembic.ini (on url) and env.py (or envPy when given), and
// the revision files given (name: source).
func newProject(t *testing.T, url, envPy string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	example := filepath.Join("..", "..", "examples", "alembic")
	b, err := os.ReadFile(filepath.Join(example, "alembic.ini"))
	if err != nil {
		t.Fatal(err)
	}
	ini := strings.Replace(string(b), "script_location = migrations", "script_location = "+filepath.Join(dir, "migrations"), 1)
	ini = regexp.MustCompile(`(?m)^sqlalchemy\.url = .*$`).ReplaceAllLiteralString(ini, "sqlalchemy.url = "+strings.ReplaceAll(url, "%", "%%"))
	write(t, filepath.Join(dir, "alembic.ini"), ini)
	if envPy == "" {
		b, err := os.ReadFile(filepath.Join(example, "migrations", "env.py"))
		if err != nil {
			t.Fatal(err)
		}
		envPy = string(b)
	}
	write(t, filepath.Join(dir, "migrations", "env.py"), envPy)
	for name, src := range files {
		write(t, filepath.Join(dir, "migrations", "versions", name), src)
	}
	return dir
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// pyRevision is the source of a .py revision whose upgrade() is upgrade
// (indented), with `op`, `sa`, `os`, `signal`, `time` and `logging` at
// hand; its downgrade() is downgrade, or `pass`.
func pyRevision(id, parent, upgrade, downgrade string) string {
	down := "None"
	if parent != "" {
		down = `"` + parent + `"`
	}
	if downgrade == "" {
		downgrade = "    pass"
	}
	return `"""` + id + `"""
import logging, os, signal, time
from alembic import op
import sqlalchemy as sa

revision = "` + id + `"
down_revision = ` + down + `
branch_labels = None
depends_on = None


def upgrade():
` + upgrade + `


def downgrade():
` + downgrade + `
`
}

// sqlRevision is the source of a .sql revision of retort's.
func sqlRevision(id, parent, upgrade, downgrade string) string {
	return "-- Revision ID: " + id + "\n-- Revises: " + parent + "\n-- Message: " + id + "\n\n-- +upgrade\n" +
		upgrade + "\n\n-- +downgrade\n" + downgrade + "\n"
}
