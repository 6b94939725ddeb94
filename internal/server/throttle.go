package server

import (
	"fmt"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/realtyhq/realty/internal/ratelimit"
	"github.com/realtyhq/realty/pkg/realty"
)

// Log-in throttling is built so that it cannot be turned into a lockout.
// Attempts are counted three ways at once, and one refusal refuses:
//
//   - per (email, address), strict: guessing one account's password from
//     one address is slow;
//   - per address, whatever the email: one address cannot sweep accounts;
//   - per email, from anywhere, looser than the per-address limit: an
//     attacker at one address stays within his own buckets and leaves the
//     owner, at another address, room to log in. Only an attacker spread
//     over several addresses can exhaust it, for as long as he keeps going.
//
// The buckets are the Config's Throttle: in the process, or in the database
// that several servers share.
func (s *Server) allowLogin(c echo.Context, email string) error {
	addr := c.RealIP()
	return s.allow(c, "too many log-in attempts; wait before trying again",
		ratelimit.Rule{Key: "login:" + email + "\x00" + addr, Limit: perMinute(s.cfg.LoginPerEmailAddress)},
		ratelimit.Rule{Key: "login-addr:" + addr, Limit: perMinute(s.cfg.LoginPerAddress)},
		ratelimit.Rule{Key: "login-email:" + email, Limit: perMinute(s.cfg.LoginPerEmail)})
}

// allowSignup limits registrations per client address: each costs a hash.
func (s *Server) allowSignup(c echo.Context) error {
	return s.allow(c, "too many registrations from your address; wait before trying again",
		ratelimit.Rule{Key: "signup:" + c.RealIP(), Limit: perMinute(s.cfg.SignupsPerAddress)})
}

func (s *Server) allow(c echo.Context, msg string, rules ...ratelimit.Rule) error {
	d, err := s.throttle.Take(c.Request().Context(), time.Now(), 1, rules...)
	if err != nil {
		return err
	}
	ratelimit.Record(c.Request().Context(), d)
	if d.OK {
		return nil
	}
	return &realty.RetryLater{After: d.Wait, Err: fmt.Errorf("%s: %w", msg, realty.ErrRateLimited)}
}

// rateLimitHeaders sends, on every response of a request that met a limit
// (log-in, sign-up, any write), the IETF draft RateLimit-Limit,
// RateLimit-Remaining and RateLimit-Reset headers of the most constraining
// one, so that clients can pace themselves before a 429. Reads meet no limit.
func (s *Server) rateLimitHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, report := ratelimit.WithReport(c.Request().Context())
		c.SetRequest(c.Request().WithContext(ctx))
		c.Response().Before(func() {
			d, ok := report.Decision()
			if !ok {
				return
			}
			h := c.Response().Header()
			h.Set("RateLimit-Limit", strconv.Itoa(d.Limit))
			h.Set("RateLimit-Remaining", strconv.Itoa(d.Remaining))
			h.Set("RateLimit-Reset", strconv.Itoa(ratelimit.RetryAfter(d.Reset)))
		})
		return next(c)
	}
}

func perMinute(n int) ratelimit.Limit { return ratelimit.Limit{PerMinute: n, Burst: n} }
