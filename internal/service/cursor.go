package service

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"github.com/realtyhq/realty/pkg/realty"
)

// Property cursors are opaque to callers: realty.IDCursor makes them and
// realty.ParseIDCursor reads them. The keyset is the id alone, since every
// filter is an equality and each has an index ending in id.
var (
	encodeCursor = realty.IDCursor
	decodeCursor = realty.ParseIDCursor
)

// City cursors are base64url of "c:<last city key>".
const cityCursorPrefix = "c:"

func encodeCityCursor(lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cityCursorPrefix + lastKey))
}

func decodeCityCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	key, ok := strings.CutPrefix(string(b), cityCursorPrefix)
	if err != nil || !ok || key == "" || !utf8.ValidString(key) {
		return "", realty.Invalid("cursor", "is not a cursor returned by a previous page")
	}
	return key, nil
}
