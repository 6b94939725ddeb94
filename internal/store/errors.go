package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"syscall"

	"github.com/go-sql-driver/mysql"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/realtyhq/realty/pkg/realty"
)

// MySQL server error numbers realty maps.
const (
	mysqlDupEntry       = 1062
	mysqlNoReferenced   = 1452
	mysqlLockWait       = 1205
	mysqlDeadlock       = 1213
	mysqlServerShutdown = 1053
	// mysqlWsrepNotReady: a Galera node that is not a synced member of the
	// primary component refuses queries ("WSREP has not yet prepared node
	// for application use").
	mysqlWsrepNotReady = 1047
)

// mapErr turns driver errors into realty's typed errors. Unavailability keeps
// the driver error in the chain for logs; callers only need errors.Is.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return realty.ErrNotFound
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if isUnique(err) {
		return realty.ErrConflict
	}
	if storageFull(err) {
		// The driver's words stay in the chain for the log, not for clients.
		return fmt.Errorf("%w: the database cannot store more now (disk full or read-only): %w", realty.ErrStorageFull, err)
	}
	if unavailable(err) {
		return fmt.Errorf("%w: database: %w", realty.ErrUnavailable, err)
	}
	return err
}

func isUnique(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == mysqlDupEntry
}

// MySQL errors that say the server cannot write now: a full table space or
// disk, or a server in read-only mode.
const (
	mysqlDiskFull       = 1021
	mysqlTableFull      = 1114
	mysqlReadOnlyOption = 1290
	mysqlReadOnlyTx     = 1792
	mysqlErrorOnWrite   = 3
)

// storageFull reports errors that say the database cannot store more.
func storageFull(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code() & 0xff
		return code == sqlite3.SQLITE_FULL || code == sqlite3.SQLITE_READONLY
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case mysqlDiskFull, mysqlTableFull, mysqlReadOnlyOption, mysqlReadOnlyTx, mysqlErrorOnWrite:
			return true
		}
	}
	return false
}

// isForeignKey reports a reference to a row that does not exist.
func isForeignKey(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == mysqlNoReferenced
}

// unavailable reports errors that say the database cannot be reached or is
// overloaded now, as opposed to errors in what was asked of it.
func unavailable(err error) bool {
	var ne net.Error
	var oe *net.OpError
	var me *mysql.MySQLError
	var se *sqlite.Error
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, mysql.ErrInvalidConn),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, sql.ErrConnDone):
		return true
	case errors.As(err, &oe), errors.As(err, &ne):
		return true
	case errors.As(err, &me):
		return me.Number == mysqlLockWait || me.Number == mysqlDeadlock || me.Number == mysqlServerShutdown ||
			me.Number == mysqlWsrepNotReady
	case errors.As(err, &se):
		code := se.Code() & 0xff
		return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
	}
	return false
}
