package cli

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/realtyhq/realty/pkg/realty"
)

// limitedImports is a service that refuses an import as a server's write
// limit does: when refuse says so for its size, with a RetryLater; it
// records the sizes it was sent and gives ids in order.
type limitedImports struct {
	realty.Service
	refuse func(call, n int) bool
	calls  int
	sizes  []string // "500", or "!1000" for a refusal
	nextID int64
}

func (l *limitedImports) ImportProperties(_ context.Context, in []realty.NewProperty) ([]int64, error) {
	l.calls++
	if l.refuse(l.calls, len(in)) {
		l.sizes = append(l.sizes, fmt.Sprint("!", len(in)))
		return nil, &realty.RetryLater{After: 3 * time.Second,
			Err: fmt.Errorf("too many changes: %w", realty.ErrRateLimited)}
	}
	l.sizes = append(l.sizes, fmt.Sprint(len(in)))
	ids := make([]int64, len(in))
	for i := range ids {
		l.nextID++
		ids[i] = l.nextID
	}
	return ids, nil
}

func properties(n int) []realty.NewProperty {
	out := make([]realty.NewProperty, n)
	for i := range out {
		out[i] = realty.NewProperty{Name: fmt.Sprint("P", i), Type: "house", City: "Lyon"}
	}
	return out
}

// TestImportsWaitForTheWriteLimit: refused for the rate of writes, an
// import waits what the server says, then sends the rest in halves (at
// least 100 properties), never skipping or repeating one; it gives up after
// maxRefusals in a row, with what it imported, and when its context ends.
func TestImportsWaitForTheWriteLimit(t *testing.T) {
	instantly := func(time.Duration) <-chan time.Time {
		c := make(chan time.Time, 1)
		c <- time.Time{}
		return c
	}
	for _, tc := range []struct {
		name   string
		batch  int
		refuse func(call, n int) bool
		sizes  []string
		err    error
	}{
		{"never refused", 1000, func(int, int) bool { return false }, []string{"1000"}, nil},
		{"refused once", 1000, func(call, _ int) bool { return call == 1 },
			[]string{"!1000", "500", "500"}, nil},
		// A part costing more than the limit's burst passes only when cut.
		{"too large for the burst", 1000, func(_, n int) bool { return n > 300 },
			[]string{"!1000", "!500", "250", "250", "250", "250"}, nil},
		{"never below 100", 1000, func(call, n int) bool { return call <= 6 },
			[]string{"!1000", "!500", "!250", "!125", "!100", "!100", "100", "100", "100", "100", "100", "100",
				"100", "100", "100", "100"}, nil},
		{"given up", 1000, func(call, _ int) bool { return call == 1 || call >= 3 },
			[]string{"!1000", "500", "!500", "!250", "!125", "!100", "!100", "!100", "!100", "!100", "!100", "!100"},
			realty.ErrRateLimited},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc := &limitedImports{refuse: tc.refuse}
			var waits []time.Duration
			p := newPacer(svc, func(d time.Duration) { waits = append(waits, d) })
			p.tick = instantly
			ids, err := p.importBatch(context.Background(), properties(tc.batch))
			if !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
			if !reflect.DeepEqual(svc.sizes, tc.sizes) {
				t.Errorf("requests %v, want %v", svc.sizes, tc.sizes)
			}
			for i, id := range ids {
				if id != int64(i+1) {
					t.Fatalf("ids %v: the imported properties are not the batch's first ones in order", ids)
				}
			}
			if want := int(svc.nextID); len(ids) != want || (tc.err == nil && want != tc.batch) {
				t.Errorf("%d ids returned, %d imported, batch of %d", len(ids), want, tc.batch)
			}
			refusals := 0
			for _, s := range svc.sizes {
				if s[0] == '!' {
					refusals++
				}
			}
			if tc.err != nil {
				refusals-- // the last, not waited for
			}
			if len(waits) != refusals || (len(waits) > 0 && waits[0] != 3*time.Second) {
				t.Errorf("waits %v for %d refusals", waits, refusals)
			}
		})
	}

	// A wait ends with the import's context.
	ctx, cancel := context.WithCancel(context.Background())
	svc := &limitedImports{refuse: func(call, _ int) bool { return call == 2 }}
	p := newPacer(svc, func(time.Duration) { cancel() })
	p.tick = func(time.Duration) <-chan time.Time { return nil } // never
	p.part = 600
	ids, err := p.importBatch(ctx, properties(1000))
	if !errors.Is(err, context.Canceled) || len(ids) != 600 || svc.calls != 2 {
		t.Errorf("cancelled while waiting: %v, %d ids, %d calls", err, len(ids), svc.calls)
	}
}
