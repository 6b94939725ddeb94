-- The word search's own index, in place of 0002's FTS5 table: one row per
-- property and searchable word of its name and description, cut and folded
-- in Go (realty.SearchWords), the same on both dialects. Read by property
-- (is this candidate a match?) or by word (the few properties of a rare
-- word), a prefix being a range of words. Written by the store with the
-- property; the words of existing properties are written by the store after
-- the migration, from search_backfill's position (no SQL can cut words).
DROP TRIGGER properties_search_insert;
DROP TRIGGER properties_search_update;
DROP TRIGGER properties_search_delete;
DROP TABLE property_search;

CREATE TABLE property_words (
    property_id INTEGER NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
    word TEXT NOT NULL,
    PRIMARY KEY (property_id, word)
) WITHOUT ROWID;

CREATE INDEX property_words_word_idx ON property_words (word, property_id);

CREATE TABLE search_backfill (
    name TEXT NOT NULL PRIMARY KEY,
    next_id INTEGER NOT NULL
);

INSERT INTO search_backfill (name, next_id) VALUES ('property_words', 0);
