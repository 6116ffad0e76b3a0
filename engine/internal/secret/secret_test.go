package secret

import (
	"errors"
	"testing"
)

// TestText: the password of the URL is hidden in a driver's message in
// every form it can take there (as written, decoded, encoded), and a
// password too short to be told from ordinary words only where it stands
// as a password.
func TestText(t *testing.T) {
	long := Of("postgres://u:p%40ss%2Fword@h/db")
	for _, msg := range []string{"auth failed for p@ss/word", "bad p%40ss%2Fword", "bad p%40ss%2Fword and p@ss/word"} {
		if got := Text(msg, long); got == msg || len(got) == 0 {
			t.Errorf("Text(%q) = %q", msg, got)
		}
	}
	short := Of("postgres://u:pw@h/db")
	if got := Text("the pw column; postgres://u:pw@h/db", short); got != "the pw column; postgres://u:xxxxx@h/db" {
		t.Errorf("short password: %q", got)
	}
	err := Error(errors.New("auth failed for p@ss/word"), long)
	if err.Error() != "auth failed for xxxxx" || errors.Unwrap(err) == nil {
		t.Errorf("Error = %q", err)
	}
}
