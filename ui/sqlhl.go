package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"retort/engine/sqlsplit"
	"retort/visible"
)

// highlightSQL splits SQL into lines of segments with its keywords, strings,
// comments and numbers styled. The text is shown through package visible:
// it comes from a revision file.
func highlightSQL(st *styles, sql string) []segLine {
	sql = visible.Text(sql, "    ")
	var lines []segLine
	var cur segLine
	for _, tok := range sqlsplit.Tokens(sql) {
		style := tokenStyle(st, tok.Kind)
		parts := strings.Split(tok.Text, "\n")
		for k, p := range parts {
			if k > 0 {
				lines = append(lines, cur)
				cur = nil
			}
			if p != "" {
				cur = append(cur, seg{st: style, text: p})
			}
		}
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	return trimBlankEnds(lines)
}

func tokenStyle(st *styles, k sqlsplit.TokenKind) *lipgloss.Style {
	switch k {
	case sqlsplit.Keyword:
		return &st.keyword
	case sqlsplit.String:
		return &st.str
	case sqlsplit.Comment:
		return &st.comment
	case sqlsplit.Number:
		return &st.number
	}
	return nil
}

// trimBlankEnds drops blank lines at both ends.
func trimBlankEnds(lines []segLine) []segLine {
	blank := func(l segLine) bool {
		for _, s := range l {
			if strings.TrimSpace(s.text) != "" {
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
