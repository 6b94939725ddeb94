// Package store persists realty's data with sqlx, on SQLite (modernc.org/sqlite,
// no cgo) or MySQL 8. There is one code path: the SQL is portable, and the few
// dialect differences (connection set-up, row locks, driver error codes) are
// isolated in this file and errors.go.
//
// The store knows nothing of who may do what: the service decides, the store
// executes. Driver errors come out as realty's typed errors.
package store

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/realtyhq/realty/migrations"
	"github.com/realtyhq/realty/pkg/realty"
)

// Store is an open database. It is safe for concurrent use.
type Store struct {
	dialect   string
	read      *sqlx.DB // SQLite: a pool of read-only connections; MySQL: the pool
	write     *sqlx.DB // SQLite: one connection, so writers queue instead of failing busy; MySQL: the pool
	txdb      *sqlx.DB // MySQL: the transactions' pool, autocommit off (see inImplicitTx); SQLite: nil
	location  string   // where the data is, without any password
	forUpdate string   // row-lock suffix of SELECTs that precede an update
	retries   atomic.Int64
	stmts     sync.Map // stmtKey -> *sqlx.Stmt (prepared.go)
	path      string   // SQLite: the database file
	// storageFailedAt is when a write last failed for lack of storage
	// (Unix nanoseconds; 0: never).
	storageFailedAt atomic.Int64
	// beforeCommit, when set (tests), runs in every transaction before COMMIT.
	beforeCommit func(*Tx) error
	// galera: the MySQL server is a node of a Galera cluster (wsrep_on).
	galera bool
	// rare: under this many matches a word or feature drives a list page
	// (rareMatches; tests change it); counts: the matches last counted.
	rare   int
	counts matchCounts
	// bulk: a bulk load runs (Bulk), with larger transactions.
	bulk atomic.Bool
	// bulkPending: statements of full batches to prepare (execMany).
	bulkPending sync.Map
	// bulkMin: the smallest load for which Bulk drops indexes (bulkMinRows;
	// tests change it).
	bulkMin int
}

// Open opens (and for SQLite creates) the database named by a URL:
//
//	sqlite:PATH  or  sqlite://PATH            an SQLite file
//	mysql://USER:PASSWORD@HOST:PORT/NAME?...  a MySQL 8 (or MariaDB 10.11+) database
//
// It does not migrate: call Migrate.
func Open(ctx context.Context, dbURL string) (*Store, error) {
	switch {
	case strings.HasPrefix(dbURL, "sqlite:"):
		return openSQLite(ctx, sqlitePath(dbURL))
	case strings.HasPrefix(dbURL, "mysql://"):
		return openMySQL(ctx, dbURL)
	}
	return nil, fmt.Errorf("unsupported database URL %q: use sqlite:PATH or mysql://user:pass@host:3306/name", Redact(dbURL))
}

// Location names the database of a URL without its password, as the
// opened Store's String does, without opening it.
func Location(dbURL string) (string, error) {
	if strings.HasPrefix(dbURL, "mysql://") {
		cfg, err := MySQLConfig(dbURL)
		if err != nil {
			return "", err
		}
		return mysqlLocation(cfg), nil
	}
	return "sqlite:" + sqlitePath(dbURL), nil
}

func mysqlLocation(cfg *mysql.Config) string {
	return "mysql://" + cfg.User + "@" + cfg.Addr + "/" + cfg.DBName
}

// OpenExisting opens a database as Open does, but never creates one: an
// SQLite file that does not exist is a *MissingError (commands that only
// read must not leave an empty database behind a mistyped path).
func OpenExisting(ctx context.Context, dbURL string) (*Store, error) {
	if strings.HasPrefix(dbURL, "sqlite:") {
		path := sqlitePath(dbURL)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, &MissingError{Path: path}
		}
	}
	return Open(ctx, dbURL)
}

// MissingError says that there is no database where one was expected.
type MissingError struct{ Path string }

func (e *MissingError) Error() string { return "there is no realty database at " + e.Path }

func sqlitePath(dbURL string) string {
	return strings.TrimPrefix(strings.TrimPrefix(dbURL, "sqlite:"), "//")
}

// Redact returns a database URL without its password, for messages and logs.
func Redact(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil || u.User == nil {
		if i := strings.LastIndex(dbURL, "@"); i >= 0 && strings.Contains(dbURL, "://") {
			return dbURL[:strings.Index(dbURL, "://")+3] + "…" + dbURL[i:]
		}
		return dbURL
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("invalid SQLite path %q", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create database directory: %w", err)
	}
	// The file holds password hashes, emails and birth dates: create it
	// readable by its owner only (SQLite gives the -wal and -shm files the
	// database file's mode).
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	// Pragmas go in the DSN so that every connection the pool opens gets them;
	// foreign keys in particular are off by default on each new connection.
	common := "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=busy_timeout(10000)&_time_format=sqlite"
	// The one writer keeps up to 64 MiB of pages (SQLite's default is 2 MiB):
	// a bulk import updates a dozen indexes at random places, which then
	// stay in memory instead of being read back from the file for each
	// batch (1 M properties: 6 000/s with the default, fewer as the file
	// grew). Readers keep the default: there are several of them.
	write, err := sqlx.Open("sqlite", path+"?"+common+"&_txlock=immediate&_pragma=cache_size(-65536)")
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	read, err := sqlx.Open("sqlite", path+"?"+common+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, err
	}
	n := max(4, runtime.NumCPU())
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	s := &Store{dialect: migrations.SQLite, read: read, write: write, location: "sqlite:" + path, path: path,
		rare: rareMatches, bulkMin: bulkMinRows}
	// The writer connects first: it creates the file and switches it to WAL.
	// Processes opening a new file at once can meet SQLITE_BUSY there, where
	// SQLite does not wait (it would deadlock): connecting is retried.
	if err := s.retry(ctx, func() error { return s.write.PingContext(ctx) }); err != nil {
		s.Close()
		return nil, mapErr(fmt.Errorf("open %s: %w", path, err))
	}
	return s, nil
}

// MySQLConfig turns a mysql:// URL into the driver's configuration, with the
// settings realty relies on: UTC times parsed into time.Time, utf8mb4,
// client-side interpolation (one round trip per query), strict SQL mode.
func MySQLConfig(dbURL string) (*mysql.Config, error) {
	u, err := url.Parse(dbURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("invalid MySQL URL %q: want mysql://user:pass@host:3306/name", Redact(dbURL))
	}
	host := u.Host
	if u.Port() == "" {
		host += ":3306"
	}
	dsn := "tcp(" + host + ")/" + strings.TrimPrefix(u.Path, "/")
	if u.User != nil {
		pass, _ := u.User.Password()
		dsn = u.User.Username() + ":" + pass + "@" + dsn
	}
	if u.RawQuery != "" {
		dsn += "?" + u.RawQuery
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("invalid MySQL URL %q: %v", Redact(dbURL), redactErr(err, u))
	}
	cfg.ParseTime = true
	cfg.InterpolateParams = true
	cfg.Loc = time.UTC
	cfg.Collation = "utf8mb4_bin"
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["sql_mode"] = "'TRADITIONAL'"
	cfg.Params["time_zone"] = "'+00:00'"
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	return cfg, nil
}

func redactErr(err error, u *url.URL) string {
	msg := err.Error()
	if u.User != nil {
		if pass, ok := u.User.Password(); ok && pass != "" {
			msg = strings.ReplaceAll(msg, pass, "xxxxx")
		}
	}
	return msg
}

func openMySQL(ctx context.Context, dbURL string) (*Store, error) {
	cfg, err := MySQLConfig(dbURL)
	if err != nil {
		return nil, err
	}
	galera, err := isGalera(ctx, cfg)
	if err != nil {
		return nil, mapErr(fmt.Errorf("connect to %s: %w", mysqlLocation(cfg), err))
	}
	if _, set := cfg.Params["wsrep_sync_wait"]; galera && !set {
		// A Galera node applies the others' writes asynchronously after
		// certifying them: without this a client that wrote through one
		// server and reads through another could get a 404 or an older
		// version. 1: reads and transactions first wait until the node
		// has applied every write committed anywhere before they began.
		cfg.Params["wsrep_sync_wait"] = "1"
	}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	db := sqlx.NewDb(sql.OpenDB(conn), "mysql")
	// Equal idle and open limits keep warm connections; a lifetime under the
	// usual 5-minute proxy and load-balancer idle cut-offs avoids dead ones.
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	db.SetConnMaxLifetime(3 * time.Minute)
	db.SetConnMaxIdleTime(time.Minute)
	// Transactions run on connections whose autocommit is off, where the
	// first statement starts one: a write saves the START TRANSACTION round
	// trip.
	txcfg := cfg.Clone()
	txcfg.Params["autocommit"] = "0"
	txconn, err := mysql.NewConnector(txcfg)
	if err != nil {
		return nil, err
	}
	txdb := sqlx.NewDb(sql.OpenDB(txconn), "mysql")
	txdb.SetMaxOpenConns(32)
	txdb.SetMaxIdleConns(32)
	txdb.SetConnMaxLifetime(3 * time.Minute)
	txdb.SetConnMaxIdleTime(time.Minute)
	s := &Store{dialect: migrations.MySQL, read: db, write: db, txdb: txdb, forUpdate: " FOR UPDATE", rare: rareMatches,
		location: mysqlLocation(cfg), galera: galera}
	if err := db.PingContext(ctx); err != nil {
		s.Close()
		return nil, mapErr(fmt.Errorf("connect to %s: %w", s.location, err))
	}
	return s, nil
}

// isGalera reports whether the server is a node of a Galera cluster, on a
// connection of its own (the pools' settings depend on the answer).
// MySQL has no wsrep_on variable; MariaDB has it, OFF outside a cluster.
func isGalera(ctx context.Context, cfg *mysql.Config) (bool, error) {
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return false, err
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	var name, value string
	err = db.QueryRowContext(ctx, "SHOW VARIABLES LIKE 'wsrep_on'").Scan(&name, &value)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return strings.EqualFold(value, "ON"), err
}

// SharedByServers reports whether several servers may use this database at
// once (MySQL), so that what they must agree on (rate limits) is kept in it.
func (s *Store) SharedByServers() bool { return s.dialect == migrations.MySQL }

// Galera reports whether the database is a Galera cluster's node.
func (s *Store) Galera() bool { return s.galera }

// synced fails, with ErrUnavailable, while a Galera node is not a synced
// member of the primary component: joining, donating a state transfer,
// cut off from the others. It then refuses or stalls queries, and a load
// balancer must send the traffic to the other nodes' servers.
func (s *Store) synced(ctx context.Context) error {
	rows, err := s.write.QueryContext(ctx,
		"SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_local_state', 'wsrep_local_state_comment')")
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	st := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return mapErr(err)
		}
		st[strings.ToLower(k)] = v
	}
	if err := rows.Err(); err != nil {
		return mapErr(err)
	}
	if st["wsrep_ready"] != "ON" || st["wsrep_local_state"] != "4" {
		return fmt.Errorf("%w: the Galera node is not synced (state %s, ready %s)", realty.ErrUnavailable,
			cmp.Or(st["wsrep_local_state_comment"], "unknown"), cmp.Or(st["wsrep_ready"], "unknown"))
	}
	return nil
}

// Close closes every connection.
func (s *Store) Close() error {
	err := errors.Join(s.closeStmts(), s.write.Close())
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	if s.txdb != nil {
		err = errors.Join(err, s.txdb.Close())
	}
	return err
}

// Dialect is migrations.SQLite or migrations.MySQL.
func (s *Store) Dialect() string { return s.dialect }

// String says where the data is, without any password.
func (s *Store) String() string { return s.location }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return mapErr(s.write.PingContext(ctx)) }

// storageCooldown is how long Writable fails after a write failed for lack
// of storage: a load balancer takes the server out of rotation meanwhile,
// then its traffic tells again.
const storageCooldown = 15 * time.Second

// minFreeBytes is the free space under an SQLite file below which writes
// are about to fail.
const minFreeBytes = 4 << 20

// Writable fails, with ErrStorageFull, while writes cannot succeed: for a
// while after one failed for lack of storage, when the file system under
// an SQLite file is (nearly) full, or when a MySQL server is read-only.
func (s *Store) Writable(ctx context.Context) error {
	if at := s.storageFailedAt.Load(); at != 0 {
		if since := time.Since(time.Unix(0, at)); since < storageCooldown {
			return fmt.Errorf("%w: a write failed for lack of storage %s ago", realty.ErrStorageFull, since.Round(time.Second))
		}
	}
	if s.dialect == migrations.SQLite {
		var fs syscall.Statfs_t
		if err := syscall.Statfs(filepath.Dir(s.path), &fs); err == nil && fs.Bavail*uint64(fs.Bsize) < minFreeBytes {
			return fmt.Errorf("%w: %d bytes free under %s", realty.ErrStorageFull, fs.Bavail*uint64(fs.Bsize), s.path)
		}
		return nil
	}
	if s.galera {
		if err := s.synced(ctx); err != nil {
			return err
		}
	}
	var readOnly int
	if err := s.write.QueryRowxContext(ctx, "SELECT @@global.read_only").Scan(&readOnly); err != nil {
		return mapErr(err)
	}
	if readOnly != 0 {
		return fmt.Errorf("%w: the MySQL server is read-only", realty.ErrStorageFull)
	}
	return nil
}

// Migrate applies the pending migrations and returns them, then writes the
// search words of properties that a migration left without (0007), and
// builds the indexes that a bulk load left dropped (Bulk).
func (s *Store) Migrate(ctx context.Context) ([]migrations.Migration, error) {
	done, err := migrations.Up(ctx, s.write.DB, s.dialect)
	if err != nil {
		return done, mapErr(err)
	}
	if _, err := s.backfillWords(ctx); err != nil {
		return done, err
	}
	if s.dialect == migrations.SQLite {
		// The indexes of a bulk load that did not finish (Bulk).
		err = s.restoreIndexes(ctx)
	}
	return done, err
}

// Migrations lists every migration with when it was applied.
func (s *Store) Migrations(ctx context.Context) ([]migrations.Status, error) {
	st, err := migrations.List(ctx, s.read.DB, s.dialect)
	return st, mapErr(err)
}

// SchemaCurrent reports whether every migration is applied.
func (s *Store) SchemaCurrent(ctx context.Context) (bool, error) {
	cur, err := migrations.Current(ctx, s.read.DB)
	if err != nil {
		return false, mapErr(err)
	}
	latest, err := migrations.Latest(s.dialect)
	return cur == latest, err
}

// Tx is a write transaction. On SQLite it holds the write lock from its start
// (BEGIN IMMEDIATE); on MySQL, rows it locks with LockProperty stay locked.
type Tx struct {
	tx    txConn
	s     *Store
	stmts map[string]*sqlx.Stmt // MySQL: the statements prepared on tx (execMany)
	turn  *turn                 // MySQL bulk loads: when to insert properties (inOrder)
}

// txConn is what a transaction runs statements on: a *sqlx.Tx, or on MySQL
// a connection whose autocommit is off.
type txConn interface {
	sqlx.QueryerContext
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// InTx runs fn in a write transaction, committed if fn returns nil. When the
// database aborts the transaction to resolve contention (a deadlock, a lock
// wait timeout, a Galera certification conflict, SQLITE_BUSY), fn runs again
// in a new transaction: it must only have effects through tx, and must reset
// whatever it returns through its closure.
func (s *Store) InTx(ctx context.Context, fn func(*Tx) error) error {
	return s.retry(ctx, func() error { return s.inTxOnce(ctx, fn) })
}

func (s *Store) inTxOnce(ctx context.Context, fn func(*Tx) error) error {
	if s.txdb != nil {
		return s.inImplicitTx(ctx, fn)
	}
	tx, err := s.write.BeginTxx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	t := &Tx{tx: tx, s: s}
	if err := fn(t); err != nil {
		_ = tx.Rollback()
		return err
	}
	if s.beforeCommit != nil {
		if err := s.beforeCommit(t); err != nil {
			_ = tx.Rollback()
			return mapErr(err)
		}
	}
	return mapErr(tx.Commit())
}

// inImplicitTx runs fn on a MySQL connection whose autocommit is off: its
// first statement starts the transaction, which ends with an explicit
// COMMIT or ROLLBACK. A connection whose transaction could not be ended
// is discarded, never returned to the pool with a transaction open.
func (s *Store) inImplicitTx(ctx context.Context, fn func(*Tx) error) (err error) {
	c, err := s.txdb.Connx(ctx)
	if err != nil {
		return mapErr(err)
	}
	t := &Tx{tx: c, s: s}
	defer func() {
		t.closeStmts()
		if err != nil {
			// Even when ctx is done: the connection must not keep the
			// transaction.
			if _, rbErr := c.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rbErr != nil {
				_ = c.Raw(func(any) error { return driver.ErrBadConn })
			}
		}
		c.Close()
	}()
	if err := fn(t); err != nil {
		return err
	}
	if s.beforeCommit != nil {
		if err := s.beforeCommit(t); err != nil {
			return mapErr(err)
		}
	}
	_, err = c.ExecContext(ctx, "COMMIT")
	return mapErr(err)
}

// chunkRows bounds the rows one transaction of InChunks writes on SQLite,
// where every writer waits for the one write lock: about 50 ms of work on
// two cores (some 1000 properties since imports write multi-row
// statements), so that another user's write never waits long behind an
// import. Fewer, larger transactions also write each B-tree page to the
// WAL fewer times: 1000 rows took 69.6 s for 'realty demo --properties
// 1000000', 4000 rows 61.1 s, back to back.
const chunkRows = 4000

// bulkChunkRows is chunkRows during a bulk load (Bulk), which has the
// database to itself: 16 000 rows took 12.1 s for 100 000 demo properties,
// 4 000 rows 15.2 s.
const bulkChunkRows = 16000

// InChunks writes the items 0 to n-1 in write transactions, fn writing the
// items [from, to) of each. On SQLite it commits each time the items'
// weights (rows written) reach chunkRows, so that no transaction holds the
// database's write lock for long; on MySQL, where locks are per row, all
// items go in one transaction, or during a bulk load, for 1000 items or
// more, in two at once (inOrder). It returns how many items were
// committed: on an error, items [0, done) stay stored and the others are
// not.
func (s *Store) InChunks(ctx context.Context, n int, weight func(i int) int, fn func(tx *Tx, from, to int) error) (done int, err error) {
	if s.dialect == migrations.MySQL && s.bulk.Load() && n >= bulkParts*bulkRows {
		return s.inOrder(ctx, n, fn)
	}
	for done < n {
		end, rows := done, 0
		limit := chunkRows
		if s.bulk.Load() {
			limit = bulkChunkRows
		}
		for end < n && (s.dialect != migrations.SQLite || rows < limit) {
			rows += weight(end)
			end++
		}
		if err := s.prepareBulk(ctx); err != nil {
			return done, mapErr(err)
		}
		if err := s.InTx(ctx, func(tx *Tx) error { return fn(tx, done, end) }); err != nil {
			return done, err
		}
		done = end
	}
	return done, nil
}

// exec runs one write statement on its own, retried like a transaction.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := s.retry(ctx, func() error {
		var err error
		res, err = s.write.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// PoolStats returns the connection pools' statistics by name.
func (s *Store) PoolStats() map[string]sql.DBStats {
	if s.read == s.write {
		stats := map[string]sql.DBStats{"main": s.write.Stats()}
		if s.txdb != nil {
			stats["tx"] = s.txdb.Stats() // MySQL's transactions, autocommit off
		}
		return stats
	}
	return map[string]sql.DBStats{"read": s.read.Stats(), "write": s.write.Stats()}
}
