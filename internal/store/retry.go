package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/go-sql-driver/mysql"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/realtyhq/realty/pkg/realty"
)

// Transactions the database aborts to resolve contention are run again, in
// this one place: MySQL deadlocks (1213, which is also how Galera reports a
// certification conflict at COMMIT) and lock-wait timeouts (1205), and
// SQLITE_BUSY past the busy timeout. Each retry waits a random time that
// grows with the attempt, so that the colliding transactions spread out.
const (
	maxAttempts = 6
	retryBase   = 4 * time.Millisecond
)

// retryable reports an error that says "run the same transaction again".
func retryable(err error) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == mysqlDeadlock || me.Number == mysqlLockWait
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code() & 0xff
		return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
	}
	return false
}

// retry runs fn until it succeeds, fails for another reason than
// contention, runs out of attempts or ctx ends.
func (s *Store) retry(ctx context.Context, fn func() error) error {
	for attempt := 1; ; attempt++ {
		err := fn()
		if err != nil && (storageFull(err) || errors.Is(err, realty.ErrStorageFull)) {
			s.storageFailedAt.Store(time.Now().UnixNano())
		}
		if err == nil || !retryable(err) || attempt == maxAttempts {
			return err
		}
		s.retries.Add(1)
		wait := retryBase << (attempt - 1)
		wait = wait/2 + rand.N(wait) // jitter: between half and one and a half times
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// Retries returns how many transactions were run again after contention.
func (s *Store) Retries() int64 { return s.retries.Load() }
