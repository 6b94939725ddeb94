-- Word search on a property's name and description (the list's q filter):
-- an InnoDB FULLTEXT index. The two columns compare with utf8mb4_unicode_ci
-- (in MySQL 8 and MariaDB alike) so that the index folds case and accents as
-- SQLite's unicode61 tokenizer does; nothing compares them byte for byte.
-- InnoDB leaves its default stopwords ("the", "with"...) out of the index;
-- realty.SearchWords never looks for them, on either dialect. (Turning them
-- off takes a session setting, which Galera's replicated DDL would not carry
-- to the other nodes: their indexes would differ.)
-- The ALTER is atomic (MySQL 8 DDL): it is applied whole or not at all.
ALTER TABLE properties
    MODIFY name VARCHAR(120) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
    MODIFY description TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
    ADD FULLTEXT INDEX properties_search_idx (name, description);
