-- The whole schema of realty 1: users and their tokens, properties, rooms and
-- room features. Enums and ranges are CHECKed here as well as in Go.
-- utf8mb4_bin compares text byte for byte, exactly as SQLite does: emails,
-- city keys and features are normalized in Go before they get here.
-- MySQL DDL is not transactional: every statement is re-runnable (IF NOT
-- EXISTS), so a migration cut short is finished by the next run.
CREATE TABLE IF NOT EXISTS users (
    id            BIGINT NOT NULL AUTO_INCREMENT,
    email         VARCHAR(254) NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    first_name    VARCHAR(100) NOT NULL,
    last_name     VARCHAR(100) NOT NULL,
    birth_date    DATE NULL,
    created_at    DATETIME(6) NOT NULL,
    updated_at    DATETIME(6) NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (id),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_email_check CHECK (CHAR_LENGTH(email) BETWEEN 3 AND 254),
    CONSTRAINT users_password_hash_check CHECK (password_hash LIKE '$argon2id$%'),
    CONSTRAINT users_first_name_check CHECK (CHAR_LENGTH(first_name) BETWEEN 1 AND 100),
    CONSTRAINT users_last_name_check CHECK (CHAR_LENGTH(last_name) BETWEEN 1 AND 100),
    CONSTRAINT users_birth_date_check CHECK (birth_date IS NULL OR birth_date >= '1900-01-01'),
    CONSTRAINT users_version_check CHECK (version >= 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS auth_tokens (
    id           BIGINT NOT NULL AUTO_INCREMENT,
    user_id      BIGINT NOT NULL,
    token_hash   CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at   DATETIME(6) NOT NULL,
    expires_at   DATETIME(6) NOT NULL,
    last_used_at DATETIME(6) NULL,
    PRIMARY KEY (id),
    CONSTRAINT auth_tokens_token_hash_key UNIQUE (token_hash),
    INDEX auth_tokens_user_idx (user_id),
    CONSTRAINT auth_tokens_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS properties (
    id          BIGINT NOT NULL AUTO_INCREMENT,
    owner_id    BIGINT NOT NULL,
    name        VARCHAR(120) NOT NULL,
    description TEXT NOT NULL,
    type        VARCHAR(20) NOT NULL,
    city        VARCHAR(100) NOT NULL,
    city_key    VARCHAR(100) NOT NULL,
    created_at  DATETIME(6) NOT NULL,
    updated_at  DATETIME(6) NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (id),
    INDEX properties_city_idx (city_key, id),
    INDEX properties_owner_idx (owner_id, id),
    INDEX properties_type_idx (type, id),
    CONSTRAINT properties_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id),
    CONSTRAINT properties_name_check CHECK (CHAR_LENGTH(name) BETWEEN 1 AND 120),
    CONSTRAINT properties_description_check CHECK (CHAR_LENGTH(description) <= 4000),
    CONSTRAINT properties_type_check CHECK (type IN ('apartment', 'house', 'studio', 'loft', 'duplex', 'villa',
        'townhouse', 'land', 'office', 'retail', 'warehouse', 'parking', 'other')),
    CONSTRAINT properties_city_check CHECK (CHAR_LENGTH(city) BETWEEN 1 AND 100),
    CONSTRAINT properties_city_key_check CHECK (CHAR_LENGTH(city_key) BETWEEN 1 AND 100),
    CONSTRAINT properties_version_check CHECK (version >= 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS rooms (
    id          BIGINT NOT NULL AUTO_INCREMENT,
    property_id BIGINT NOT NULL,
    position    INT NOT NULL,
    type        VARCHAR(20) NOT NULL,
    name        VARCHAR(80) NOT NULL DEFAULT '',
    area        DECIMAL(7, 2) NULL,
    level       INT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT rooms_position_key UNIQUE (property_id, position),
    CONSTRAINT rooms_property_fk FOREIGN KEY (property_id) REFERENCES properties (id) ON DELETE CASCADE,
    CONSTRAINT rooms_position_check CHECK (position >= 1),
    CONSTRAINT rooms_type_check CHECK (type IN ('living_room', 'dining_room', 'kitchen', 'bedroom', 'bathroom',
        'toilet', 'office', 'laundry', 'storage', 'cellar', 'garage', 'attic', 'hallway',
        'balcony', 'terrace', 'other')),
    CONSTRAINT rooms_area_check CHECK (area IS NULL OR (area > 0 AND area <= 10000)),
    CONSTRAINT rooms_level_check CHECK (level IS NULL OR level BETWEEN -5 AND 200),
    CONSTRAINT rooms_description_check CHECK (CHAR_LENGTH(description) <= 1000)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS room_features (
    room_id BIGINT NOT NULL,
    feature VARCHAR(40) NOT NULL,
    PRIMARY KEY (room_id, feature),
    CONSTRAINT room_features_room_fk FOREIGN KEY (room_id) REFERENCES rooms (id) ON DELETE CASCADE,
    CONSTRAINT room_features_feature_check CHECK (CHAR_LENGTH(feature) BETWEEN 1 AND 40)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
