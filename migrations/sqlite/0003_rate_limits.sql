-- Rate-limit buckets shared by every server on this database (log-in
-- throttling, sign-ups, writes): one instant per bucket, when it is full
-- again (Unix microseconds). Keys are SHA-256 digests: no email or address
-- is kept in clear. An SQLite database has one server, which keeps its
-- buckets in memory; the table keeps both schemas alike.
CREATE TABLE rate_limits (
    bucket  TEXT NOT NULL PRIMARY KEY CHECK (length(bucket) = 64),
    full_at INTEGER NOT NULL
);

CREATE INDEX rate_limits_full_at_idx ON rate_limits (full_at);
