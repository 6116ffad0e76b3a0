package seg

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"retort/engine/sqlsplit"
	"retort/ui/theme"
	"retort/visible"
)

// SQL splits SQL into lines of segments with its keywords, strings,
// comments and numbers styled. The text is shown through package visible:
// it comes from a revision file.
func SQL(st *theme.Styles, sql string) []Line {
	sql = visible.Text(sql, "    ")
	var lines []Line
	var cur Line
	for _, tok := range sqlsplit.Tokens(sql) {
		style := tokenStyle(st, tok.Kind)
		parts := strings.Split(tok.Text, "\n")
		for k, p := range parts {
			if k > 0 {
				lines = append(lines, cur)
				cur = nil
			}
			if p != "" {
				cur = append(cur, Seg{Style: style, Text: p})
			}
		}
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	return TrimBlank(lines)
}

func tokenStyle(st *theme.Styles, k sqlsplit.TokenKind) *lipgloss.Style {
	switch k {
	case sqlsplit.Keyword:
		return &st.Keyword
	case sqlsplit.String:
		return &st.Str
	case sqlsplit.Comment:
		return &st.Comment
	case sqlsplit.Number:
		return &st.Number
	}
	return nil
}

// TrimBlank drops blank lines at both ends.
func TrimBlank(lines []Line) []Line {
	blank := func(l Line) bool {
		for _, s := range l {
			if strings.TrimSpace(s.Text) != "" {
				return false
			}
		}
		return true
	}
	for len(lines) > 0 && blank(lines[0]) {
		lines = lines[1:]
	}
	for len(lines) > 0 && blank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	return lines
}
