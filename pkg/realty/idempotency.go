package realty

import (
	"context"
	"time"
)

// An idempotency key makes a create happen once, however many times it is
// sent: CreateProperty, AddRoom and ImportProperties made with one (a
// context from WithIdempotencyKey; through the API, the Idempotency-Key
// header) write once; the same call again with the same key, by the same
// user, within IdempotencyKeyTTL, returns the first call's result and
// writes nothing. So a client that lost an answer (a connection cut, a
// server gone mid-request) can send the create again without making a
// second one. The same key with another input is refused.
const (
	// MaxIdempotencyKey is the longest key, in bytes.
	MaxIdempotencyKey = 255
	// IdempotencyKeyTTL is how long a key answers after its write; it is
	// deleted soon after.
	IdempotencyKeyTTL = 24 * time.Hour
	// IdempotencyKeyField names the key in a ValidationError.
	IdempotencyKeyField = "Idempotency-Key"
)

type idempotencyKeyCtx struct{}

// WithIdempotencyKey returns ctx with an idempotency key for the creates
// made with it.
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKeyCtx{}, key)
}

// IdempotencyKey returns the idempotency key of ctx, "" for none.
func IdempotencyKey(ctx context.Context) string {
	k, _ := ctx.Value(idempotencyKeyCtx{}).(string)
	return k
}

// ValidateIdempotencyKey checks a key: 1 to MaxIdempotencyKey visible
// ASCII characters (what an HTTP header carries unchanged).
func ValidateIdempotencyKey(key string) error {
	if key == "" || len(key) > MaxIdempotencyKey {
		return Invalid(IdempotencyKeyField, "must have 1 to %d characters", MaxIdempotencyKey)
	}
	for i := range len(key) {
		if key[i] < 0x21 || key[i] > 0x7e {
			return Invalid(IdempotencyKeyField, "must be visible ASCII characters, without spaces")
		}
	}
	return nil
}

// IdempotencyKeyReused is the error of a create made with a key that the
// user made another request with.
func IdempotencyKeyReused() *ValidationError {
	return Invalid(IdempotencyKeyField, "was used for another request in the last day: use a new key for a new request")
}
