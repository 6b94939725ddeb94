package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"

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
// enforced. On MySQL, load runs as it is.
func (s *Store) Bulk(ctx context.Context, n int, load func() error) error {
	if s.dialect != migrations.SQLite || n < s.bulkMin {
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
	// The garbage collector runs a quarter as often: a load allocates
	// rows and arguments batch after batch, and has the machine to itself.
	gc := debug.SetGCPercent(400)
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
	debug.SetGCPercent(gc)
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
