package revisions

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"unicode"

	"retort/models"
)

// slugLength is Alembic's default truncate_slug_length.
const slugLength = 40

// Slug is the file-name part Alembic derives from a message: its words
// (runs of letters, digits and underscores) joined by "_" and lower-cased;
// a slug longer than 40 characters is cut at the last "_" within the first
// 40 and ends with "_", exactly as `ScriptDirectory._rev_path` does.
func Slug(message string) string {
	words := strings.FieldsFunc(message, func(r rune) bool { return !isWordRune(r) })
	slug := []rune(strings.ToLower(strings.Join(words, "_")))
	if len(slug) <= slugLength {
		return string(slug)
	}
	cut := string(slug[:slugLength])
	if k := strings.LastIndexByte(cut, '_'); k >= 0 {
		cut = cut[:k]
	}
	return cut + "_"
}

// isWordRune is Python's `\w` on str: alphanumeric characters and "_".
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// idAttempts bounds the search for a fresh id; with 48 random bits a
// collision is already unlikely once.
const idAttempts = 64

// newRevisionID checks the id the user gave, or generates a fresh one: 12
// lowercase hex characters (Alembic: uuid4().hex[-12:]) that are not
// already a revision id or a branch label. Sharing the first characters of
// an existing id is fine: a user then types a longer prefix.
func newRevisionID(g *models.Graph, given string) (string, error) {
	if given != "" {
		if err := CheckRevisionID(given); err != nil {
			return "", &CommandError{Class: ErrAuthoring, Message: err.Error()}
		}
		if i, ok := g.Index[given]; ok {
			return "", cmdErr(ErrAuthoring, "Revision %s is present more than once: %s already defines it", given, g.Revisions[i].Path)
		}
		if i, ok := g.LabelOwner[given]; ok {
			// Alembic's words for the graph it would then fail to load:
			// ids are mapped before labels, so the label's owner is the
			// one blamed, and the new id is the one "already" using it.
			return "", cmdErr(ErrAuthoring, "Branch name '%s' in revision %s already used by revision %s", given, g.Revisions[i].ID, given)
		}
		return given, nil
	}
	var b [6]byte
	for range idAttempts {
		if _, err := rand.Read(b[:]); err != nil {
			return "", err
		}
		id := hex.EncodeToString(b[:])
		_, usedID := g.Index[id]
		_, usedLabel := g.LabelOwner[id]
		if !usedID && !usedLabel {
			return id, nil
		}
	}
	return "", cmdErr(ErrAuthoring, "could not generate a revision id that is not already used")
}
