// Package ratelimit is a set of token buckets by key (an email, a client
// address, a user id), with memory bounded however many keys an attacker
// invents. Its state is per process: behind a load balancer each server
// applies the limits on its own.
package ratelimit

import (
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

// Allow takes cost tokens from the bucket of every rule, or from none: when
// one rule refuses, nothing is taken and Allow returns how long to wait.
func (s *Set) Allow(now time.Time, cost int, rules ...Rule) (bool, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.entries) >= s.max {
		s.evict(now)
	}
	reservations := make([]*rate.Reservation, 0, len(rules))
	var wait time.Duration
	for _, r := range rules {
		if r.Limit.PerMinute <= 0 {
			continue
		}
		res := s.bucket(r, now).ReserveN(now, cost)
		reservations = append(reservations, res)
		if !res.OK() {
			wait = time.Minute // the cost exceeds the burst: never allowed at once
			continue
		}
		wait = max(wait, res.DelayFrom(now))
	}
	if wait > 0 {
		for _, res := range reservations {
			res.CancelAt(now)
		}
		return false, wait
	}
	return true, 0
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
