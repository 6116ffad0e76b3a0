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

// MaskURL masks a URL's password whatever it holds unencoded ('#', '?',
// spaces, '/', ':', '@'), without parsing the URL, and Of finds it whole.
func TestMaskURLForms(t *testing.T) {
	for _, pw := range []string{"pa#ss", "pa?ss", "pa ss", "pa/ss", "p:ss", "p@ss", "pa%23ss", "été"} {
		raw := "postgresql://app:" + pw + "@db.example:5432/lib?sslmode=require"
		if got, want := MaskURL(raw), "postgresql://app:xxxxx@db.example:5432/lib?sslmode=require"; got != want {
			t.Errorf("MaskURL(%q) = %q, want %q", raw, got, want)
		}
		if forms := Of(raw); len(forms) == 0 || forms[0] != pw {
			t.Errorf("Of(%q) = %q, want %q first", raw, forms, pw)
		}
	}
	for raw, want := range map[string]string{
		"postgres://app@h/db":                       "postgres://app@h/db",
		"postgres://h/db?password=pa%23ss&x=1":      "postgres://h/db?password=xxxxx&x=1",
		"host=h user=app password='pa ss' dbname=d": "host=h user=app password=xxxxx dbname=d",
		"sqlite:/tmp/a@b.db":                        "sqlite:/tmp/a@b.db",
	} {
		if got := MaskURL(raw); got != want {
			t.Errorf("MaskURL(%q) = %q, want %q", raw, got, want)
		}
	}
	if !UnencodedAt("postgres://app:p@ss@h/db") || UnencodedAt("postgres://app:p%40ss@h/db") {
		t.Error("UnencodedAt does not tell an unencoded '@' in the password")
	}
}
