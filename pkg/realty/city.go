package realty

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NormalizeCity trims a city name and collapses inner white space; it is the
// form that is stored and shown.
func NormalizeCity(s string) string { return strings.Join(strings.Fields(s), " ") }

// CityKey derives the key that city filters compare: Unicode NFKD, diacritics
// removed, lower-cased, hyphens, apostrophes and runs of spaces folded to one
// space. "Saint-Étienne", "saint etienne" and "SAINT  ETIENNE" share a key.
// It is computed in Go so that SQLite and MySQL filter identically.
func CityKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // combining mark: the accent of the previous letter
		case unicode.IsSpace(r) || r == '-' || r == '\'' || r == '’' || r == '‘' || r == '_' || r == '.':
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteString(strings.ToLower(string(r)))
	}
	return b.String()
}
