package service

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/realtyhq/realty/pkg/realty"
)

// Property cursors are opaque to callers: realty.SortCursor makes them and
// realty.ParseSortCursor reads them (the order, its last key and the id).

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

// History cursors are base64url of "h:<id of the page's last event>".
const historyCursorPrefix = "h:"

func encodeHistoryCursor(lastID int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(historyCursorPrefix + strconv.FormatInt(lastID, 10)))
}

func decodeHistoryCursor(c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	digits, ok := strings.CutPrefix(string(b), historyCursorPrefix)
	id, perr := strconv.ParseInt(digits, 10, 64)
	if err != nil || !ok || perr != nil || id <= 0 {
		return 0, realty.Invalid("cursor", "is not a cursor returned by a previous page")
	}
	return id, nil
}
