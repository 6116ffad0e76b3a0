package doc

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"retort/ui/seg"
	"retort/ui/theme"
)

// Large is a large SQL text shown row by row: the text itself (the
// revision's, shared, never copied) and where its lines start.
type Large struct {
	text string
	// starts are the byte offsets of the lines' starts.
	starts []int32
}

// lookBack is how many lines before the first row drawn are highlighted
// with it, so that a comment or a string that starts above the screen is
// drawn as one.
const lookBack = 200

// NewLarge indexes the lines of text. Texts of 2 GiB or more, which int32
// offsets cannot index, are cut there.
func NewLarge(text string) *Large {
	if len(text) >= 1<<31 {
		text = text[:1<<31-1]
	}
	l := &Large{text: text, starts: make([]int32, 1, strings.Count(text, "\n")+1)}
	for off := 0; ; {
		k := strings.IndexByte(text[off:], '\n')
		if k < 0 || off+k+1 >= len(text) {
			break
		}
		off += k + 1
		l.starts = append(l.starts, int32(off))
	}
	return l
}

// Rows is the number of lines.
func (l *Large) Rows() int { return len(l.starts) }

// Size says how large the text is, for a note above it: "50.0 MB, 512,345
// lines".
func (l *Large) Size() string {
	return fmt.Sprintf("%.1f MB, %s lines", float64(len(l.text))/(1<<20), thousands(l.Rows()))
}

// line is line k without its line break.
func (l *Large) line(k int) string {
	end := len(l.text)
	if k+1 < len(l.starts) {
		end = int(l.starts[k+1])
	}
	return strings.TrimRight(l.text[l.starts[k]:end], "\r\n")
}

// Render draws n rows from row from, each cut at width w: the lines are
// highlighted together with up to lookBack lines above them, so that a
// comment or a string that began there is drawn as one; a line longer than
// the width is cut before it is highlighted, so that a line of megabytes
// costs no more than a short one.
func (l *Large) Render(st *theme.Styles, from, n, w int) []string {
	first := max(0, from-lookBack)
	end := min(from+n, l.Rows())
	var b strings.Builder
	for k := first; k < end; k++ {
		b.WriteString(cut(l.line(k), w))
		b.WriteByte('\n')
	}
	lines := seg.SQL(st, b.String())
	// seg.SQL trims blank lines at both ends: count the rows from the end,
	// which the drawn rows are at.
	lines = padTo(lines, end-first, b.String())
	out := make([]string, 0, end-from)
	for _, line := range lines[from-first:] {
		if line.Width() > w {
			// Marked as cut even where the cut falls between two
			// tokens.
			line = cutLine(line, w-ansi.StringWidth(st.Ellipsis()), st.Ellipsis())
		}
		out = append(out, line.Render(st, w))
	}
	return out
}

// padTo puts back the blank lines seg.SQL trimmed from the ends of text, so
// that line k of the result is line k of text.
func padTo(lines []seg.Line, want int, text string) []seg.Line {
	if len(lines) == want {
		return lines
	}
	all := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	lead := 0
	for lead < len(all) && strings.TrimSpace(all[lead]) == "" {
		lead++
	}
	out := make([]seg.Line, 0, want)
	for range lead {
		out = append(out, seg.Plain(""))
	}
	out = append(out, lines...)
	for len(out) < want {
		out = append(out, seg.Plain(""))
	}
	return out[:want]
}

// cut is a start of s long enough to fill w columns once shown (a rune of
// up to four bytes takes a column at least, a control or a tab more),
// ending on a rune boundary; the row is cut to the width, and marked, when
// it is drawn.
func cut(s string, w int) string {
	limit := 4*w + 8
	if len(s) <= limit {
		return s
	}
	k := limit
	for k > 0 && !utf8.RuneStart(s[k]) {
		k--
	}
	return s[:k]
}

// cutLine is the first w columns of l, then mark.
func cutLine(l seg.Line, w int, mark string) seg.Line {
	out := make(seg.Line, 0, len(l)+1)
	used := 0
	for _, s := range l {
		tw := ansi.StringWidth(s.Text)
		if used+tw > w {
			s.Text = ansi.Truncate(s.Text, max(0, w-used), "")
			out = append(out, s)
			break
		}
		out = append(out, s)
		used += tw
	}
	return append(out, seg.Seg{Text: mark})
}

// stripStyles is a rendered row without its escape sequences.
func stripStyles(s string) string { return ansi.Strip(s) }

// thousands writes n with a comma every three digits: 512,345.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for k := len(s) - 3; k > 0; k -= 3 {
		s = s[:k] + "," + s[k:]
	}
	return s
}
