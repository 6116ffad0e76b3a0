package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// seg is a piece of text in one style (nil: none). Panes that show long text
// (detail, modals) keep their lines as segments, wrap them without styles
// and render only the lines on screen.
type seg struct {
	st   *lipgloss.Style
	text string
}

type segLine []seg

func plainLine(s string) segLine { return segLine{{text: s}} }

func styledLine(st *lipgloss.Style, s string) segLine { return segLine{{st: st, text: s}} }

// plain is the line's text without styles.
func (l segLine) plain() string {
	var b strings.Builder
	for _, s := range l {
		b.WriteString(s.text)
	}
	return b.String()
}

// width is the line's width in columns.
func (l segLine) width() int {
	n := 0
	for _, s := range l {
		n += ansi.StringWidth(s.text)
	}
	return n
}

// render draws the line padded (or cut) to w columns.
func (l segLine) render(st *styles, w int) string {
	var b strings.Builder
	used := 0
	for _, s := range l {
		if used >= w {
			break
		}
		text := s.text
		if tw := ansi.StringWidth(text); used+tw > w {
			text = ansi.Truncate(text, w-used, st.ellipsis())
		}
		used += ansi.StringWidth(text)
		if s.st != nil && strings.TrimSpace(text) != "" {
			text = s.st.Render(text)
		}
		b.WriteString(text)
	}
	if used < w {
		b.WriteString(strings.Repeat(" ", w-used))
	}
	return b.String()
}

// wrapLines hard-wraps lines to w columns; continuation lines are indented by
// two spaces so that a wrapped statement reads as one.
func wrapLines(lines []segLine, w int) []segLine {
	if w < 8 {
		return lines
	}
	out := make([]segLine, 0, len(lines))
	for _, l := range lines {
		if l.width() <= w {
			out = append(out, l)
			continue
		}
		out = append(out, wrapLine(l, w)...)
	}
	return out
}

func wrapLine(l segLine, w int) []segLine {
	var out []segLine
	var cur segLine
	used := 0
	for _, s := range l {
		text := s.text
		for text != "" {
			room := w - used
			if room <= 0 {
				out = append(out, cur)
				cur, used = segLine{{text: "  "}}, 2
				continue
			}
			head := ansi.Truncate(text, room, "")
			if head == "" { // a wide rune that does not fit
				out = append(out, cur)
				cur, used = segLine{{text: "  "}}, 2
				head = ansi.Truncate(text, w-2, "")
				if head == "" {
					head = string([]rune(text)[:1])
				}
			}
			cur = append(cur, seg{st: s.st, text: head})
			used += ansi.StringWidth(head)
			text = text[len(head):]
		}
	}
	return append(out, cur)
}
