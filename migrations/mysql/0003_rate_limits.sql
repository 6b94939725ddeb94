-- Rate-limit buckets shared by every server on this database (log-in
-- throttling, sign-ups, writes): one instant per bucket, when it is full
-- again. Keys are SHA-256 digests: no email or address is kept in clear.
-- A row whose instant is past says nothing a missing row does not: the
-- servers delete such rows now and then.
CREATE TABLE IF NOT EXISTS rate_limits (
    bucket  CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    full_at BIGINT NOT NULL,
    PRIMARY KEY (bucket),
    INDEX rate_limits_full_at_idx (full_at)
) ENGINE = InnoDB;
