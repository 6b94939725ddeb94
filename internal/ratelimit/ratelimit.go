// Package ratelimit is token buckets by key (an email, a client address, a
// user id): a Set keeps them in the process, with memory bounded however
// many keys an attacker invents; Shared keeps them in storage that several
// servers share, so that behind a load balancer a limit holds for all of
// them together.
package ratelimit

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limit is a sustained rate per minute with a burst; a zero PerMinute means
// no limit.
type Limit struct {
	PerMinute int
	Burst     int
}

// Rule applies a limit to one key.
type Rule struct {
	Key   string
	Limit Limit
}

// Set holds the buckets. The zero value is not usable: call New.
type Set struct {
	mu      sync.Mutex
	entries map[string]*entry
	max     int
}

type entry struct {
	lim  *rate.Limiter
	seen time.Time
}

// DefaultMaxKeys bounds the buckets kept; idle full ones are dropped past it.
const DefaultMaxKeys = 100_000

// New returns an empty set that keeps at most maxKeys buckets (about 200
// bytes each) before dropping the idle ones.
func New(maxKeys int) *Set {
	return &Set{entries: map[string]*entry{}, max: maxKeys}
}

// Decision is what Allow decided, as the RateLimit-* headers tell it: of
// the rules applied, the one with the fewest tokens left.
type Decision struct {
	OK        bool
	Wait      time.Duration // when refused: how long until the cost would pass
	Limit     int           // that rule's burst
	Remaining int           // tokens left in its bucket
	Reset     time.Duration // until its bucket is full again
}

// Allow takes cost tokens from the bucket of every rule, or from none: when
// one rule refuses, nothing is taken and the decision says how long to wait.
func (s *Set) Allow(now time.Time, cost int, rules ...Rule) Decision {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.entries) >= s.max {
		s.evict(now)
	}
	d := Decision{OK: true, Remaining: -1}
	reservations := make([]*rate.Reservation, 0, len(rules))
	limiters := make([]*rate.Limiter, 0, len(rules))
	for _, r := range rules {
		if r.Limit.PerMinute <= 0 {
			continue
		}
		lim := s.bucket(r, now)
		res := lim.ReserveN(now, cost)
		reservations, limiters = append(reservations, res), append(limiters, lim)
		if !res.OK() {
			d.OK, d.Wait = false, time.Minute // the cost exceeds the burst: never allowed at once
			continue
		}
		if wait := res.DelayFrom(now); wait > 0 {
			d.OK, d.Wait = false, max(d.Wait, wait)
		}
	}
	if !d.OK {
		for _, res := range reservations {
			res.CancelAt(now)
		}
	}
	for _, lim := range limiters {
		tokens := lim.TokensAt(now)
		if left := max(0, int(tokens)); d.Remaining < 0 || left < d.Remaining {
			d.Limit, d.Remaining = lim.Burst(), left
			d.Reset = time.Duration((float64(lim.Burst()) - tokens) / float64(lim.Limit()) * float64(time.Second))
		}
	}
	if d.Remaining < 0 {
		d.Remaining = 0 // no rule applied: no limit to report (Limit 0)
	}
	return d
}

func (s *Set) bucket(r Rule, now time.Time) *rate.Limiter {
	e, ok := s.entries[r.Key]
	if !ok {
		burst := max(1, r.Limit.Burst)
		e = &entry{lim: rate.NewLimiter(rate.Limit(float64(r.Limit.PerMinute)/60), burst)}
		s.entries[r.Key] = e
	}
	e.seen = now
	return e.lim
}

// evict drops buckets that have refilled completely (forgetting them changes
// nothing), and if that is not enough, any of them down to half the maximum.
func (s *Set) evict(now time.Time) {
	for k, e := range s.entries {
		if e.lim.TokensAt(now) >= float64(e.lim.Burst()) {
			delete(s.entries, k)
		}
	}
	// Still full: an attacker is inventing keys faster than buckets refill.
	// Drop down to half, so that the scan is paid once per max/2 new keys.
	for k := range s.entries {
		if len(s.entries) <= s.max/2 {
			break
		}
		delete(s.entries, k)
	}
}

// Len returns how many buckets are kept.
func (s *Set) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

// RetryAfter rounds a wait up to whole seconds, at least 1, for the
// Retry-After header.
func RetryAfter(d time.Duration) int { return max(1, int(math.Ceil(d.Seconds()))) }

type reportKey struct{}

// Report carries, through a request's context, the decision of the limits a
// request met, from wherever they were applied (the server, the service) to
// the HTTP response's RateLimit-* headers.
type Report struct {
	mu  sync.Mutex
	d   Decision
	set bool
}

// WithReport returns a context that collects decisions, and the report.
func WithReport(ctx context.Context) (context.Context, *Report) {
	r := &Report{}
	return context.WithValue(ctx, reportKey{}, r), r
}

// Record keeps d in the context's report, if any: the most constraining
// decision wins.
func Record(ctx context.Context, d Decision) {
	r, _ := ctx.Value(reportKey{}).(*Report)
	if r == nil || d.Limit == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.set || !d.OK || d.Remaining < r.d.Remaining {
		r.d, r.set = d, true
	}
}

// Decision returns the recorded decision, if a limit was met.
func (r *Report) Decision() (Decision, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.d, r.set
}
