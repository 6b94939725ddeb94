-- Indexes for the list's filters and orders: each ends in id, so that a
-- page in id order, or in the order of its column (read backwards for a
-- descending one), is a range scan; the feature filter finds rooms by
-- feature. Two atomic ALTERs; the second can run again.
ALTER TABLE properties
    ADD INDEX properties_status_idx (status, id),
    ADD INDEX properties_transaction_idx (transaction_type, id),
    ADD INDEX properties_price_idx (price, id),
    ADD INDEX properties_area_idx (total_area, id),
    ADD INDEX properties_rooms_idx (room_count, id),
    ADD INDEX properties_created_idx (created_at, id),
    ADD INDEX properties_updated_idx (updated_at, id);

ALTER TABLE room_features ADD INDEX room_features_feature_idx (feature, room_id);
