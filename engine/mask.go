package engine

import "retort/engine/internal/secret"

// MaskURL returns s with every password it contains replaced by xxxxx: the
// password of a URL (`postgres://user:secret@host/db`), a `password=` or
// `sslpassword=` query parameter, or a `password=` key of a key/value
// connection string. Anything else is left as it is.
func MaskURL(s string) string { return secret.MaskURL(s) }
