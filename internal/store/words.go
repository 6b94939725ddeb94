package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/realtyhq/realty/migrations"
	"github.com/realtyhq/realty/pkg/realty"
)

// The word search's index (migration 0007) is property_words: a row per
// property and searchable word of its name and description, cut by
// realty.SearchWords and cut again at realty.MaxSearchWord characters (the
// longest word a search may hold, so that a searched word starts a stored
// word exactly when it starts the word of the text). The store writes them
// with the property, in the same transaction.

// indexedWords are the rows of property_words of a name and description.
func indexedWords(name, description string) []string {
	words := realty.SearchWords(name + " " + description)
	out := words[:0]
	for _, w := range words {
		w = cutWord(w)
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// cutWord keeps a word's first realty.MaxSearchWord characters.
func cutWord(w string) string {
	n := 0
	for i := range w {
		if n == realty.MaxSearchWord {
			return w[:i]
		}
		n++
	}
	return w
}

// wordRange is the range of stored words that start with a searched word:
// word >= w AND word < w+maxRune (binary order of UTF-8 in both dialects).
func wordRange(w string) (from, to string) {
	w = cutWord(w)
	return w, w + maxRune
}

// insertWords writes the words of properties in multi-row INSERTs.
func (tx *Tx) insertWords(ctx context.Context, props []propertyText) error {
	var args []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		_, err := tx.execMany(ctx, insertIgnore(tx.s.dialect)+" INTO property_words (property_id, word) VALUES "+
			placeholders(n, 2), n, args)
		args, n = args[:0], 0
		return mapErr(err)
	}
	for _, p := range props {
		for _, w := range indexedWords(p.Name, p.Description) {
			args = append(args, p.ID, w)
			if n++; n == bulkRows {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// propertyText is what the word index is made of.
type propertyText struct {
	ID          int64  `db:"id"`
	Name        string `db:"name"`
	Description string `db:"description"`
}

// reindexWords replaces a property's words after its name or description changed.
func (tx *Tx) reindexWords(ctx context.Context, id int64) error {
	var p propertyText
	if err := sqlx.GetContext(ctx, tx.tx, &p, "SELECT id, name, description FROM properties WHERE id = ?", id); err != nil {
		return mapErr(err)
	}
	if _, err := tx.tx.ExecContext(ctx, "DELETE FROM property_words WHERE property_id = ?", id); err != nil {
		return mapErr(err)
	}
	return tx.insertWords(ctx, []propertyText{p})
}

// backfillBatch is how many properties a backfill transaction indexes.
const backfillBatch = 1000

// backfillWords writes the words of the properties that existed before
// migration 0007, a batch per transaction from search_backfill's position,
// and deletes the position with the last batch. Servers starting together
// take turns on the position's row; a server that stops midway leaves the
// rest to the next start. It returns how many properties it indexed.
func (s *Store) backfillWords(ctx context.Context) (int, error) {
	total := 0
	for {
		done, n := false, 0
		err := s.InTx(ctx, func(tx *Tx) error {
			done, n = false, 0 // a retried attempt starts over
			var next int64
			err := tx.tx.QueryRowxContext(ctx, "SELECT next_id FROM search_backfill WHERE name = 'property_words'"+
				s.forUpdate).Scan(&next)
			if errors.Is(err, sql.ErrNoRows) {
				done = true
				return nil
			}
			if err != nil {
				return mapErr(err)
			}
			var batch []propertyText
			if err := sqlx.SelectContext(ctx, tx.tx, &batch, "SELECT id, name, description FROM properties WHERE id > ? "+
				"ORDER BY id LIMIT ?"+s.forUpdate, next, backfillBatch); err != nil {
				return mapErr(err)
			}
			if err := tx.insertWords(ctx, batch); err != nil {
				return err
			}
			n = len(batch)
			if len(batch) < backfillBatch {
				done = true
				_, err = tx.tx.ExecContext(ctx, "DELETE FROM search_backfill WHERE name = 'property_words'")
				return mapErr(err)
			}
			_, err = tx.tx.ExecContext(ctx, "UPDATE search_backfill SET next_id = ? WHERE name = 'property_words'",
				batch[len(batch)-1].ID)
			return mapErr(err)
		})
		if err != nil {
			return total, err
		}
		if total += n; done {
			return total, nil
		}
	}
}

// rareMatches is the number of matching rows under which a word or a
// feature drives a list page: its matches are read by their index, joined
// to the properties, filtered and sorted (a few thousand rows at most).
// From it on, the page walks the order's index instead and checks each
// candidate by its key, stopping with the page: a word in one property of
// rareMatches/N is met every N/rareMatches candidates.
const rareMatches = 5000

// matchCounts remembers how many rows (up to the store's rare limit) match a
// word or a feature, for a minute, so that choosing a page's plan costs no
// query on most pages. A stale count only makes a page slower, never wrong.
type matchCounts struct {
	mu sync.Mutex
	m  map[string]matchCount
}

type matchCount struct {
	n  int
	at time.Time
}

const (
	matchCountTTL  = time.Minute
	matchCountsMax = 4096
)

func (c *matchCounts) get(key string, now time.Time) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	return e.n, ok && now.Sub(e.at) < matchCountTTL
}

func (c *matchCounts) put(key string, n int, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= matchCountsMax {
		c.m = map[string]matchCount{}
	}
	c.m[key] = matchCount{n, now}
}

// membership is a filter that a property passes by having some rows
// elsewhere: a searched word, a room feature. It is checked on each
// candidate (check), or, when few rows match, drives the page (drive lists
// the matching property ids).
type membership struct {
	check, drive, count string
	args                []any
}

// memberships are the word and feature filters of f.
func memberships(f ListFilter) []membership {
	var out []membership
	for _, w := range f.Words {
		from, to := wordRange(w)
		out = append(out, membership{
			// A scalar subquery rather than EXISTS: MySQL turns EXISTS into
			// a semi-join and may read every match first.
			check: `(SELECT 1 FROM property_words w WHERE w.property_id = p.id AND w.word >= ? AND w.word < ? LIMIT 1) IS NOT NULL`,
			drive: `SELECT DISTINCT property_id FROM property_words WHERE word >= ? AND word < ?`,
			count: `SELECT COUNT(*) FROM (SELECT 1 FROM property_words WHERE word >= ? AND word < ? LIMIT ?) t`,
			args:  []any{from, to},
		})
	}
	for _, ft := range f.Features {
		out = append(out, membership{
			check: `(SELECT 1 FROM rooms r JOIN room_features f ON f.room_id = r.id
				WHERE r.property_id = p.id AND f.feature = ? LIMIT 1) IS NOT NULL`,
			drive: `SELECT DISTINCT r.property_id FROM room_features f JOIN rooms r ON r.id = f.room_id WHERE f.feature = ?`,
			count: `SELECT COUNT(*) FROM (SELECT 1 FROM room_features WHERE feature = ? LIMIT ?) t`,
			args:  []any{ft},
		})
	}
	return out
}

// driver returns the index in ms of the membership that drives the page (the
// one with the fewest matches, if under the rare limit), or -1.
func (s *Store) driver(ctx context.Context, ms []membership) (int, error) {
	best, bestN := -1, s.rare
	now := time.Now()
	for i, m := range ms {
		key := fmt.Sprint(m.count, m.args)
		n, ok := s.counts.get(key, now)
		if !ok {
			if err := s.read.QueryRowxContext(ctx, m.count, append(m.args, s.rare)...).Scan(&n); err != nil {
				return 0, mapErr(err)
			}
			s.counts.put(key, n, now)
		}
		if n < bestN {
			best, bestN = i, n
		}
	}
	return best, nil
}

// insertIgnore is the dialect's INSERT that skips rows already there.
func insertIgnore(dialect string) string {
	if dialect == migrations.MySQL {
		return "INSERT IGNORE"
	}
	return "INSERT OR IGNORE"
}

// joinChecks adds the memberships other than the driver to where.
func joinChecks(where []string, args []any, ms []membership, driver int) ([]string, []any) {
	for i, m := range ms {
		if i != driver {
			where, args = append(where, m.check), append(args, m.args...)
		}
	}
	return where, args
}
