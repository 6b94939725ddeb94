// Package service implements realty.Service on a store: validation, ownership
// checks, password hashing, tokens and transactions. The CLI uses it directly
// in local mode; the HTTP server uses it for every request.
package service

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/realtyhq/realty/internal/ratelimit"
	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/pkg/realty"
)

// Core holds what every Service value shares. It is safe for concurrent use
// and keeps no state besides its configuration.
type Core struct {
	st       *store.Store
	now      func() time.Time
	tokenTTL time.Duration
	argon    Argon2Params
	limits   Limits
	hashing  *hashing
	writes   ratelimit.Limiter

	schemaCurrent atomic.Bool
	keysSwept     atomic.Int64 // when sweepKeys last ran, in Unix nanoseconds

	dummyOnce sync.Once
	dummy     string // a hash to check against when the email is unknown
}

// Option configures a Core.
type Option func(*Core)

// WithClock sets the clock (tests use it to expire tokens).
func WithClock(now func() time.Time) Option { return func(c *Core) { c.now = now } }

// WithTokenTTL sets how long a log-in lasts (default 30 days).
func WithTokenTTL(d time.Duration) Option { return func(c *Core) { c.tokenTTL = d } }

// WithArgon2 sets the password hashing cost (default DefaultArgon2).
func WithArgon2(p Argon2Params) Option { return func(c *Core) { c.argon = p } }

// DefaultTokenTTL is how long a log-in lasts unless configured.
const DefaultTokenTTL = 30 * 24 * time.Hour

// New returns a Core over an open, migrated store.
func New(st *store.Store, opts ...Option) (*Core, error) {
	c := &Core{st: st, now: time.Now, tokenTTL: DefaultTokenTTL, argon: DefaultArgon2}
	for _, o := range opts {
		o(c)
	}
	c.hashing = newHashing(c.limits, c.argon)
	c.writes = c.Limiter()
	return c, nil
}

// Limiter returns where the rate limits keep their buckets: in the process
// for SQLite (one server per file), in the database for MySQL, which
// several servers may share (behind a load balancer, on a Galera cluster):
// each limit then holds for all of them together, not for each. For
// SQLite each call returns new buckets: call it once per use.
func (c *Core) Limiter() ratelimit.Limiter {
	if c.st.SharedByServers() {
		return ratelimit.Shared{Buckets: c.st}
	}
	return ratelimit.New(ratelimit.DefaultMaxKeys)
}

// dummyHash is checked against when a log-in names an unknown email, so that
// the answer takes as long as for a known one. It is made on first need:
// each CLI command in local mode builds a Core, and most never log in.
func (c *Core) dummyHash() string {
	c.dummyOnce.Do(func() { c.dummy, _ = hashPassword("not a password of anybody", c.argon) })
	return c.dummy
}

// For returns a Service acting for the holder of token ("" for nobody). The
// token is checked on each call that needs it, so a revoked or expired token
// stops working at once.
func (c *Core) For(token string) realty.Service { return &actor{c: c, token: token} }

// Ready fails when the database cannot be reached, its schema is not the
// one this binary expects (ErrSchemaOutdated), or it cannot store anything
// now (ErrStorageFull): for readiness probes.
func (c *Core) Ready(ctx context.Context) error {
	if err := c.st.Ping(ctx); err != nil {
		return err
	}
	if err := c.Schema(ctx); err != nil {
		return err
	}
	return c.st.Writable(ctx)
}

// Schema fails with ErrSchemaOutdated while the database's schema is behind
// this binary's. Once current it stays so (migrations only go forward), so
// the check costs one query per call only until then.
func (c *Core) Schema(ctx context.Context) error {
	if c.schemaCurrent.Load() {
		return nil
	}
	current, err := c.st.SchemaCurrent(ctx)
	if err != nil {
		return err
	}
	if !current {
		return fmt.Errorf("the database schema is behind this program's: run 'realty migrate up': %w", realty.ErrSchemaOutdated)
	}
	c.schemaCurrent.Store(true)
	return nil
}

// PoolStats returns the database pools' statistics.
func (c *Core) PoolStats() map[string]sql.DBStats { return c.st.PoolStats() }

func (c *Core) clock() time.Time { return c.now().UTC().Truncate(time.Microsecond) }

// actor is a realty.Service acting for one token (the holder of a
// realty.Session, or nobody).
type actor struct {
	c     *Core
	token string
}

var _ realty.Service = (*actor)(nil)

// tokenTouchEvery limits last_used_at writes to one a minute per token, so
// that reads by a logged-in user do not each cost a write.
const tokenTouchEvery = time.Minute

func (s *actor) user(ctx context.Context) (store.UserRow, error) {
	if s.token == "" {
		return store.UserRow{}, fmt.Errorf("not logged in: %w", realty.ErrUnauthenticated)
	}
	hash := tokenHash(s.token)
	t, err := s.c.st.Token(ctx, hash)
	if errors.Is(err, realty.ErrNotFound) {
		return store.UserRow{}, fmt.Errorf("invalid or revoked token: %w", realty.ErrUnauthenticated)
	}
	if err != nil {
		return store.UserRow{}, err
	}
	now := s.c.clock()
	if !now.Before(t.ExpiresAt) {
		return store.UserRow{}, fmt.Errorf("token expired on %s: %w", t.ExpiresAt.UTC().Format(time.DateOnly), realty.ErrUnauthenticated)
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > tokenTouchEvery {
		if err := s.c.st.TouchToken(ctx, hash, now); err != nil {
			return store.UserRow{}, err
		}
	}
	return t.UserRow, nil
}

// writer is user, for a write that costs cost of the user's write budget.
func (s *actor) writer(ctx context.Context, cost int) (store.UserRow, error) {
	u, err := s.user(ctx)
	if err != nil {
		return u, err
	}
	return u, s.c.allowWrite(ctx, u.ID, cost)
}

func (s *actor) Register(ctx context.Context, in realty.NewUser) (realty.User, error) {
	in = in.Normalized()
	if err := in.Validate(); err != nil {
		return realty.User{}, err
	}
	hash, err := s.c.hash(ctx, in.Password, true)
	if err != nil {
		return realty.User{}, err
	}
	now := s.c.clock()
	row := store.UserRow{Email: in.Email, PasswordHash: hash, FirstName: in.FirstName, LastName: in.LastName,
		BirthDate: in.BirthDate, CreatedAt: now, UpdatedAt: now}
	if row.ID, err = s.c.st.CreateUser(ctx, row); err != nil {
		return realty.User{}, err
	}
	return row.User(), nil
}

var errBadCredentials = fmt.Errorf("wrong email or password: %w", realty.ErrUnauthenticated)

func (s *actor) Login(ctx context.Context, in realty.Credentials) (realty.Session, error) {
	if err := in.Validate(); err != nil {
		return realty.Session{}, err
	}
	u, err := s.c.st.UserByEmail(ctx, realty.NormalizeEmail(in.Email))
	phc := u.PasswordHash
	if errors.Is(err, realty.ErrNotFound) {
		phc = s.c.dummyHash() // same work as for a real user: no timing oracle
	} else if err != nil {
		return realty.Session{}, err
	}
	ok, err := s.c.check(ctx, in.Password, phc)
	if err != nil {
		return realty.Session{}, err
	}
	if !ok || u.ID == 0 {
		return realty.Session{}, errBadCredentials
	}
	token, err := newToken()
	if err != nil {
		return realty.Session{}, err
	}
	now := s.c.clock()
	// Whole seconds: SQLite compares these timestamps as text (see store).
	expires := now.Add(s.c.tokenTTL).Truncate(time.Second)
	if err := s.c.st.CreateToken(ctx, u.ID, u.PasswordHash, tokenHash(token), now, expires); err != nil {
		if errors.Is(err, store.ErrCredentialsChanged) {
			return realty.Session{}, errBadCredentials // the password checked is no longer the user's
		}
		return realty.Session{}, err
	}
	return realty.Session{Token: token, ExpiresAt: expires, User: u.User()}, nil
}

func (s *actor) Logout(ctx context.Context) error {
	if _, err := s.writer(ctx, 1); err != nil {
		return err
	}
	return s.c.st.DeleteToken(ctx, tokenHash(s.token))
}

func (s *actor) Me(ctx context.Context) (realty.User, error) {
	u, err := s.user(ctx)
	return u.User(), err
}

func (s *actor) UpdateMe(ctx context.Context, in realty.UserPatch) (realty.User, error) {
	u, err := s.writer(ctx, 1)
	if err != nil {
		return realty.User{}, err
	}
	in = in.Normalized()
	if err := in.Validate(); err != nil {
		return realty.User{}, err
	}
	if in.Empty() {
		return u.User(), nil
	}
	if in.Email != nil {
		ok, err := s.c.check(ctx, in.CurrentPassword, u.PasswordHash)
		if err != nil {
			return realty.User{}, err
		}
		if !ok {
			return realty.User{}, realty.Invalid("current_password", "is not your current password")
		}
	}
	if err := s.c.st.UpdateUser(ctx, u.ID, in, s.c.clock()); err != nil {
		return realty.User{}, err
	}
	fresh, err := s.c.st.UserByID(ctx, u.ID)
	return fresh.User(), err
}

// withPassword returns the acting user, counting a write, once the input
// is valid and password (the input's field) is theirs.
func (s *actor) withPassword(ctx context.Context, validate func() error, field, password string) (store.UserRow, error) {
	u, err := s.writer(ctx, 1)
	if err != nil {
		return u, err
	}
	if err := validate(); err != nil {
		return u, err
	}
	ok, err := s.c.check(ctx, password, u.PasswordHash)
	if err == nil && !ok {
		err = realty.Invalid(field, "is not your current password")
	}
	return u, err
}

func (s *actor) ChangePassword(ctx context.Context, in realty.PasswordChange) error {
	u, err := s.withPassword(ctx, in.Validate, "current_password", in.Current)
	if err != nil {
		return err
	}
	hash, err := s.c.hash(ctx, in.New, false)
	if err != nil {
		return err
	}
	err = s.c.st.SetPassword(ctx, u.ID, u.PasswordHash, hash, tokenHash(s.token), s.c.clock())
	if errors.Is(err, store.ErrCredentialsChanged) {
		return realty.Invalid("current_password", "is not your current password (it was changed meanwhile)")
	}
	return err
}

func (s *actor) DeleteAccount(ctx context.Context, in realty.AccountDeletion) error {
	u, err := s.withPassword(ctx, in.Validate, "password", in.Password)
	if err != nil {
		return err
	}
	err = s.c.st.DeleteUser(ctx, u.ID, u.PasswordHash)
	if errors.Is(err, store.ErrCredentialsChanged) {
		return realty.Invalid("password", "is not your current password (it was changed meanwhile)")
	}
	return err
}

func (s *actor) User(ctx context.Context, id int64) (realty.PublicUser, error) {
	u, err := s.c.st.UserByID(ctx, id)
	return u.User().Public(), err
}
