package service

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/realtyhq/realty/pkg/realty"
)

// Cursors are opaque to callers: base64url of "p:<last id>". The keyset is the
// id alone, since every filter is an equality and each has an index ending in id.
const cursorPrefix = "p:"

func encodeCursor(lastID int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatInt(lastID, 10)))
}

func decodeCursor(c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	bad := realty.Invalid("cursor", "is not a cursor returned by a previous page")
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return 0, bad
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(string(b), cursorPrefix), 10, 64)
	if err != nil || id < 0 {
		return 0, bad
	}
	return id, nil
}

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
