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
	// scheme://user:password@ : the userinfo of a URL. The password runs to
	// the last '@' before the path or the query, so that an unescaped '@'
	// or '/' in it is still masked.
	urlUserinfoRE = regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.\-]*://[^:/?#@\s]*:)([^\s?#]*)@`)
	// password=... in a URL query or a key/value DSN, the key possibly
	// percent-encoded (pgx itself accepts pass%77ord=).
	kvPasswordRE = regexp.MustCompile(`(?i)((?:^|[\s?&;])(?:ssl)?(?:p|%70)(?:a|%61)(?:s|%73)(?:s|%73)(?:w|%77)(?:o|%6f)(?:r|%72)(?:d|%64)\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]*)`)
)

// MaskURL returns s with every password it contains replaced by xxxxx: the
// password of a URL (`postgres://user:secret@host/db`), a `password=` or
// `sslpassword=` query parameter, or a `password=` key of a key/value
// connection string. Anything else is left as it is.
func MaskURL(s string) string {
	s = urlUserinfoRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := urlUserinfoRE.FindStringSubmatch(m)
		// The regexp is greedy up to the last '@' of the run; when the
		// "password" is empty there is nothing to hide.
		if sub[2] == "" {
			return m
		}
		return sub[1] + Mask + "@"
	})
	return kvPasswordRE.ReplaceAllString(s, "${1}"+Mask)
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
	if sub := urlUserinfoRE.FindStringSubmatch(rawURL); sub != nil {
		add(sub[2])
		if dec, err := url.PathUnescape(sub[2]); err == nil {
			add(dec)
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

// Text hides the given secrets and any URL or DSN password in s.
// Passwords shorter than four characters are only hidden where they appear
// as a password (URL userinfo, password=): replacing every "pw" in a
// message would garble it without protecting anything.
func Text(s string, secrets []string) string {
	s = MaskURL(s)
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
