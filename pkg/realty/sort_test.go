package realty_test

import (
	"errors"
	"testing"

	"github.com/realtyhq/realty/pkg/realty"
)

func TestSortCursorRoundTrip(t *testing.T) {
	for _, k := range []realty.SortKey{
		{Sort: "id", ID: 42}, {Sort: "price", Key: 38500050, ID: 7}, {Sort: "-price", Null: true, ID: 9},
		{Sort: "newest", Key: 1_795_000_000_000_000, ID: 1}, {Sort: "-rooms", Key: 0, ID: 3},
	} {
		got, err := realty.ParseSortCursor(k.Sort, realty.SortCursor(k))
		if err != nil || got != k {
			t.Errorf("round trip of %+v: %+v, %v", k, got, err)
		}
	}
	var ve *realty.ValidationError
	for _, c := range []struct {
		sort   realty.Sort
		cursor string
	}{
		{"price", realty.SortCursor(realty.SortKey{Sort: "area", Key: 1, ID: 1})}, // another order
		{"area", realty.SortCursor(realty.SortKey{Sort: "-area", Key: 1, ID: 1})}, // another direction
		{"area", "czphcmVhOn46MQ"}, // a null key where there is none
		{"price", realty.IDCursor(5)},
		{"newest", "garbage!"},
	} {
		if _, err := realty.ParseSortCursor(c.sort, c.cursor); !errors.As(err, &ve) || !ve.Has("cursor") {
			t.Errorf("ParseSortCursor(%s, %q) = %v; want a cursor validation error", c.sort, c.cursor, err)
		}
	}
}
