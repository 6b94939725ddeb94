package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/pkg/realty"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newCore(t testing.TB, st *store.Store, opts ...service.Option) *service.Core {
	t.Helper()
	core, err := service.New(st, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return core
}

func register(t testing.TB, core *service.Core, email string) realty.Session {
	t.Helper()
	ctx := context.Background()
	if _, err := core.For("").Register(ctx, realty.NewUser{Email: email, Password: "password-1234", FirstName: "A", LastName: "B"}); err != nil {
		t.Fatal(err)
	}
	s, err := core.For("").Login(ctx, realty.Credentials{Email: email, Password: "password-1234"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTokensExpire(t *testing.T) {
	t.Parallel()
	clk := &clock{t: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	core := newCore(t, testdb.Open(t, "sqlite"), service.WithClock(clk.now), service.WithTokenTTL(time.Hour))
	s := register(t, core, "alice@example.com")
	if want := clk.t.Add(time.Hour); !s.ExpiresAt.Equal(want) {
		t.Errorf("expires at %v, want %v", s.ExpiresAt, want)
	}
	ctx := context.Background()
	clk.t = clk.t.Add(59 * time.Minute)
	if _, err := core.For(s.Token).Me(ctx); err != nil {
		t.Fatalf("before expiry: %v", err)
	}
	clk.t = clk.t.Add(time.Minute)
	_, err := core.For(s.Token).Me(ctx)
	if !errors.Is(err, realty.ErrUnauthenticated) || !strings.Contains(err.Error(), "expired") {
		t.Errorf("after expiry: %v; want an expired-token error", err)
	}
}

// TestSecretsAreNotStored reads the database directly: no password and no
// token may be found in it, only their hashes.
func TestSecretsAreNotStored(t *testing.T) {
	t.Parallel()
	for _, dialect := range testdb.Dialects {
		t.Run(dialect, func(t *testing.T) {
			url := testdb.URL(t, dialect)
			st, err := store.Open(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if _, err := st.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			core := newCore(t, st)
			s := register(t, core, "alice@example.com")
			u, err := st.UserByEmail(context.Background(), "alice@example.com")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(u.PasswordHash, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(u.PasswordHash, "password-1234") {
				t.Errorf("password hash = %q", u.PasswordHash)
			}
			if _, err := st.Token(context.Background(), s.Token); !errors.Is(err, realty.ErrNotFound) {
				t.Errorf("the token itself is stored: %v", err)
			}
		})
	}
}

func TestRevokedTokenStopsAtOnce(t *testing.T) {
	t.Parallel()
	core := newCore(t, testdb.Open(t, "sqlite"))
	s := register(t, core, "alice@example.com")
	svc := core.For(s.Token) // a long-lived value, as the TUI or a server request holds
	if err := core.For(s.Token).Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Me(context.Background()); !errors.Is(err, realty.ErrUnauthenticated) {
		t.Errorf("revoked token still works: %v", err)
	}
}
