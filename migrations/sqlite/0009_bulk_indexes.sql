-- The indexes a bulk load dropped (store.Bulk), kept until they are built
-- again: by the load at its end, or by the next start if it never ended.
CREATE TABLE bulk_indexes (
    name TEXT NOT NULL PRIMARY KEY,
    sql  TEXT NOT NULL
);
