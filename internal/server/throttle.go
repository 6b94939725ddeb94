package server

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// throttle limits log-in attempts per email and per client address, against
// password guessing. Its state is per process: behind a load balancer each
// server applies the limits on its own (correct, only looser).
type throttle struct {
	mu        sync.Mutex
	entries   map[string]*throttleEntry
	perEmail  rate.Limit
	perAddr   rate.Limit
	burstMail int
	burstAddr int
}

type throttleEntry struct {
	lim  *rate.Limiter
	seen time.Time
}

// maxThrottleEntries bounds memory; idle entries are dropped past it.
const maxThrottleEntries = 100_000

func newThrottle(perEmailPerMinute, perAddrPerMinute int) *throttle {
	return &throttle{entries: map[string]*throttleEntry{},
		perEmail: rate.Limit(float64(perEmailPerMinute) / 60), burstMail: perEmailPerMinute,
		perAddr: rate.Limit(float64(perAddrPerMinute) / 60), burstAddr: perAddrPerMinute}
}

// allow takes one attempt for the email and the address; when refused it
// returns how long to wait.
func (t *throttle) allow(email, addr string, now time.Time) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.entries) > maxThrottleEntries {
		t.evict(now)
	}
	a := t.entry("addr:"+addr, t.perAddr, t.burstAddr, now)
	m := t.entry("email:"+email, t.perEmail, t.burstMail, now)
	ra, rm := a.ReserveN(now, 1), m.ReserveN(now, 1)
	wait := max(ra.DelayFrom(now), rm.DelayFrom(now))
	if wait > 0 {
		ra.CancelAt(now)
		rm.CancelAt(now)
		return false, wait
	}
	return true, 0
}

func (t *throttle) entry(key string, r rate.Limit, burst int, now time.Time) *rate.Limiter {
	e, ok := t.entries[key]
	if !ok {
		e = &throttleEntry{lim: rate.NewLimiter(r, burst)}
		t.entries[key] = e
	}
	e.seen = now
	return e.lim
}

// evict drops entries idle long enough to have refilled completely.
func (t *throttle) evict(now time.Time) {
	for k, e := range t.entries {
		if now.Sub(e.seen) > 2*time.Minute {
			delete(t.entries, k)
		}
	}
}

// retryAfterSeconds rounds a wait up to whole seconds, at least 1.
func retryAfterSeconds(d time.Duration) int { return max(1, int(math.Ceil(d.Seconds()))) }
