package service_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/pkg/realty"
)

// TestIdempotencyKeysLastADay: within a day a key answers its first
// request and refuses another; after it, the key is forgotten and makes a
// new create.
func TestIdempotencyKeysLastADay(t *testing.T) {
	t.Parallel()
	clk := &clock{t: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	core := newCore(t, testdb.Open(t, "sqlite"), service.WithClock(clk.now), cheap)
	svc := core.For(register(t, core, "alice@example.com").Token)
	ctx := realty.WithIdempotencyKey(context.Background(), "k-1")
	first, err := svc.CreateProperty(ctx, realty.NewProperty{Name: "Loft", Type: "loft", City: "Lyon"})
	if err != nil {
		t.Fatal(err)
	}
	clk.t = clk.t.Add(realty.IdempotencyKeyTTL - time.Minute)
	if again, err := svc.CreateProperty(ctx, realty.NewProperty{Name: "Loft", Type: "loft", City: "Lyon"}); err != nil || again.ID != first.ID {
		t.Errorf("the same create a minute before the key's end: %v, property %d (first %d)", err, again.ID, first.ID)
	}
	var ve *realty.ValidationError
	if _, err := svc.CreateProperty(ctx, realty.NewProperty{Name: "Flat", Type: "apartment", City: "Lyon"}); !errors.As(err, &ve) {
		t.Errorf("another create with the key a minute before its end: %v, want invalid", err)
	}
	clk.t = clk.t.Add(2 * time.Minute)
	flat, err := svc.CreateProperty(ctx, realty.NewProperty{Name: "Flat", Type: "apartment", City: "Lyon"})
	if err != nil || flat.ID == first.ID || flat.Name != "Flat" {
		t.Errorf("another create with the key a minute after its end: %v, %+v", err, flat)
	}
	if again, err := svc.CreateProperty(ctx, realty.NewProperty{Name: "Flat", Type: "apartment", City: "Lyon"}); err != nil || again.ID != flat.ID {
		t.Errorf("that create again: %v, property %d (want %d)", err, again.ID, flat.ID)
	}
}

// TestConcurrentCreatesWithOneKey: creates sent at once with one key (a
// client's retries racing the first attempt) make one property, and every
// one of them answers it.
func TestConcurrentCreatesWithOneKey(t *testing.T) {
	t.Parallel()
	for _, dialect := range testdb.Dialects {
		t.Run(dialect, func(t *testing.T) {
			core := newCore(t, testdb.Open(t, dialect), cheap)
			svc := core.For(register(t, core, "alice@example.com").Token)
			ctx := realty.WithIdempotencyKey(context.Background(), "race")
			in := realty.NewProperty{Name: "Loft", Type: "loft", City: "Lyon",
				Rooms: []realty.NewRoom{{Type: "bedroom"}, {Type: "kitchen"}}}
			ids := make([]int64, 8)
			errs := make([]error, len(ids))
			var wg sync.WaitGroup
			for i := range ids {
				wg.Go(func() {
					p, err := svc.CreateProperty(ctx, in)
					ids[i], errs[i] = p.ID, err
				})
			}
			wg.Wait()
			for i := range ids {
				if errs[i] != nil || ids[i] != ids[0] {
					t.Errorf("create %d: property %d, %v; the first answered %d", i, ids[i], errs[i], ids[0])
				}
			}
			page, err := svc.Properties(context.Background(), realty.PropertyFilter{})
			if err != nil || len(page.Items) != 1 {
				t.Errorf("%d properties after %d creates with one key, want 1 (%v)", len(page.Items), len(ids), err)
			}
		})
	}
}

// TestOldKeysAreSweptAway: keys past their day are deleted by the next
// keyed write of anyone, not only by their own user's (what they hold goes
// even when their user writes no more), at most once a minute per process.
func TestOldKeysAreSweptAway(t *testing.T) {
	t.Parallel()
	for _, dialect := range testdb.Dialects {
		t.Run(dialect, func(t *testing.T) {
			st := testdb.Open(t, dialect)
			start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
			clk := &clock{t: start}
			core := newCore(t, st, service.WithClock(clk.now), cheap)
			a, b := register(t, core, "alice@example.com"), register(t, core, "bob@example.com")
			alice, bob := core.For(a.Token), core.For(b.Token)
			owner := map[string]int64{} // of each key made
			create := func(svc realty.Service, key string) {
				t.Helper()
				ctx := realty.WithIdempotencyKey(context.Background(), key)
				p, err := svc.CreateProperty(ctx, realty.NewProperty{Name: key, Type: "loft", City: "Lyon"})
				if err != nil {
					t.Fatal(err)
				}
				owner[key] = p.Owner.ID
			}
			keys := func() string { // those kept, in the order they were made
				t.Helper()
				var kept []string
				for _, k := range []string{"a-1", "b-1", "b-2", "b-3", "a-2"} {
					_, err := st.Key(context.Background(), owner[k], k)
					switch {
					case err == nil:
						kept = append(kept, k)
					case !errors.Is(err, realty.ErrNotFound):
						t.Fatal(err)
					}
				}
				return strings.Join(kept, ",")
			}
			create(alice, "a-1")
			clk.t = start.Add(5*time.Minute + 15*time.Second)
			create(bob, "b-1")
			clk.t = start.Add(realty.IdempotencyKeyTTL + 5*time.Minute)
			create(bob, "b-2")
			if got := keys(); got != "b-1,b-2" {
				t.Errorf("keys after a day: %s, want b-1,b-2 (alice's a-1 past its day)", got)
			}
			clk.t = clk.t.Add(30 * time.Second)
			create(alice, "a-2") // b-1 is 15 s past its day, but the last sweep was 30 s ago: none
			if got := keys(); got != "b-1,b-2,a-2" {
				t.Errorf("keys 30 s after a sweep: %s, want b-1,b-2,a-2", got)
			}
			clk.t = clk.t.Add(time.Minute)
			create(bob, "b-3") // 90 s after the last sweep: b-1 goes
			if got := keys(); got != "b-2,b-3,a-2" {
				t.Errorf("keys: %s, want b-2,b-3,a-2", got)
			}
		})
	}
}

// TestConcurrentImportsWithOneKey: imports sent at once with one key, each
// past what SQLite commits in one chunk without a key, make one import:
// a keyed import is one transaction, so the ones that lose the key leave
// nothing behind.
func TestConcurrentImportsWithOneKey(t *testing.T) {
	t.Parallel()
	for _, dialect := range testdb.Dialects {
		t.Run(dialect, func(t *testing.T) {
			core := newCore(t, testdb.Open(t, dialect), cheap)
			svc := core.For(register(t, core, "alice@example.com").Token)
			ctx := realty.WithIdempotencyKey(context.Background(), "batch-1")
			batch := make([]realty.NewProperty, realty.MaxImport) // 6000 rows
			for i := range batch {
				batch[i] = realty.NewProperty{Name: fmt.Sprint("P", i), Type: "house", City: "Lyon",
					Rooms: []realty.NewRoom{{Type: "bedroom"}, {Type: "kitchen"}, {Type: "bathroom"}, {Type: "cellar"},
						{Type: "other"}}}
			}
			ids := make([][]int64, 4)
			errs := make([]error, len(ids))
			var wg sync.WaitGroup
			for i := range ids {
				wg.Go(func() { ids[i], errs[i] = svc.ImportProperties(ctx, batch) })
			}
			wg.Wait()
			for i := range ids {
				if errs[i] != nil || len(ids[i]) != len(batch) || ids[i][0] != ids[0][0] {
					t.Errorf("import %d: %d ids from %v, %v", i, len(ids[i]), ids[i][:min(1, len(ids[i]))], errs[i])
				}
			}
			n := 0
			for f := (realty.PropertyFilter{Limit: realty.MaxPageSize}); ; {
				page, err := svc.Properties(context.Background(), f)
				if err != nil {
					t.Fatal(err)
				}
				if n += len(page.Items); page.NextCursor == "" {
					break
				}
				f.Cursor = page.NextCursor
			}
			if n != len(batch) {
				t.Errorf("%d properties after %d imports with one key, want %d", n, len(ids), len(batch))
			}
		})
	}
}
