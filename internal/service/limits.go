package service

import (
	"context"
	"fmt"
	"time"

	"github.com/realtyhq/realty/internal/ratelimit"
	"github.com/realtyhq/realty/pkg/realty"
)

// Limits bound what one client can make the service spend. The zero value
// limits nothing but hashing, which is always bounded.
type Limits struct {
	// HashMemory is the memory that password hashing may use at once, in
	// bytes: it sets how many argon2id hashes run in parallel (one at
	// least; 19 MiB each at the default cost). Default DefaultHashMemory.
	HashMemory int64
	// HashQueueWait is how long a sign-up, log-in or password change waits
	// for a hashing slot before the answer is "unavailable, retry" (503).
	// Default 2s.
	HashQueueWait time.Duration
	// Writes limits each user's writes (every create, change and delete,
	// log-out included; a batch import costs one per 100 properties).
	// Zero: no limit.
	Writes ratelimit.Limit
}

// DefaultHashMemory runs three hashes at once at the default cost: enough
// for about 60 log-ins a second on two cores, and a bounded 57 MiB.
const DefaultHashMemory = 64 << 20

// WithLimits sets the limits (see Limits).
func WithLimits(l Limits) Option { return func(c *Core) { c.limits = l } }

// hashing runs argon2id computations in a bounded number of slots. Sign-ups
// may take all the slots but one: a flood of anonymous registrations then
// never makes the users who already have an account wait for a log-in.
type hashing struct {
	slots   chan struct{} // every hash
	signups chan struct{} // sign-ups' hashes: one slot fewer (but at least one)
	wait    time.Duration
}

func newHashing(l Limits, p Argon2Params) *hashing {
	budget := l.HashMemory
	if budget <= 0 {
		budget = DefaultHashMemory
	}
	wait := l.HashQueueWait
	if wait <= 0 {
		wait = 2 * time.Second
	}
	n := max(1, budget/(int64(p.MemoryKiB)<<10))
	return &hashing{slots: make(chan struct{}, n), signups: make(chan struct{}, max(1, n-1)), wait: wait}
}

var errHashingFull = &realty.RetryLater{After: time.Second,
	Err: fmt.Errorf("too many passwords are being checked right now; retry in a moment: %w", realty.ErrUnavailable)}

// run runs fn in a slot (a sign-up's in one of the sign-ups' slots too).
// It waits at most h.wait in all, and never starts fn for a caller that has
// gone (ctx done): a client that hangs up costs no hash.
func (h *hashing) run(ctx context.Context, signup bool, fn func()) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := time.NewTimer(h.wait)
	defer t.Stop()
	lanes := []chan struct{}{h.slots}
	if signup {
		lanes = []chan struct{}{h.signups, h.slots}
	}
	for _, lane := range lanes {
		select {
		case lane <- struct{}{}:
			defer func() { <-lane }()
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			return errHashingFull
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	fn()
	return nil
}

// hash returns the PHC string of a new password, in a slot: a sign-up's
// (signup) or an account holder's.
func (c *Core) hash(ctx context.Context, password string, signup bool) (string, error) {
	var phc string
	var err error
	if herr := c.hashing.run(ctx, signup, func() { phc, err = hashPassword(password, c.argon) }); herr != nil {
		return "", herr
	}
	return phc, err
}

// check compares a password with a PHC string, in a slot.
func (c *Core) check(ctx context.Context, password, phc string) (bool, error) {
	var ok bool
	err := c.hashing.run(ctx, false, func() { ok = checkPassword(password, phc) })
	return ok, err
}

// allowWrite takes cost from the user's write budget, and records the
// decision in ctx for the HTTP layer's RateLimit-* headers.
func (c *Core) allowWrite(ctx context.Context, userID int64, cost int) error {
	if c.limits.Writes.PerMinute <= 0 {
		return nil
	}
	d, err := c.writes.Take(ctx, time.Now(), cost, ratelimit.Rule{Key: "write:" + fmt.Sprint(userID), Limit: c.limits.Writes})
	if err != nil {
		return err
	}
	ratelimit.Record(ctx, d)
	if d.OK {
		return nil
	}
	return &realty.RetryLater{After: d.Wait,
		Err: fmt.Errorf("too many changes in a short time; wait %ds: %w", ratelimit.RetryAfter(d.Wait), realty.ErrRateLimited)}
}
