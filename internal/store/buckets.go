package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/realtyhq/realty/migrations"
)

// UpdateBuckets implements ratelimit.Buckets on the rate_limits table, in
// one transaction whose rows are locked: on a Galera cluster two nodes
// updating the same bucket conflict at COMMIT, and the loser runs again.
func (s *Store) UpdateBuckets(ctx context.Context, keys []string, fn func(full []time.Time) ([]time.Time, bool)) error {
	digests := make([]any, len(keys))
	for i, k := range keys {
		digests[i] = bucketDigest(k)
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(keys)), ", ")
	err := s.InTx(ctx, func(tx *Tx) error {
		rows, err := tx.tx.QueryContext(ctx, "SELECT bucket, full_at FROM rate_limits WHERE bucket IN ("+marks+")"+
			s.forUpdate, digests...)
		if err != nil {
			return mapErr(err)
		}
		stored := map[string]int64{}
		for rows.Next() {
			var b string
			var at int64
			if err := rows.Scan(&b, &at); err != nil {
				rows.Close()
				return mapErr(err)
			}
			stored[b] = at
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapErr(err)
		}
		full := make([]time.Time, len(keys))
		for i, d := range digests {
			if at, ok := stored[d.(string)]; ok {
				full[i] = time.UnixMicro(at)
			}
		}
		next, ok := fn(full)
		if !ok {
			return nil
		}
		args := make([]any, 0, 2*len(keys))
		for i, d := range digests {
			args = append(args, d, next[i].UnixMicro())
		}
		values := strings.TrimSuffix(strings.Repeat("(?, ?), ", len(keys)), ", ")
		upsert := " ON CONFLICT (bucket) DO UPDATE SET full_at = excluded.full_at"
		if s.dialect == migrations.MySQL {
			upsert = " ON DUPLICATE KEY UPDATE full_at = VALUES(full_at)"
		}
		_, err = tx.tx.ExecContext(ctx, "INSERT INTO rate_limits (bucket, full_at) VALUES "+values+upsert, args...)
		return mapErr(err)
	})
	if err == nil && rand.N(200) == 0 {
		s.forgetFullBuckets(ctx)
	}
	return err
}

func bucketDigest(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// TakeBucket implements ratelimit.OneBucket: on MySQL one statement, in
// which the server decides and stores, and whose OK packet returns the
// bucket's instant (LAST_INSERT_ID(expr)) and whether it changed (the
// affected rows: 0 when refused). Times are Unix microseconds. On Galera a
// conflict with another node's write to the bucket is retried by the node
// (wsrep_retry_autocommit), then here (1213); 3 nodes taking 3 600 times
// from 4 buckets as fast as they can refused nothing wrongly.
func (s *Store) TakeBucket(ctx context.Context, key string, now time.Time, cost int, period, capacity time.Duration) (time.Time, bool, error) {
	if s.dialect == migrations.SQLite { // one server per file: the same decision, in a transaction
		var full time.Time
		var took bool
		err := s.UpdateBuckets(ctx, []string{key}, func(f []time.Time) ([]time.Time, bool) {
			from := f[0]
			if from.Before(now) {
				from = now
			}
			next := from.Add(time.Duration(cost) * period)
			full, took = f[0], next.Sub(now) <= capacity
			if took {
				full = next
			}
			return []time.Time{next}, took
		})
		return full, took, err
	}
	n, c := now.UnixMicro(), int64(cost)*period.Microseconds()
	var res sql.Result
	err := s.retry(ctx, func() (err error) {
		res, err = s.write.ExecContext(ctx, `INSERT INTO rate_limits (bucket, full_at) VALUES (?, LAST_INSERT_ID(? + ?))
			ON DUPLICATE KEY UPDATE full_at = LAST_INSERT_ID(
				IF(GREATEST(full_at, ?) + ? - ? <= ?, GREATEST(full_at, ?) + ?, full_at))`,
			bucketDigest(key), n, c, n, c, n, capacity.Microseconds(), n, c)
		return err
	})
	if err != nil {
		return time.Time{}, false, mapErr(err)
	}
	affected, err := res.RowsAffected()
	if err != nil {
		return time.Time{}, false, err
	}
	at, err := res.LastInsertId()
	if err != nil {
		return time.Time{}, false, err
	}
	if rand.N(200) == 0 {
		s.forgetFullBuckets(ctx)
	}
	return time.UnixMicro(at), affected > 0, nil
}

// forgetFullBuckets deletes, a slice at a time, the buckets that are full
// again: forgetting them changes no decision, and keeps the table as small
// as the traffic of the last minutes. Called now and then by UpdateBuckets.
func (s *Store) forgetFullBuckets(ctx context.Context) {
	q := "DELETE FROM rate_limits WHERE full_at < ? LIMIT 1000"
	if s.dialect == migrations.SQLite {
		q = "DELETE FROM rate_limits WHERE bucket IN (SELECT bucket FROM rate_limits WHERE full_at < ? LIMIT 1000)"
	}
	_, _ = s.write.ExecContext(ctx, q, time.Now().UnixMicro())
}
