package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/pkg/realty"
)

// keyed is a create made with the context's idempotency key (realty's
// IdempotencyKey): the key, and the hash of the request it is for. The
// zero value, for a create without a key, changes nothing.
type keyed struct {
	st      *store.Store
	user    int64
	key     string
	request string
	at      time.Time
}

// keyFor returns the key of a create by user, op and its input (normalized
// and valid: the same request sent again hashes the same).
func (c *Core) keyFor(ctx context.Context, user int64, op string, input any) (keyed, error) {
	key := realty.IdempotencyKey(ctx)
	if key == "" {
		return keyed{}, nil
	}
	if err := realty.ValidateIdempotencyKey(key); err != nil {
		return keyed{}, err
	}
	b, err := json.Marshal(input)
	if err != nil {
		return keyed{}, err
	}
	h := sha256.New()
	h.Write([]byte(op))
	h.Write([]byte{0})
	h.Write(b)
	return keyed{st: c.st, user: user, key: key, request: hex.EncodeToString(h.Sum(nil)), at: c.clock()}, nil
}

// replay returns the result of the key's first request, if the user made
// it already (found), decoded into out; the key made for another request
// is an error. A key older than realty.IdempotencyKeyTTL is deleted, and
// not found.
func (k keyed) replay(ctx context.Context, out any) (found bool, err error) {
	if k.key == "" {
		return false, nil
	}
	row, err := k.st.Key(ctx, k.user, k.key)
	if errors.Is(err, realty.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if row.CreatedAt.Before(k.at.Add(-realty.IdempotencyKeyTTL)) {
		return false, k.st.ForgetKey(ctx, k.user, k.key, k.at.Add(-realty.IdempotencyKeyTTL))
	}
	if row.Request != k.request {
		return true, realty.IdempotencyKeyReused()
	}
	if err := json.Unmarshal(row.Result, out); err != nil {
		return true, fmt.Errorf("the result kept for idempotency key %q: %w", k.key, err)
	}
	return true, nil
}

// keep stores the key with result in the write's transaction, as its last
// statement: the key stays if and only if the write does.
func (k keyed) keep(ctx context.Context, tx *store.Tx, result any) error {
	if k.key == "" {
		return nil
	}
	b, err := json.Marshal(result)
	if err != nil {
		return err
	}
	return tx.KeepKey(ctx, store.KeyRow{UserID: k.user, Key: k.key, Request: k.request, Result: b, CreatedAt: k.at})
}

// keySweep is how often a process deletes the keys past their day: at
// most once this long, after a keyed write.
const keySweep = time.Minute

// sweepKeys deletes the keys of anyone past their day, if no sweep of this
// process did for keySweep: the results they hold (a copy of what was
// created) go soon after their day, also when their users write no more.
func (c *Core) sweepKeys(ctx context.Context) {
	now := c.clock()
	last := c.keysSwept.Load()
	if now.UnixNano()-last < int64(keySweep) || !c.keysSwept.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	for range 10 { // 10 000 keys at most a sweep
		if more, _ := c.st.ForgetOldKeys(ctx, now.Add(-realty.IdempotencyKeyTTL)); !more {
			return // done, or failed: the next sweep tries again
		}
	}
}

// once runs write, a create made with k, unless the key's request was made
// already: then, and when a concurrent request with the key committed first
// (write's error is store.ErrKeyTaken), out is that request's result. A
// keyed write then sweeps the keys past their day, now and then.
func once[T any](ctx context.Context, c *Core, k keyed, out *T, write func() error) error {
	if found, err := k.replay(ctx, out); found || err != nil {
		return err
	}
	err := write()
	if errors.Is(err, store.ErrKeyTaken) {
		var first T
		found, err := k.replay(ctx, &first)
		if err == nil && !found {
			err = fmt.Errorf("idempotency key %q was taken, then forgotten: %w", k.key, realty.ErrConflict)
		}
		if err == nil {
			*out = first
		}
		return err
	}
	if err == nil && k.key != "" {
		c.sweepKeys(ctx)
	}
	return err
}
