package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/realtyhq/realty/migrations"
)

// SetBeforeCommit makes every transaction run fn just before COMMIT: tests
// inject the errors a busy database returns there.
func (s *Store) SetBeforeCommit(fn func(*Tx) error) { s.beforeCommit = fn }

// ExecWriter runs a statement on the writer connection (SQLite's is one
// connection, so per-connection pragmas stay in force).
func (s *Store) ExecWriter(query string) error {
	_, err := s.write.Exec(query)
	return err
}

// SetRareMatches sets the number of matches under which a word or feature
// drives a list page (0: never; a large number: always).
func (s *Store) SetRareMatches(n int) {
	s.rare = n
	s.counts = matchCounts{}
}

// SetBulkMinRows sets the smallest load for which Bulk drops indexes.
func (s *Store) SetBulkMinRows(n int) { s.bulkMin = n }

// DropIndexes drops the bulk tables' indexes as Bulk does, as a load that
// never ends leaves them.
func (s *Store) DropIndexes() error { return s.dropIndexes(context.Background()) }

// ExplainList returns the query plan of the first page's ids of a list in
// f.After.Sort's order: SQLite's EXPLAIN QUERY PLAN details, or MySQL's
// EXPLAIN rows as "table type key extra" lines.
func (s *Store) ExplainList(f ListFilter) (string, error) {
	keyset, args, order := "p.id > ?", []any{0}, "p.id"
	if column, desc, _ := sortColumn(f.After.Sort); column != "" {
		dir := ""
		if desc {
			dir = " DESC"
		}
		keyset, args, order = column+" IS NOT NULL", nil, column+dir+", p.id"+dir
	}
	plan, err := s.plan(context.Background(), f)
	if err != nil {
		return "", err
	}
	q, qargs := s.listIDs(f, plan, keyset, args, order)
	qargs = append(qargs, 20)
	explain := "EXPLAIN QUERY PLAN "
	if s.dialect == migrations.MySQL {
		explain = "EXPLAIN "
	}
	rows, err := s.read.Queryx(explain+q, qargs...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		m := map[string]any{}
		if err := rows.MapScan(m); err != nil {
			return "", err
		}
		if s.dialect == migrations.SQLite {
			fmt.Fprintf(&b, "%s\n", m["detail"])
			continue
		}
		str := func(k string) string {
			if v, ok := m[k].([]byte); ok {
				return string(v)
			}
			return fmt.Sprint(m[k])
		}
		fmt.Fprintf(&b, "%s %s %s %s\n", str("table"), str("type"), str("key"), str("Extra"))
	}
	return b.String(), rows.Err()
}

// Read is the pool of reads, for tests that look at the schema.
func (s *Store) Read() *sqlx.DB { return s.read }
