-- Indexes for the list's filters and orders: each ends in id, so that a
-- page in id order, or in the order of its column, is a range scan; the
-- feature filter finds rooms by feature.
CREATE INDEX properties_status_idx ON properties (status, id);

CREATE INDEX properties_transaction_idx ON properties (transaction_type, id);

CREATE INDEX properties_price_idx ON properties (price, id);

CREATE INDEX properties_area_idx ON properties (total_area, id);

CREATE INDEX properties_rooms_idx ON properties (room_count, id);

CREATE INDEX properties_created_idx ON properties (created_at, id);

CREATE INDEX properties_updated_idx ON properties (updated_at, id);

CREATE INDEX room_features_feature_idx ON room_features (feature, room_id);

-- A city's properties by price: the commonest search, a city within a budget
-- (SQLite only: MariaDB then read a city in id order through it and sorted).
CREATE INDEX properties_city_price_idx ON properties (city_key, price, id);
