package realty

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Search limits: a word shorter than MinSearchWord is left out of searches
// and of the word index (as MySQL's FULLTEXT, which the search first used,
// left it out); a searched word is at most MaxSearchWord long, and the index
// keeps the first MaxSearchWord characters of longer words.
const (
	MaxSearch      = 200
	MinSearchWord  = 3
	MaxSearchWord  = 84
	MaxSearchWords = 8
)

// SearchWords cuts a search text into the words that the q filter looks
// for: runs of letters, digits and '_', lower-cased, accents removed, each
// at least MinSearchWord characters long and not a stopword (the others are
// dropped), without repeats, in their order. "Café de la Gare" gives
// [cafe gare].
func SearchWords(q string) []string {
	var words []string
	for w := range strings.FieldsFuncSeq(norm.NFKD.String(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && !unicode.Is(unicode.Mn, r)
	}) {
		w = strings.ToLower(strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Mn, r) {
				return -1 // a combining mark: the accent of the letter before it
			}
			return r
		}, w))
		if utf8.RuneCountInString(w) >= MinSearchWord && !stopwords[w] && !contains(words, w) {
			words = append(words, w)
		}
	}
	return words
}

// stopwords are the words of InnoDB's default stopword list that are long
// enough to be searched: left out, as when the search used MySQL's FULLTEXT
// index, so that searches answer as they did.
var stopwords = map[string]bool{"about": true, "are": true, "com": true, "for": true, "from": true, "how": true,
	"that": true, "the": true, "this": true, "was": true, "what": true, "when": true, "where": true, "who": true,
	"will": true, "with": true, "und": true, "www": true}

func contains(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}
