-- The indexes a bulk load dropped, kept until they are built again. Only
-- SQLite's bulk loads drop indexes (store.Bulk); the table is here so that
-- both dialects have the same migrations.
CREATE TABLE IF NOT EXISTS bulk_indexes (
    name VARCHAR(64) NOT NULL,
    `sql` TEXT NOT NULL,
    PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
