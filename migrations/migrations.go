// Package migrations holds the SQL schema of realty, one folder per dialect
// with the same version numbers, and the small runner that applies it.
//
// Files are named NNNN_name.sql. Statements end with ';' at the end of a line.
// The runner records applied versions in schema_migrations and holds a lock
// while it works, so two processes starting together never migrate twice:
// a row of schema_lock on MySQL (a cluster-wide lock, where GET_LOCK is
// per node), or SQLite's immediate transaction (the whole run is one
// transaction there, since SQLite DDL is transactional).
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

//go:embed sqlite/*.sql mysql/*.sql
var files embed.FS

// Dialects.
const (
	SQLite = "sqlite"
	MySQL  = "mysql"
)

// Migration is one numbered SQL file.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Statements splits the migration into single statements.
func (m Migration) Statements() []string {
	var out []string
	var cur strings.Builder
	for line := range strings.Lines(m.SQL) {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// Status is a migration and when it was applied (zero if pending).
type Status struct {
	Migration
	AppliedAt time.Time
}

// Load returns the migrations of a dialect in version order.
func Load(dialect string) ([]Migration, error) {
	if dialect != SQLite && dialect != MySQL {
		return nil, fmt.Errorf("migrations: unknown dialect %q", dialect)
	}
	entries, err := fs.ReadDir(files, dialect)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("migrations: bad file name %s/%s", dialect, e.Name())
		}
		b, err := files.ReadFile(path.Join(dialect, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migrations: %s versions must be 1, 2, 3...; found %d at place %d", dialect, m.Version, i+1)
		}
	}
	return out, nil
}

// Latest returns the highest version of a dialect.
func Latest(dialect string) (int, error) {
	ms, err := Load(dialect)
	if err != nil {
		return 0, err
	}
	return len(ms), nil
}

const createTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER NOT NULL PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    applied_at DATETIME NOT NULL
)`

// Up applies every pending migration and returns those it applied. For
// SQLite, db must open immediate transactions (BEGIN IMMEDIATE).
func Up(ctx context.Context, db *sql.DB, dialect string) ([]Migration, error) {
	all, err := Load(dialect)
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if dialect == MySQL {
		return upMySQL(ctx, conn, all)
	}
	return upSQLite(ctx, conn, all)
}

// upSQLite applies the migrations in one immediate transaction: it holds
// SQLite's write lock from its start, and its DDL rolls back on failure.
func upSQLite(ctx context.Context, conn *sql.Conn, all []Migration) ([]Migration, error) {
	tx, err := conn.BeginTx(ctx, nil) // immediate: takes the write lock now
	if err != nil {
		return nil, fmt.Errorf("migrations: lock: %w", err)
	}
	done, err := applyPending(ctx, tx, all)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	return done, tx.Commit()
}

// The MySQL lock is a row, not GET_LOCK: GET_LOCK is local to one server,
// and on a Galera cluster (or any multi-primary one) processes starting on
// different nodes would each get it and migrate together. A row's primary
// key is cluster-wide: of two nodes inserting it at once one fails to
// certify (1213) and waits like a process that found the row there (1062).
const lockTable = `CREATE TABLE IF NOT EXISTS schema_lock (
    id         INTEGER NOT NULL PRIMARY KEY,
    holder     VARCHAR(100) NOT NULL,
    expires_at DATETIME(6) NOT NULL
)`

// Lock timings: a process waits lockWait for the lock; a lock older than
// lockTTL was left by a process that died, and is taken over.
const (
	lockWait = 60 * time.Second
	lockTTL  = 10 * time.Minute
)

// upMySQL applies the migrations holding the lock row; MySQL DDL commits by
// itself, so each statement is re-runnable and each migration is recorded
// as soon as it is applied.
func upMySQL(ctx context.Context, conn *sql.Conn, all []Migration) ([]Migration, error) {
	if _, err := conn.ExecContext(ctx, lockTable); err != nil {
		return nil, fmt.Errorf("migrations: lock: %w", err)
	}
	host, _ := os.Hostname()
	holder := fmt.Sprintf("%.60s:%d:%x", host, os.Getpid(), rand.Uint32())
	deadline := time.Now().Add(lockWait)
	for {
		_, err := conn.ExecContext(ctx, "INSERT INTO schema_lock (id, holder, expires_at) "+
			"VALUES (1, ?, UTC_TIMESTAMP(6) + INTERVAL ? SECOND)", holder, int(lockTTL.Seconds()))
		if err == nil {
			break
		}
		if !lockTaken(err) {
			return nil, fmt.Errorf("migrations: lock: %w", err)
		}
		if _, err := conn.ExecContext(ctx, "DELETE FROM schema_lock WHERE id = 1 AND expires_at < UTC_TIMESTAMP(6)"); err != nil && !lockTaken(err) {
			return nil, fmt.Errorf("migrations: lock: %w", err)
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("migrations: another process held the migration lock for %s", lockWait)
		}
		t := time.NewTimer(50*time.Millisecond + rand.N(100*time.Millisecond))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	defer func() {
		// A fresh context: the lock must go even when ctx is done.
		_, _ = conn.ExecContext(context.Background(), "DELETE FROM schema_lock WHERE id = 1 AND holder = ?", holder)
	}()
	return applyPending(ctx, conn, all)
}

// lockTaken reports an error that says "another process has the lock row":
// a duplicate key, or a conflict with its insert (a deadlock, or a failed
// Galera certification, both 1213; a lock wait timeout, 1205).
func lockTaken(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && (me.Number == 1062 || me.Number == 1213 || me.Number == 1205)
}

// applyPending runs, in order, every migration that schema_migrations does
// not list yet, and records each one.
func applyPending(ctx context.Context, q querier, all []Migration) (done []Migration, err error) {
	if _, err := q.ExecContext(ctx, createTable); err != nil {
		return nil, err
	}
	applied, err := appliedVersions(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, m := range all {
		if _, ok := applied[m.Version]; ok {
			continue
		}
		for _, stmt := range m.Statements() {
			if _, err := q.ExecContext(ctx, stmt); err != nil {
				return done, fmt.Errorf("migrations: %04d_%s: %w", m.Version, m.Name, err)
			}
		}
		if err := record(ctx, q, m); err != nil {
			return done, err
		}
		done = append(done, m)
	}
	return done, nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func record(ctx context.Context, q querier, m Migration) error {
	_, err := q.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		m.Version, m.Name, time.Now().UTC().Truncate(time.Second))
	return err
}

func appliedVersions(ctx context.Context, q querier) (map[int]time.Time, error) {
	rows, err := q.QueryContext(ctx, "SELECT version, applied_at FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]time.Time{}
	for rows.Next() {
		var v int
		var at time.Time
		if err := rows.Scan(&v, &at); err != nil {
			return nil, err
		}
		out[v] = at
	}
	return out, rows.Err()
}

// List returns every known migration with its state. A database that was
// never migrated has every migration pending.
func List(ctx context.Context, db *sql.DB, dialect string) ([]Status, error) {
	all, err := Load(dialect)
	if err != nil {
		return nil, err
	}
	applied, err := appliedVersions(ctx, db)
	if err != nil {
		if !missingTable(err) {
			return nil, err
		}
		applied = map[int]time.Time{}
	}
	out := make([]Status, len(all))
	for i, m := range all {
		out[i] = Status{Migration: m, AppliedAt: applied[m.Version]}
	}
	return out, nil
}

// Current reports the highest applied version, or 0 for a fresh database.
func Current(ctx context.Context, db *sql.DB) (int, error) {
	var v sql.NullInt64
	err := db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v)
	if err != nil {
		if missingTable(err) {
			return 0, nil
		}
		return 0, err
	}
	return int(v.Int64), nil
}

func missingTable(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "no such table") || strings.Contains(msg, "doesn't exist")
}
