-- A property's history: one row per write to the property or its rooms,
-- written in the write's transaction. changes is a JSON array of
-- {member, old, new} (stored as text: it is only ever read whole).
-- Deleting a property deletes its history (the owner's right to erase);
-- room_id outlives its room (no foreign key).
CREATE TABLE IF NOT EXISTS property_events (
    id          BIGINT NOT NULL AUTO_INCREMENT,
    property_id BIGINT NOT NULL,
    version     BIGINT NOT NULL,
    actor_id    BIGINT NOT NULL,
    at          DATETIME(6) NOT NULL,
    kind        VARCHAR(20) NOT NULL,
    room_id     BIGINT NULL,
    changes     MEDIUMTEXT NOT NULL,
    PRIMARY KEY (id),
    INDEX property_events_property_idx (property_id, id),
    CONSTRAINT property_events_property_fk FOREIGN KEY (property_id) REFERENCES properties (id) ON DELETE CASCADE,
    CONSTRAINT property_events_actor_fk FOREIGN KEY (actor_id) REFERENCES users (id),
    CONSTRAINT property_events_version_check CHECK (version >= 1),
    CONSTRAINT property_events_kind_check CHECK (kind IN ('created', 'imported', 'updated', 'room_added',
        'room_updated', 'room_removed'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
