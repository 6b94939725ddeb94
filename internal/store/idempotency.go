package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// KeyRow is a user's idempotency key (migration 0010): the hash of the
// request made with it, and the result of its write, as JSON.
type KeyRow struct {
	UserID    int64     `db:"user_id"`
	Key       string    `db:"idem_key"`
	Request   string    `db:"request"`
	Result    []byte    `db:"result"`
	CreatedAt time.Time `db:"created_at"`
}

// ErrKeyTaken is KeepKey's answer when the user has the key already: the
// write's transaction must end, and the key's row be read.
var ErrKeyTaken = errors.New("the idempotency key was used already")

// KeepKey stores a key with the result of the write that made it, in the
// write's transaction: the key is kept if and only if the write is. A key
// the user has already (a concurrent request with it committed first) is
// ErrKeyTaken.
func (tx *Tx) KeepKey(ctx context.Context, k KeyRow) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, idem_key, request, result, created_at)
		VALUES (?, ?, ?, ?, ?)`, k.UserID, k.Key, k.Request, k.Result, k.CreatedAt.Truncate(time.Second))
	if isUnique(err) {
		return ErrKeyTaken
	}
	return mapErr(err)
}

// Key returns a user's key, or realty.ErrNotFound.
func (s *Store) Key(ctx context.Context, userID int64, key string) (KeyRow, error) {
	var k KeyRow
	err := sqlx.GetContext(ctx, s.read, &k, `SELECT user_id, idem_key, request, result, created_at
		FROM idempotency_keys WHERE user_id = ? AND idem_key = ?`, userID, key)
	return k, mapErr(err)
}

// ForgetKey deletes a user's key if it was made before a time.
func (s *Store) ForgetKey(ctx context.Context, userID int64, key string, before time.Time) error {
	_, err := s.exec(ctx, `DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ? AND created_at < ?`,
		userID, key, before.Truncate(time.Second))
	return mapErr(err)
}

// forgetBatch is how many keys ForgetOldKeys deletes at most at once.
const forgetBatch = 1000

// ForgetOldKeys deletes up to 1000 keys of anyone made before a time, and
// reports whether there may be more. It reads them first (created_at's
// index), then deletes them by primary key, so that no range of an index
// is locked (as dropExpiredTokens does): new keys go on being written
// meanwhile.
func (s *Store) ForgetOldKeys(ctx context.Context, before time.Time) (more bool, err error) {
	var keys []struct {
		UserID int64  `db:"user_id"`
		Key    string `db:"idem_key"`
	}
	if err := sqlx.SelectContext(ctx, s.read, &keys, `SELECT user_id, idem_key FROM idempotency_keys
		WHERE created_at < ? ORDER BY created_at LIMIT ?`, before.Truncate(time.Second), forgetBatch); err != nil || len(keys) == 0 {
		return false, mapErr(err)
	}
	q := "DELETE FROM idempotency_keys WHERE (user_id, idem_key) IN (" +
		strings.TrimSuffix(strings.Repeat("(?, ?), ", len(keys)), ", ") + ")"
	args := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		args = append(args, k.UserID, k.Key)
	}
	_, err = s.exec(ctx, q, args...)
	return len(keys) == forgetBatch && err == nil, mapErr(err)
}
