package service_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/pkg/realty"
)

// cheap keeps hashing fast: these tests are about the database.
var cheap = service.WithArgon2(service.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1})

// TestConcurrentLogins: 100 log-ins of 10 users at once all succeed. On
// MySQL a log-in used to delete expired tokens with a ranged DELETE in the
// same transaction as its INSERT, and concurrent ones deadlocked (1213).
func TestConcurrentLogins(t *testing.T) {
	t.Parallel()
	for _, dialect := range testdb.Dialects {
		t.Run(dialect, func(t *testing.T) {
			core := newCore(t, testdb.Open(t, dialect), cheap)
			ctx := context.Background()
			for i := range 10 {
				register(t, core, fmt.Sprintf("user%d@example.com", i))
			}
			for round := range 3 { // later rounds find the earlier rounds' tokens
				var wg sync.WaitGroup
				errs := make(chan error, 100)
				for i := range 100 {
					wg.Go(func() {
						_, err := core.For("").Login(ctx, realty.Credentials{Email: fmt.Sprintf("user%d@example.com", i%10), Password: "password-1234"})
						errs <- err
					})
				}
				wg.Wait()
				close(errs)
				failed := 0
				for err := range errs {
					if err != nil {
						failed++
						t.Log(err)
					}
				}
				if failed > 0 {
					t.Errorf("round %d: %d of 100 concurrent log-ins failed", round, failed)
				}
			}
		})
	}
}

// TestPasswordChangeRevokesRacingLogins: log-ins with the old password run
// while the password changes. Once the change has returned, no token they
// obtained works, whichever way they interleaved with it.
func TestPasswordChangeRevokesRacingLogins(t *testing.T) {
	t.Parallel()
	for _, dialect := range testdb.Dialects {
		t.Run(dialect, func(t *testing.T) {
			core := newCore(t, testdb.Open(t, dialect), cheap)
			ctx := context.Background()
			for round := range 5 {
				email := fmt.Sprintf("race%d@example.com", round)
				changer := register(t, core, email)
				var (
					mu     sync.Mutex
					tokens []string
					wg     sync.WaitGroup
					done   = make(chan struct{})
				)
				for range 4 {
					wg.Go(func() {
						for {
							s, err := core.For("").Login(ctx, realty.Credentials{Email: email, Password: "password-1234"})
							if err == nil {
								mu.Lock()
								tokens = append(tokens, s.Token)
								mu.Unlock()
							} else if !errors.Is(err, realty.ErrUnauthenticated) {
								t.Errorf("log-in: %v", err)
							}
							select {
							case <-done:
								return
							default:
							}
						}
					})
				}
				err := core.For(changer.Token).ChangePassword(ctx, realty.PasswordChange{Current: "password-1234", New: "a new password"})
				close(done)
				wg.Wait()
				if err != nil {
					t.Fatal(err)
				}
				for _, tok := range tokens {
					if _, err := core.For(tok).Me(ctx); !errors.Is(err, realty.ErrUnauthenticated) {
						t.Errorf("round %d: a token issued for the old password works after the change (%v)", round, err)
						break
					}
				}
			}
		})
	}
}
