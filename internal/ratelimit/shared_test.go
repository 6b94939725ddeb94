package ratelimit

import (
	"context"
	"sync"
	"testing"
	"time"
)

// memBuckets is Buckets in a map, as a database would keep them.
type memBuckets struct {
	mu   sync.Mutex
	full map[string]time.Time
}

func (m *memBuckets) UpdateBuckets(_ context.Context, keys []string, fn func([]time.Time) ([]time.Time, bool)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur := make([]time.Time, len(keys))
	for i, k := range keys {
		cur[i] = m.full[k]
	}
	next, ok := fn(cur)
	if ok {
		for i, k := range keys {
			m.full[k] = next[i]
		}
	}
	return nil
}

// TestSharedDecidesAsSet: the same requests, at the same instants, get the
// same decisions from buckets in the process and from shared ones.
func TestSharedDecidesAsSet(t *testing.T) {
	set := New(DefaultMaxKeys)
	shared := Shared{Buckets: &memBuckets{full: map[string]time.Time{}}}
	rules := []Rule{{Key: "a", Limit: Limit{PerMinute: 10, Burst: 3}}, {Key: "b", Limit: Limit{PerMinute: 60, Burst: 5}}}
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	steps := []struct {
		after time.Duration
		cost  int
		rules []Rule
	}{
		{0, 1, rules}, {0, 1, rules}, {time.Second, 1, rules}, {0, 1, rules}, // the 4th: a is empty
		{3 * time.Second, 1, rules[1:]}, {0, 1, rules[1:]}, {0, 1, rules[1:]}, // b alone
		{6 * time.Second, 1, rules}, {0, 2, rules}, {0, 4, rules}, // more than a's burst: never
		{time.Minute, 1, rules}, {0, 3, rules[:1]},
	}
	for i, s := range steps {
		now = now.Add(s.after)
		want := set.Allow(now, s.cost, s.rules...)
		got, err := shared.Take(context.Background(), now, s.cost, s.rules...)
		if err != nil {
			t.Fatal(err)
		}
		if got.OK != want.OK || got.Limit != want.Limit || got.Remaining != want.Remaining ||
			(got.Wait-want.Wait).Abs() > time.Millisecond || (got.Reset-want.Reset).Abs() > time.Millisecond {
			t.Errorf("step %d: shared %+v, set %+v", i, got, want)
		}
	}
}

// TestSharedIsOneLimitForEveryProcess: two limiters on the same buckets
// (two servers) let through, together, what one would.
func TestSharedIsOneLimitForEveryProcess(t *testing.T) {
	b := &memBuckets{full: map[string]time.Time{}}
	servers := []Shared{{Buckets: b}, {Buckets: b}}
	rule := Rule{Key: "login:alice", Limit: Limit{PerMinute: 10, Burst: 10}}
	now := time.Now()
	ok := 0
	for i := range 30 {
		d, err := servers[i%2].Take(context.Background(), now, 1, rule)
		if err != nil {
			t.Fatal(err)
		}
		if d.OK {
			ok++
		}
	}
	if ok != 10 {
		t.Errorf("two servers let %d attempts through, want 10 in all", ok)
	}
}
