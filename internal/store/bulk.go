package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/jmoiron/sqlx"

	"github.com/realtyhq/realty/migrations"
)

// bulkTables are the tables an import writes, whose secondary indexes a
// bulk load drops and builds again.
var bulkTables = []string{"properties", "rooms", "room_features", "property_words", "property_events"}

// bulkMinRows is the smallest load worth dropping indexes for: below it,
// keeping them costs less than building them again.
const bulkMinRows = 50_000

// Bulk runs load, which writes about n properties, in the way that is
// fastest for it. On SQLite, when n is at least bulkMinRows and at least
// the number of properties already there, the secondary indexes of the
// tables it writes are dropped first and built again after (a sort each,
// instead of a dozen random B-tree updates per property: 1 M properties
// went from 6 900 to 16 700 a second), and its transactions are larger. The
// indexes' definitions are kept in bulk_indexes (migration 0009) in the
// transaction that drops them, so that a load that never finishes (a
// crash, a kill) leaves them to be built by the next Open. Reads meanwhile
// are correct, only slower. The load's rows skip the CHECK constraints
// (ignore_check_constraints, on the writer's connection until the load
// ends): SQLite's CHECKs with IN lists cost as much as the rest of a row's
// insert (2 M rooms: 5.1 s without the type check, 10.8 s with it; 1 M
// demo properties: 90 s with every check, 59 s without). The rows of a
// bulk load must therefore be valid already: the service's BulkLoad runs
// imports, which check every property against the same rules
// (realty.ValidateImport) before writing any. Foreign keys are still
// enforced.
//
// On MySQL, where a statement keeps a core of the server busy while the
// client waits, the imports of a bulk load write each batch in bulkParts
// transactions at once (inOrder).
func (s *Store) Bulk(ctx context.Context, n int, load func() error) error {
	if n < s.bulkMin {
		return load()
	}
	// The garbage collector runs a quarter as often: a load allocates rows
	// and arguments batch after batch, and has the process to itself (it
	// was a sixth of the client's CPU of an import into MariaDB).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	if s.dialect == migrations.MySQL {
		s.bulk.Store(true)
		defer s.bulk.Store(false)
		return load()
	}
	var have int
	if err := s.read.QueryRowxContext(ctx, "SELECT COUNT(*) FROM properties").Scan(&have); err != nil {
		return mapErr(err)
	}
	if n < have {
		return load()
	}
	if err := s.dropIndexes(ctx); err != nil {
		return err
	}
	s.bulk.Store(true)
	_, _ = s.write.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 50000")
	loadErr := mapErr(execErr(s.write.ExecContext(ctx, "PRAGMA ignore_check_constraints = ON")))
	if loadErr == nil {
		loadErr = load()
	}
	// Checked again even after a failed load, or a cancelled one: other
	// writes on this connection must meet every constraint.
	loadErr = errors.Join(loadErr, mapErr(execErr(s.write.ExecContext(context.WithoutCancel(ctx),
		"PRAGMA ignore_check_constraints = OFF"))))
	_, _ = s.write.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 1000")
	s.bulk.Store(false)
	// Built again even after a failed load, with a context of their own: an
	// interrupted import must not leave the indexes to the next Open.
	if err := s.restoreIndexes(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("building the indexes again after a bulk load: %w (the next start builds them)", err)
	}
	return loadErr
}

// dropIndexes keeps the definitions of the bulk tables' secondary indexes
// and drops them, in one transaction.
func (s *Store) dropIndexes(ctx context.Context) error {
	return s.InTx(ctx, func(tx *Tx) error {
		var idx []struct {
			Name string `db:"name"`
			SQL  string `db:"sql"`
		}
		q, args, err := sqlx.In(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
			AND tbl_name IN (?)`, bulkTables)
		if err != nil {
			return err
		}
		if err := sqlx.SelectContext(ctx, tx.tx, &idx, q, args...); err != nil {
			return mapErr(err)
		}
		for _, i := range idx {
			if _, err := tx.tx.ExecContext(ctx, "INSERT INTO bulk_indexes (name, sql) VALUES (?, ?)", i.Name, i.SQL); err != nil {
				return mapErr(err)
			}
			if _, err := tx.tx.ExecContext(ctx, `DROP INDEX "`+i.Name+`"`); err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}

// restoreIndexes builds the indexes that bulk_indexes keeps, each in its
// transaction with the deletion of its definition, then gathers their
// statistics for the query planner.
func (s *Store) restoreIndexes(ctx context.Context) error {
	var idx []struct {
		Name string `db:"name"`
		SQL  string `db:"sql"`
	}
	if err := s.read.SelectContext(ctx, &idx, "SELECT name, sql FROM bulk_indexes ORDER BY name"); err != nil {
		return mapErr(err)
	}
	if len(idx) == 0 {
		return nil
	}
	// SQLite sorts an index's keys in worker threads when allowed to.
	if _, err := s.write.ExecContext(ctx, "PRAGMA threads = 4"); err != nil {
		return mapErr(err)
	}
	for _, i := range idx {
		err := s.InTx(ctx, func(tx *Tx) error {
			if _, err := tx.tx.ExecContext(ctx, i.SQL); err != nil {
				return mapErr(err)
			}
			_, err := tx.tx.ExecContext(ctx, "DELETE FROM bulk_indexes WHERE name = ?", i.Name)
			return mapErr(err)
		})
		if err != nil {
			return fmt.Errorf("index %s: %w", i.Name, err)
		}
	}
	// Statistics from a sample of each index: seconds at most, and the
	// planner then knows the new indexes as it knew the old ones.
	_, err := s.write.ExecContext(ctx, "PRAGMA analysis_limit = 1000; ANALYZE")
	return mapErr(err)
}

// execErr is the error of an Exec, whose result is not needed.
func execErr(_ sql.Result, err error) error { return err }

// bulkParts is how many transactions at once write a batch of a bulk load
// on MySQL: two 200 000-property loads into two databases at once took
// 31 s on MariaDB, one alone 26 s.
const bulkParts = 2

// inOrder writes the items 0 to n-1 in bulkParts transactions at once, on
// as many connections, as InChunks does: what a caller sees is what one
// transaction after another would give.
//   - Ids follow the items' order: a part inserts its properties only when
//     the part before it has inserted its own (Tx.waitTurn, Tx.passTurn),
//     so that auto-increment ids go in order. The rest of a part (rooms,
//     words, events: most of the work) runs beside the others.
//   - Commits follow it too: a part commits only after the part before it
//     has, and rolls back if that one failed, so that what stays is the
//     items [0, done), as with InChunks.
//
// A part is not run again on its own after contention: its properties
// would get ids after those of the part after it. The items from the
// first part that failed on are run again, in new parts, as one
// transaction is by InTx.
func (s *Store) inOrder(ctx context.Context, n int, fn func(tx *Tx, from, to int) error) (int, error) {
	done := 0
	err := s.retry(ctx, func() error {
		var err error
		done, err = s.inOrderOnce(ctx, done, n, fn)
		return err
	})
	return done, err
}

// inOrderOnce writes the items from to n-1 in parts, once; it returns the
// end of the items stored and the error of the first part that failed.
func (s *Store) inOrderOnce(ctx context.Context, from, n int, fn func(tx *Tx, from, to int) error) (int, error) {
	type part struct {
		from, to  int
		turn      *turn
		committed chan struct{} // closed when err is known
		err       error
	}
	parts := make([]*part, min(bulkParts, n-from)) // none empty
	for i := range parts {
		parts[i] = &part{from: from + i*(n-from)/len(parts), to: from + (i+1)*(n-from)/len(parts), committed: make(chan struct{})}
		parts[i].turn = &turn{done: make(chan struct{})}
		if i > 0 {
			parts[i].turn.after = parts[i-1].turn.done
		}
	}
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Go(func() {
			defer close(p.committed)
			defer p.turn.pass() // even if it failed before its properties
			p.err = s.inTxOnce(ctx, func(tx *Tx) error {
				tx.turn = p.turn
				if err := fn(tx, p.from, p.to); err != nil {
					return err
				}
				if i == 0 {
					return nil
				}
				prev := parts[i-1]
				select {
				case <-prev.committed:
				case <-ctx.Done():
					return ctx.Err()
				}
				if prev.err != nil {
					return errEarlierPart
				}
				return nil
			})
		})
	}
	wg.Wait()
	done := from
	for _, p := range parts {
		if p.err != nil {
			if errors.Is(p.err, errEarlierPart) {
				continue
			}
			return done, p.err
		}
		done = p.to
	}
	return done, nil
}

// errEarlierPart rolls back a part of inOrder whose predecessor failed.
var errEarlierPart = errors.New("an earlier part of the batch failed")

// turn orders the properties inserts of inOrder's parts.
type turn struct {
	after <-chan struct{} // closed when the part before has inserted its properties; nil for the first
	done  chan struct{}   // closed when this part has
	once  sync.Once
}

func (t *turn) pass() { t.once.Do(func() { close(t.done) }) }

// waitTurn waits, in a part of inOrder, until the properties of the part
// before are inserted.
func (tx *Tx) waitTurn(ctx context.Context) error {
	if tx.turn == nil || tx.turn.after == nil {
		return nil
	}
	select {
	case <-tx.turn.after:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// passTurn lets the next part of inOrder insert its properties.
func (tx *Tx) passTurn() {
	if tx.turn != nil {
		tx.turn.pass()
	}
}
