-- The whole schema of realty 1: users and their tokens, properties, rooms and
-- room features. Enums and ranges are CHECKed here as well as in Go.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    first_name    TEXT NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    last_name     TEXT NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    birth_date    DATE NULL CHECK (birth_date IS NULL OR birth_date >= '1900-01-01'),
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
);

CREATE TABLE auth_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    last_used_at DATETIME NULL
);
CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id);

CREATE TABLE properties (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id    INTEGER NOT NULL REFERENCES users (id),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    type        TEXT NOT NULL CHECK (type IN ('apartment', 'house', 'studio', 'loft', 'duplex', 'villa',
                    'townhouse', 'land', 'office', 'retail', 'warehouse', 'parking', 'other')),
    city        TEXT NOT NULL CHECK (length(city) BETWEEN 1 AND 100),
    city_key    TEXT NOT NULL CHECK (length(city_key) BETWEEN 1 AND 100),
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
);
CREATE INDEX properties_city_idx ON properties (city_key, id);
CREATE INDEX properties_owner_idx ON properties (owner_id, id);
CREATE INDEX properties_type_idx ON properties (type, id);

CREATE TABLE rooms (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    property_id INTEGER NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 1),
    type        TEXT NOT NULL CHECK (type IN ('living_room', 'dining_room', 'kitchen', 'bedroom', 'bathroom',
                    'toilet', 'office', 'laundry', 'storage', 'cellar', 'garage', 'attic', 'hallway',
                    'balcony', 'terrace', 'other')),
    name        TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 80),
    area        DECIMAL(7, 2) NULL CHECK (area IS NULL OR (area > 0 AND area <= 10000)),
    level       INTEGER NULL CHECK (level IS NULL OR level BETWEEN -5 AND 200),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    UNIQUE (property_id, position)
);

CREATE TABLE room_features (
    room_id INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    feature TEXT NOT NULL CHECK (length(feature) BETWEEN 1 AND 40),
    PRIMARY KEY (room_id, feature)
);
