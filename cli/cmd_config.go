package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"retort/engine"
	"retort/visible"
)

// config: the resolved settings and where each comes from.

// configEntry is one resolved setting in `retort config --json`.
type configEntry struct {
	Value  any    `json:"value"`
	Source string `json:"source"`
}

// configValues lists the resolved settings in settingKeys order, with the
// database password masked.
func configValues(s *settings) []struct {
	key   string
	value any
} {
	return []struct {
		key   string
		value any
	}{
		{keyDirs, s.Dirs},
		{keyDB, engine.MaskURL(s.DB)},
		{keyVersionTable, s.VersionTable},
		{keyVersionSchema, s.VersionSchema},
		{keyLockTimeout, s.LockTimeout.String()},
		{keyAudit, s.Audit},
		{keyASCII, s.ASCII},
		{keyEditor, s.Editor},
	}
}

// configLong is the description `retort config --help` prints.
const configLong = `Print every setting retort runs with, one per line in retort.toml syntax,
each followed by where it came from:

  dirs = ["migrations"]                 # /srv/app/retort.toml
  db = "postgresql://app:xxxxx@db/app"  # environment DATABASE_URL
  version_table = "alembic_version"     # default

The first of these that sets a value wins: a flag (--dir, --db, ...), the
environment (DATABASE_URL, RETORT_DIR; VISUAL and EDITOR for the editor),
retort.toml (the --config file, else ./retort.toml; shown by absolute
path), ./alembic.ini ([alembic] script_location, version_locations and
sqlalchemy.url, as Alembic reads them, %(here)s included), the default.
The database password is masked. Paths are shown as retort uses them,
relative to the current directory (a relative path written in retort.toml
is relative to that file, one in alembic.ini to the current directory, as
in Alembic).

  --json   print {"<key>": {"value": ..., "source": "..."}} instead

config is retort's own; Alembic has no such command.

Exit status: 0; 1 when a configuration file cannot be read (the error names
the file, the line and, for an unknown key, the keys retort knows).`

func (a *app) configCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "config",
		Short: "Show the resolved settings and where each comes from",
		Long:  configLong,
		Example: `  retort config
  retort --dir examples/library config
  DATABASE_URL=postgresql://app:secret@db/app retort config --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			values := configValues(a.cfg)
			if asJSON {
				out := make(map[string]configEntry, len(values))
				for _, v := range values {
					out[v.key] = configEntry{Value: v.value, Source: a.cfg.Source[v.key]}
				}
				return a.writeJSON(out)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			for _, v := range values {
				fmt.Fprintf(tw, "%s = %s\t# %s\n", v.key, visible.Line(tomlValue(v.value)), visible.Line(a.cfg.Source[v.key]))
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

// tomlValue writes a setting in TOML syntax.
func tomlValue(v any) string {
	switch x := v.(type) {
	case string:
		return tomlQuote(x)
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = tomlQuote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case time.Duration:
		return tomlQuote(x.String())
	}
	return fmt.Sprint(v)
}

// tomlQuote writes s as a TOML basic string. Control characters and the
// characters a terminal does not draw as themselves (visible.Control) are
// written as \uXXXX escapes, which TOML reads back as they were: unlike
// strconv.Quote's \x1b or \a, which TOML 1.0 does not know.
func tomlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r > 0xffff && visible.Control(r): // tag characters
			fmt.Fprintf(&b, "\\U%08x", r)
		case visible.Control(r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
