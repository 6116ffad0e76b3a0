package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"retort/ui/pane"
)

// largeRevisionBytes is the size of the large revision of the benchmarks:
// a data migration of 50 MB, as issue 12 measured.
const largeRevisionBytes = 50 << 20

// writeLargeHistory writes the linear fixture and, on its head, a revision
// whose upgrade section is a data migration of about size bytes (one INSERT
// a line, with a multi-line comment and a string that spans lines now and
// then), and returns the directory.
func writeLargeHistory(tb testing.TB, size int) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "versions")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	src := fixture("linear")
	entries, err := os.ReadDir(src)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	var b strings.Builder
	b.Grow(size + 4096)
	b.WriteString("-- Revision ID: 5e0000000005\n-- Revises: 4d0000000004\n-- Message: import the legacy records\n\n-- +upgrade\n")
	b.WriteString("CREATE TABLE legacy (id INTEGER PRIMARY KEY, kind VARCHAR(32), payload TEXT);\n")
	for k := 0; b.Len() < size; k++ {
		if k%10000 == 0 {
			fmt.Fprintf(&b, "/* batch %d of the legacy export,\n   exported from the old catalogue */\n", k/10000)
		}
		if k%5000 == 1 {
			fmt.Fprintf(&b, "INSERT INTO legacy VALUES (%d, 'note', 'a note that\nspans two lines');\n", k)
			continue
		}
		fmt.Fprintf(&b, "INSERT INTO legacy VALUES (%d, 'document', '{\"title\": \"Record %d of the legacy catalogue\", \"year\": %d}');\n", k, k, 1900+k%120)
	}
	b.WriteString("\n-- +downgrade\nDROP TABLE legacy;\n")
	if err := os.WriteFile(filepath.Join(dir, "5e0000000005_import_the_legacy_records.sql"), []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// firstFrame is what the UI does from its start to its first frame with
// the history loaded: read the files, lay the graph out, and draw (the
// cursor starts on the head, the large revision).
func firstFrame(tb testing.TB, dir string) tea.Model {
	h, err := pane.Load([]string{dir})
	if err != nil {
		tb.Fatal(err)
	}
	var m tea.Model = New(Config{Dirs: []string{dir}, Now: fixedNow})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	m, _ = m.Update(graphLoadedMsg{hist: h})
	if !strings.Contains(m.View(), "INSERT INTO legacy") {
		tb.Fatalf("the first frame does not show the large revision's SQL:\n%s", m.View())
	}
	return m
}

// liveHeapMB is the heap in use once garbage is collected, with m alive:
// what the UI holds.
func liveHeapMB(m tea.Model) float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	runtime.KeepAlive(m)
	return float64(ms.HeapAlloc) / (1 << 20)
}

// BenchmarkLargeRevisionFirstFrame is the first frame with a 50 MB
// revision in the history, selected: the files read, the graph laid out
// and the screen drawn. It reports the heap the UI holds afterwards.
func BenchmarkLargeRevisionFirstFrame(b *testing.B) {
	dir := writeLargeHistory(b, largeRevisionBytes)
	b.ReportAllocs()
	var m tea.Model
	for b.Loop() {
		m = firstFrame(b, dir)
	}
	b.ReportMetric(liveHeapMB(m), "heap-MB")
}

// BenchmarkLargeRevisionCursor is the cursor landing on a 50 MB revision
// (from the revision below it) and the frame that follows.
func BenchmarkLargeRevisionCursor(b *testing.B) {
	dir := writeLargeHistory(b, largeRevisionBytes)
	m := firstFrame(b, dir)
	b.ReportAllocs()
	for b.Loop() {
		m, _ = m.Update(keyMsg("j"))
		m, _ = m.Update(keyMsg("k"))
		if !strings.Contains(m.View(), "INSERT INTO legacy") {
			b.Fatal("the cursor did not land on the large revision")
		}
	}
	b.ReportMetric(liveHeapMB(m), "heap-MB")
}
