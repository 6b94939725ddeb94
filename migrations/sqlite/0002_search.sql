-- Word search on a property's name and description (the list's q filter).
-- A contentless FTS5 index kept by triggers: it stores the words, not the
-- text. unicode61 folds case and removes accents; '_' is kept inside words,
-- as MySQL's FULLTEXT parser does, so both dialects cut the same words.
CREATE VIRTUAL TABLE property_search USING fts5(
    text, content = '', contentless_delete = 1, tokenize = "unicode61 remove_diacritics 2 tokenchars '_'"
);

INSERT INTO property_search (rowid, text) SELECT id, name || ' ' || description FROM properties;

CREATE TRIGGER properties_search_insert AFTER INSERT ON properties BEGIN INSERT INTO property_search (rowid, text) VALUES (new.id, new.name || ' ' || new.description); END;

CREATE TRIGGER properties_search_update AFTER UPDATE OF name, description ON properties BEGIN DELETE FROM property_search WHERE rowid = old.id; INSERT INTO property_search (rowid, text) VALUES (new.id, new.name || ' ' || new.description); END;

CREATE TRIGGER properties_search_delete AFTER DELETE ON properties BEGIN DELETE FROM property_search WHERE rowid = old.id; END;
