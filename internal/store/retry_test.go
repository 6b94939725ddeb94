package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/pkg/realty"
)

// TestTransactionsRetryContention injects, at COMMIT, the errors with which
// MySQL (and Galera, for certification conflicts) abort a transaction to
// resolve contention: the transaction runs again and its work lands once.
func TestTransactionsRetryContention(t *testing.T) {
	t.Parallel()
	st := testdb.Open(t, "sqlite")
	owner, err := st.CreateUser(ctx, user("retry@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	for _, injected := range []error{
		&mysql.MySQLError{Number: 1213, Message: "Deadlock found when trying to get lock"},
		&mysql.MySQLError{Number: 1205, Message: "Lock wait timeout exceeded"},
	} {
		fails := 3
		st.SetBeforeCommit(func(*store.Tx) error {
			if fails > 0 {
				fails--
				return fmt.Errorf("commit: %w", injected)
			}
			return nil
		})
		runs := 0
		err := st.InTx(ctx, func(tx *store.Tx) error {
			runs++
			_, err := tx.InsertProperty(ctx, store.PropertyRow{OwnerID: owner, Name: "P", Type: "house", City: "Lyon", CityKey: "lyon", At: time.Now().UTC()})
			return err
		})
		if err != nil || runs != 4 {
			t.Errorf("%v: InTx = %v after %d runs; want success after 4", injected, err, runs)
		}
	}

	// Past the attempts, the error comes out as unavailable (503), not 500.
	before := st.Retries()
	st.SetBeforeCommit(func(*store.Tx) error { return &mysql.MySQLError{Number: 1213, Message: "Deadlock"} })
	err = st.InTx(ctx, func(*store.Tx) error { return nil })
	if !errors.Is(err, realty.ErrUnavailable) || st.Retries()-before != 5 {
		t.Errorf("endless deadlocks: %v after %d retries; want unavailable after 5", err, st.Retries()-before)
	}

	// Other errors are not retried.
	runs := 0
	st.SetBeforeCommit(nil)
	_ = st.InTx(ctx, func(*store.Tx) error { runs++; return realty.ErrForbidden })
	if runs != 1 {
		t.Errorf("a forbidden write ran %d times", runs)
	}
}

// TestInChunks: on SQLite an import commits every chunkRows rows, so that
// other writers get the lock in between; on MySQL it is one transaction.
// When a chunk fails, the earlier ones stay and InChunks says how many.
func TestInChunks(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		st := testdb.Open(t, dialect)
		owner, err := st.CreateUser(ctx, user("chunks@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		commits, failAt := 0, 0
		st.SetBeforeCommit(func(*store.Tx) error {
			commits++
			if commits == failAt {
				return errors.New("disk on fire")
			}
			return nil
		})
		insert := func(tx *store.Tx, from, to int) error {
			for i := from; i < to; i++ {
				_, err := tx.InsertProperty(ctx, store.PropertyRow{OwnerID: owner, Name: fmt.Sprint("P", i), Type: "house", City: "Lyon", CityKey: "lyon", At: time.Now().UTC()})
				if err != nil {
					return err
				}
			}
			return nil
		}
		weight := func(int) int { return 1300 }
		done, err := st.InChunks(ctx, 10, weight, insert)
		wantCommits := map[string]int{"sqlite": 3, "mysql": 1}[dialect] // 4+4+2 items of 1300 rows on SQLite
		if err != nil || done != 10 || commits != wantCommits {
			t.Errorf("10 items: done %d, %d commits, %v; want 10 in %d", done, commits, err, wantCommits)
		}
		if dialect != "sqlite" {
			return
		}
		commits, failAt = 0, 2
		done, err = st.InChunks(ctx, 10, weight, insert)
		if err == nil || done != 4 {
			t.Errorf("second chunk failing: done %d, %v; want 4 and the error", done, err)
		}
		rows, _ := st.Properties(ctx, store.ListFilter{OwnerID: owner, Limit: 100})
		if len(rows) != 14 {
			t.Errorf("%d properties stored, want 10 + the first chunk's 4", len(rows))
		}
	})
}
