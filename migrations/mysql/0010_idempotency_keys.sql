-- Idempotency keys (the Idempotency-Key header of a create): a write sent
-- with one stores its key here in its own transaction, with a hash of the
-- request and the write's result, so that the same request sent again (a
-- retry after a lost answer) gets that result instead of a second write.
-- request is the SHA-256 (hex) of the operation and its normalized input;
-- result is the JSON the write returned. Keys are a user's own; a day
-- after their write they answer no more, and are deleted soon after (by
-- created_at).
CREATE TABLE IF NOT EXISTS idempotency_keys (
    user_id    BIGINT NOT NULL,
    idem_key   VARCHAR(255) NOT NULL,
    request    CHAR(64) NOT NULL,
    result     MEDIUMTEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (user_id, idem_key),
    INDEX idempotency_keys_created_idx (created_at),
    CONSTRAINT idempotency_keys_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
