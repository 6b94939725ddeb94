package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jmoiron/sqlx"
)

// Hot reads run as prepared statements: parsing and planning a statement
// was a fifth of a list request's CPU on SQLite (sqlite3_prepare), and
// MySQL parses a prepared statement once per connection too. Each query
// text is prepared once per pool; database/sql then prepares it on each
// connection the first time that connection runs it, and keeps it. The
// texts come from a finite set (the list's filters make eight), so the
// cache is bounded.

type stmtKey struct {
	db    *sqlx.DB
	query string
}

// stmt returns query prepared on db.
func (s *Store) stmt(ctx context.Context, db *sqlx.DB, query string) (*sqlx.Stmt, error) {
	key := stmtKey{db, query}
	if st, ok := s.stmts.Load(key); ok {
		return st.(*sqlx.Stmt), nil
	}
	st, err := db.PreparexContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.stmts.LoadOrStore(key, st); loaded {
		st.Close()
		return prev.(*sqlx.Stmt), nil
	}
	return st, nil
}

// closeStmts closes every prepared statement.
func (s *Store) closeStmts() error {
	var err error
	s.stmts.Range(func(k, v any) bool {
		err = errors.Join(err, v.(*sqlx.Stmt).Close())
		s.stmts.Delete(k)
		return true
	})
	return err
}

// prepared is a queryer over a pool that runs every query as a cached
// prepared statement.
type prepared struct {
	s  *Store
	db *sqlx.DB
}

func (p prepared) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := p.s.stmt(ctx, p.db, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (p prepared) QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	st, err := p.s.stmt(ctx, p.db, query)
	if err != nil {
		return nil, err
	}
	return st.QueryxContext(ctx, args...)
}

func (p prepared) QueryRowxContext(ctx context.Context, query string, args ...any) *sqlx.Row {
	st, err := p.s.stmt(ctx, p.db, query)
	if err != nil {
		return p.db.QueryRowxContext(ctx, query, args...) // unprepared: its error, if any, comes from Scan
	}
	return st.QueryRowxContext(ctx, args...)
}
