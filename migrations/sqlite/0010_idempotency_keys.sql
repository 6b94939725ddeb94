-- Idempotency keys (the Idempotency-Key header of a create): a write sent
-- with one stores its key here in its own transaction, with a hash of the
-- request and the write's result, so that the same request sent again (a
-- retry after a lost answer) gets that result instead of a second write.
-- request is the SHA-256 (hex) of the operation and its normalized input;
-- result is the JSON the write returned. Keys are a user's own; a day
-- after their write they answer no more, and are deleted soon after (by
-- created_at).
CREATE TABLE idempotency_keys (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idem_key   TEXT NOT NULL,
    request    TEXT NOT NULL,
    result     TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
