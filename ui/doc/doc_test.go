package doc

import (
	"fmt"
	"strings"
	"testing"

	"retort/ui/seg"
	"retort/ui/theme"
)

// largeSQL is SQL of at least size bytes, one INSERT a line, with a block
// comment over two lines every thousand lines.
func largeSQL(size int) string {
	var b strings.Builder
	for k := 0; b.Len() < size; k++ {
		if k%1000 == 500 {
			b.WriteString("/* a comment\n   over two lines */\n")
		}
		fmt.Fprintf(&b, "INSERT INTO t VALUES (%d, 'row %d');\n", k, k)
	}
	return b.String()
}

// A large SQL text is one row a line, drawn row by row from the text
// itself, exactly as the same lines drawn as a small text: the same
// highlighting, a comment that began above the screen still a comment.
func TestLargeSQLDrawsAsSmall(t *testing.T) {
	st := theme.New(false)
	sql := largeSQL(LargeSQL + 1000)
	var d Doc
	d.Add(seg.Plain("header"))
	d.AddSQL(st, sql)
	d.Add(seg.Plain("footer"))
	if len(d.parts) != 3 || d.parts[1].large == nil {
		t.Fatalf("the SQL of %d bytes was not kept large", len(sql))
	}
	w := d.Wrap(60)
	lines := strings.Count(sql, "\n")
	if w.Len() != lines+2 {
		t.Fatalf("%d rows, want %d lines and 2", w.Len(), lines)
	}
	small := seg.SQL(st, sql)
	for _, from := range []int{0, 1, 499, 500, 501, 502, 1500, lines - 5} {
		got := w.Render(st, from+1, 3)
		for k, row := range got {
			if want := small[from+k].Render(st, 60); row != want {
				t.Errorf("row %d: %q, want %q", from+k, row, want)
			}
		}
	}
	if got := w.Render(st, 0, 1)[0]; !strings.HasPrefix(got, "header") {
		t.Errorf("first row %q", got)
	}
	if got := w.Render(st, w.Len()-1, 5); len(got) != 1 || !strings.HasPrefix(got[0], "footer") {
		t.Errorf("last rows %q", got)
	}
}

// A line of megabytes is cut before it is drawn: a row is the width.
func TestLargeLongLine(t *testing.T) {
	st := theme.New(true)
	sql := "INSERT INTO t VALUES " + strings.Repeat("(1, 'x'), ", LargeSQL/10) + "(2, 'y');\n"
	var d Doc
	d.AddSQL(st, sql)
	w := d.Wrap(40)
	if w.Len() != 1 {
		t.Fatalf("%d rows, want 1", w.Len())
	}
	row := w.Render(st, 0, 1)[0]
	if got := len([]rune(row)); got != 40 || !strings.HasSuffix(row, "~") {
		t.Fatalf("the row is %d runes, %q", got, row)
	}
}
