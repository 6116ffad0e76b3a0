// Package secret keeps passwords out of what retort shows: it masks them in
// connection strings and in the drivers' error texts.
package secret

import (
	"net/url"
	"regexp"
	"strings"
)

// Mask replaces a password wherever retort shows a connection
// string. It is the mask net/url's Redacted uses.
const Mask = "xxxxx"

// Patterns of the places a password can hide in a connection string or in a
// driver's error text.
var (
	// scheme://user:password@ in a message: the userinfo of a URL quoted
	// among other words, the password running to the last '@' before the
	// path or the query, so that an unescaped '@' or '/' in it is still
	// masked. (A connection string alone is masked by MaskURL, which
	// also takes '#', '?' and spaces.)
	urlUserinfoRE = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.\-]*://[^:/?#@\s]*:)([^\s?#]*)@`)
	// password=... in a URL query or a key/value DSN, the key possibly
	// percent-encoded (pgx itself accepts pass%77ord=).
	kvPasswordRE = regexp.MustCompile(`(?i)((?:^|[\s?&;])(?:ssl)?(?:p|%70)(?:a|%61)(?:s|%73)(?:s|%73)(?:w|%77)(?:o|%6f)(?:r|%72)(?:d|%64)\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]*)`)
)

// MaskURL returns s with every password it holds replaced by xxxxx: the
// password of a URL (`postgres://user:secret@host/db`, also where s is a
// message quoting one), a `password=` or `sslpassword=` query parameter,
// or a `password=` key of a key/value connection string. It parses
// nothing: the password of a URL runs from the first ':' after the user
// to the last '@' before the next URL, whatever it holds ('#', '?', '/',
// spaces, '@' itself, which pgx and net/url take for delimiters), so that
// a URL that does not parse is masked as well as one that does.
func MaskURL(s string) string {
	for from := 0; ; {
		start, end, next, ok := urlPassword(s, from)
		if !ok {
			break
		}
		if end > start {
			s = s[:start] + Mask + s[end:]
			next += len(Mask) - (end - start)
		}
		from = next
	}
	return kvPasswordRE.ReplaceAllString(s, "${1}"+Mask)
}

// urlPassword finds the password of the first URL in s from offset from:
// s[start:end] (empty when the URL has none), and where to look for the
// next URL. After a scheme's "://", a user's ':' before any '@' starts a
// password, which ends at the last '@' before the next "://".
func urlPassword(s string, from int) (start, end, next int, ok bool) {
	for {
		sep := strings.Index(s[from:], "://")
		if sep < 0 {
			return 0, 0, 0, false
		}
		sep += from
		auth := sep + 3
		if !hasScheme(s[:sep]) {
			from = auth
			continue
		}
		limit := len(s)
		if k := strings.Index(s[auth:], "://"); k >= 0 {
			limit = auth + k
		}
		region := s[auth:limit]
		colon, at := strings.IndexByte(region, ':'), strings.IndexByte(region, '@')
		if colon < 0 || at < 0 || at < colon {
			return auth, auth, auth, true
		}
		last := strings.LastIndexByte(region, '@')
		return auth + colon + 1, auth + last, auth + last, true
	}
}

// hasScheme reports whether s ends with a URL scheme (SQLAlchemy's
// dialect+driver included): a letter, then letters, digits, '+', '.', '-'.
func hasScheme(s string) bool {
	k := len(s)
	for k > 0 && isSchemeByte(s[k-1]) {
		k--
	}
	for k < len(s) && !isLetter(s[k]) {
		k++
	}
	return k < len(s)
}

func isSchemeByte(c byte) bool {
	return isLetter(c) || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-'
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// UnencodedAt reports whether the password of the URL s holds an '@' that
// is not percent-encoded: pgx would end the password at the first one and
// take the rest for the host, so the URL cannot mean what it says.
func UnencodedAt(s string) bool {
	start, end, _, ok := urlPassword(s, 0)
	return ok && strings.IndexByte(s[start:end], '@') >= 0
}

// Of lists the forms in which the password of rawURL could appear in
// a driver's message: as written, percent-decoded and percent-encoded.
func Of(rawURL string) []string {
	var out []string
	add := func(s string) {
		if s == "" {
			return
		}
		for _, have := range out {
			if have == s {
				return
			}
		}
		out = append(out, s)
	}
	if start, end, _, ok := urlPassword(rawURL, 0); ok && end > start {
		pw := rawURL[start:end]
		add(pw)
		if dec, err := url.PathUnescape(pw); err == nil {
			add(dec)
		}
		// Where pgx ends the password at an earlier '@' or takes part of
		// it for the host, the pieces may reach a message on their own.
		for _, piece := range strings.FieldsFunc(pw, func(r rune) bool { return r == '@' || r == '/' || r == '#' || r == '?' }) {
			add(piece)
		}
	}
	for _, sub := range kvPasswordRE.FindAllStringSubmatch(rawURL, -1) {
		v := strings.Trim(sub[2], "'")
		add(v)
		if dec, err := url.QueryUnescape(v); err == nil {
			add(dec)
		}
	}
	for _, s := range append([]string(nil), out...) {
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
	}
	return out
}

// Text hides the given secrets and any URL or DSN password in s, a message
// that may quote connection strings among other words.
// Passwords shorter than four characters are only hidden where they appear
// as a password (URL userinfo, password=): replacing every "pw" in a
// message would garble it without protecting anything.
func Text(s string, secrets []string) string {
	s = urlUserinfoRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := urlUserinfoRE.FindStringSubmatch(m)
		// When the "password" is empty there is nothing to hide.
		if sub[2] == "" {
			return m
		}
		return sub[1] + Mask + "@"
	})
	s = kvPasswordRE.ReplaceAllString(s, "${1}"+Mask)
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, Mask)
		}
	}
	return s
}

// maskedError shows an error with the connection's password masked, while
// errors.Is and errors.As still see the driver's error underneath.
type maskedError struct {
	err     error
	secrets []string
}

func (e *maskedError) Error() string { return Text(e.err.Error(), e.secrets) }
func (e *maskedError) Unwrap() error { return e.err }

// Error wraps err so that its message never shows a password.
func Error(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	return &maskedError{err: err, secrets: secrets}
}
