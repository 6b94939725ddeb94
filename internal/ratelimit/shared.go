package ratelimit

import (
	"context"
	"time"
)

// Limiter applies rules: Set keeps the buckets in the process, Shared in a
// database that several servers share.
type Limiter interface {
	// Take is Allow for either: cost tokens from the bucket of every rule,
	// or from none. It fails only when the buckets cannot be reached.
	Take(ctx context.Context, now time.Time, cost int, rules ...Rule) (Decision, error)
}

// Take implements Limiter.
func (s *Set) Take(_ context.Context, now time.Time, cost int, rules ...Rule) (Decision, error) {
	return s.Allow(now, cost, rules...), nil
}

// Buckets stores, per key, when its bucket is full again: the theoretical
// arrival time of the generic cell rate algorithm, one instant per bucket.
type Buckets interface {
	// UpdateBuckets gives fn the instants of keys (zero for a key never
	// seen, or forgotten once full), and when fn says so stores the new
	// ones, atomically: two calls on the same key never both read the
	// same instant and both write.
	UpdateBuckets(ctx context.Context, keys []string, fn func(full []time.Time) (next []time.Time, store bool)) error
}

// OneBucket is Buckets that can also take from a single bucket in one
// step (one SQL statement, without a transaction around it): a write's
// limit, checked on every write, costs one round trip.
type OneBucket interface {
	// TakeBucket takes cost*period from the bucket of key, which holds
	// capacity when full, if that leaves it at least empty, and returns
	// the instant it is full again, and whether it took.
	TakeBucket(ctx context.Context, key string, now time.Time, cost int, period, capacity time.Duration) (full time.Time, took bool, err error)
}

// Shared is a Limiter whose buckets are in shared storage, so that servers
// behind a load balancer apply each limit together, as one. It decides as
// Set does (the same token buckets, kept as one instant each: GCRA).
type Shared struct{ Buckets Buckets }

// Take implements Limiter.
func (s Shared) Take(ctx context.Context, now time.Time, cost int, rules ...Rule) (Decision, error) {
	var active []Rule
	var keys []string
	for _, r := range rules {
		if r.Limit.PerMinute > 0 {
			active, keys = append(active, r), append(keys, r.Key)
		}
	}
	if len(active) == 0 {
		return Decision{OK: true}, nil
	}
	if one, ok := s.Buckets.(OneBucket); ok && len(active) == 1 && cost <= max(1, active[0].Limit.Burst) {
		r := active[0]
		period := time.Minute / time.Duration(r.Limit.PerMinute)
		full, took, err := one.TakeBucket(ctx, r.Key, now, cost, period, time.Duration(max(1, r.Limit.Burst))*period)
		if err != nil {
			return Decision{}, err
		}
		if took { // the decision as gcra makes it, from the instant before
			full = full.Add(-time.Duration(cost) * period)
		}
		d, _ := gcra(now, cost, active, []time.Time{full})
		if d.OK = took; took { // the database decided; the figures are the same arithmetic
			d.Wait = 0
		}
		return d, nil
	}
	var d Decision
	err := s.Buckets.UpdateBuckets(ctx, keys, func(full []time.Time) ([]time.Time, bool) {
		var next []time.Time
		d, next = gcra(now, cost, active, full)
		return next, d.OK
	})
	return d, err
}

// gcra decides on the rules whose buckets are full at the instants given,
// and returns the instants after taking cost from every one (when OK).
// A bucket of burst B refilling one token every T holds B tokens when full;
// it is full at instant f; at now it lacks (f-now)/T tokens.
func gcra(now time.Time, cost int, rules []Rule, full []time.Time) (Decision, []time.Time) {
	d := Decision{OK: true, Remaining: -1}
	next := make([]time.Time, len(rules))
	type state struct {
		period, capacity time.Duration
		from             time.Time // when the bucket starts to refill from now on
	}
	states := make([]state, len(rules))
	for i, r := range rules {
		burst := max(1, r.Limit.Burst)
		period := time.Minute / time.Duration(r.Limit.PerMinute)
		st := state{period: period, capacity: time.Duration(burst) * period, from: full[i]}
		if st.from.Before(now) {
			st.from = now
		}
		states[i] = st
		next[i] = st.from.Add(time.Duration(cost) * period)
		switch {
		case cost > burst:
			d.OK, d.Wait = false, max(d.Wait, time.Minute) // never allowed at once
		case next[i].Sub(now) > st.capacity:
			d.OK, d.Wait = false, max(d.Wait, next[i].Sub(now)-st.capacity)
		}
	}
	for i, r := range rules {
		st := states[i]
		until := st.from // refused: nothing is taken
		if d.OK {
			until = next[i]
		}
		left := max(0, int((st.capacity-until.Sub(now))/st.period))
		if d.Remaining < 0 || left < d.Remaining {
			d.Limit, d.Remaining, d.Reset = max(1, r.Limit.Burst), left, until.Sub(now)
		}
	}
	return d, next
}
