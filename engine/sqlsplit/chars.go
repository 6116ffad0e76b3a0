package sqlsplit

// Character classes, after PostgreSQL's scan.l. Bytes from 0x80 up are
// letters there, so a multi-byte UTF-8 character never splits across tokens.

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// isHorizSpace is scan.l's horiz_whitespace, used by string continuation.
func isHorizSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\f'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHexDigit(c byte) bool {
	return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isLetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c >= 0x80
}

// isIdentStart is scan.l's ident_start, also the first byte of a
// dollar-quote tag.
func isIdentStart(c byte) bool { return isLetter(c) }

// isTagChar is scan.l's dolq_cont: identifier characters without $.
func isTagChar(c byte) bool { return isLetter(c) || isDigit(c) }

// isIdentChar is scan.l's ident_cont: a $ may continue an identifier.
func isIdentChar(c byte) bool { return isLetter(c) || isDigit(c) || c == '$' }

// isOpChar is scan.l's op_chars without the backtick, which quotes
// identifiers here (SQLite, MySQL habits).
func isOpChar(c byte) bool {
	switch c {
	case '+', '-', '*', '/', '<', '>', '=', '~', '!', '@', '#', '%', '^', '&', '|', '?':
		return true
	}
	return false
}

func isPunct(c byte) bool {
	switch c {
	case '(', ')', '[', ']', '{', '}', ',', ';', '.', ':':
		return true
	}
	return false
}
