package scratch

import (
	"fmt"
	"strings"

	"retort/engine/sqlsplit"
	"retort/models"
)

// refuseServerWide refuses a plan with a .sql statement on what a
// PostgreSQL server shares between its databases (roles, tablespaces,
// databases, the server's settings): in a scratch database on the live
// database's server, it would change the live database's server too. The
// body of a .py revision cannot be seen: it runs.
func refuseServerWide(plan *models.Plan) error {
	for _, s := range plan.Steps {
		r := s.Revision
		if r == nil || r.Format != models.FormatSQL {
			continue
		}
		sec := r.Upgrade
		if s.Direction == models.Downgrade {
			sec = r.Downgrade
		}
		for _, st := range sqlsplit.Split(sec.SQL) {
			if what, ok := serverWide(st.SQL); ok {
				return fmt.Errorf("%s:%d (revision %s) runs %s, which changes the whole server and not only the scratch database: build it on another server with --scratch URL",
					r.Path, sec.Line+st.Line-1, r.ID, what)
			}
		}
	}
	return nil
}

// serverWide names the server-wide statement stmt is, if it is one: CREATE,
// ALTER or DROP of a ROLE, USER (not USER MAPPING), GROUP, TABLESPACE or
// DATABASE, ALTER SYSTEM, a COMMENT ON or SECURITY LABEL ON one of those,
// and GRANT or REVOKE of a role (no ON).
func serverWide(stmt string) (string, bool) {
	var words []string
	hasOn := false
	for _, t := range sqlsplit.Tokens(stmt) {
		if t.Kind != sqlsplit.Keyword && t.Kind != sqlsplit.Ident {
			continue
		}
		w := strings.ToUpper(t.Text)
		if w == "ON" {
			hasOn = true
		}
		words = append(words, w)
	}
	if len(words) < 2 {
		return "", false
	}
	object := func(w string) bool {
		switch w {
		case "ROLE", "GROUP", "TABLESPACE", "DATABASE":
			return true
		}
		return w == "USER" && (len(words) < 3 || words[2] != "MAPPING")
	}
	switch words[0] {
	case "CREATE", "ALTER", "DROP":
		if object(words[1]) || words[0] == "ALTER" && words[1] == "SYSTEM" {
			return words[0] + " " + words[1], true
		}
	case "COMMENT", "SECURITY":
		for i := 1; i+1 < len(words) && i < 4; i++ {
			if words[i] == "ON" && object(words[i+1]) {
				return words[0] + " ON " + words[i+1], true
			}
		}
	case "GRANT", "REVOKE":
		if !hasOn {
			return words[0] + " of a role", true
		}
	}
	return "", false
}
