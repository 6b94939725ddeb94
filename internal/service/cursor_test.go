package service

import (
	"errors"
	"testing"

	"github.com/realtyhq/realty/pkg/realty"
)

func TestCursorRoundTrip(t *testing.T) {
	t.Parallel()
	for _, id := range []int64{0, 1, 42, 1<<63 - 1} {
		got, err := realty.ParseIDCursor(realty.IDCursor(id))
		if err != nil || got != id {
			t.Errorf("decode(encode(%d)) = %d, %v", id, got, err)
		}
	}
	for _, bad := range []string{"!!", "cDo", "eDox", "cDotMQ", "cDoxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1"} {
		var ve *realty.ValidationError
		if _, err := realty.ParseIDCursor(bad); !errors.As(err, &ve) || !ve.Has("cursor") {
			t.Errorf("ParseIDCursor(%q) = %v; want a cursor validation error", bad, err)
		}
	}
}

// FuzzCursor: any string either decodes to a non-negative id that encodes
// back to a cursor decoding to the same id, or is a validation error.
func FuzzCursor(f *testing.F) {
	f.Add(realty.IDCursor(7))
	f.Add("")
	f.Add("cDotMQ")
	f.Fuzz(func(t *testing.T, c string) {
		id, err := realty.ParseIDCursor(c)
		if err != nil {
			var ve *realty.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if id < 0 {
			t.Fatalf("%q decoded to %d", c, id)
		}
		again, err := realty.ParseIDCursor(realty.IDCursor(id))
		if err != nil || again != id {
			t.Fatalf("round trip of %d: %d, %v", id, again, err)
		}
	})
}
