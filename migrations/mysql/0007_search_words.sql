-- The word search's own index, in place of 0002's FULLTEXT index: one row
-- per property and searchable word of its name and description, cut and
-- folded in Go (realty.SearchWords), the same on both dialects. Read by
-- property (is this candidate a match?) or by word (the few properties of a
-- rare word), a prefix being a range of words: InnoDB's FULLTEXT returned
-- every match of a common word before any other filter or order applied
-- (1.8 s for a word in one property of five at a million). Written by the
-- store with the property; the words of existing properties are written by
-- the store after the migration, from search_backfill's position (no SQL
-- can cut words). Words are cut at 84 characters (realty.MaxSearchWord), in the index and in
-- queries alike. Each statement can run again; the DROP comes last.
CREATE TABLE IF NOT EXISTS property_words (
    property_id BIGINT NOT NULL,
    word VARCHAR(84) NOT NULL,
    PRIMARY KEY (property_id, word),
    INDEX property_words_word_idx (word, property_id),
    CONSTRAINT property_words_property_fk FOREIGN KEY (property_id) REFERENCES properties (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS search_backfill (
    name VARCHAR(32) NOT NULL,
    next_id BIGINT NOT NULL,
    PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT IGNORE INTO search_backfill (name, next_id) VALUES ('property_words', 0);

ALTER TABLE properties DROP INDEX properties_search_idx;
