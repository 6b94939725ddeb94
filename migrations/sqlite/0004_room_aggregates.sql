-- A property's room count and total area, stored on its row and kept in the
-- transaction of every room write (they were correlated subqueries per
-- listed property): lists read them from the row, and they can be filtered,
-- sorted and indexed.
ALTER TABLE properties ADD COLUMN room_count INTEGER NOT NULL DEFAULT 0 CHECK (room_count >= 0);

ALTER TABLE properties ADD COLUMN total_area DECIMAL(11, 2) NOT NULL DEFAULT 0 CHECK (total_area >= 0);

UPDATE properties SET
    room_count = (SELECT COUNT(*) FROM rooms r WHERE r.property_id = properties.id),
    total_area = (SELECT COALESCE(SUM(r.area), 0) FROM rooms r WHERE r.property_id = properties.id);
