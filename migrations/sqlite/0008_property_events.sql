-- A property's history: one row per write to the property or its rooms,
-- written in the write's transaction. changes is a JSON array of
-- {member, old, new}. Deleting a property deletes its history (the owner's
-- right to erase); room_id outlives its room (no foreign key).
CREATE TABLE property_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    property_id INTEGER NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL CHECK (version >= 1),
    actor_id    INTEGER NOT NULL REFERENCES users (id),
    at          DATETIME NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('created', 'imported', 'updated', 'room_added', 'room_updated',
                    'room_removed')),
    room_id     INTEGER NULL,
    changes     TEXT NOT NULL
);

CREATE INDEX property_events_property_idx ON property_events (property_id, id);
