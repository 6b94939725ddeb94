-- A property's room count and total area, stored on its row and kept in the
-- transaction of every room write (they were correlated subqueries per
-- listed property): lists read them from the row, and they can be filtered,
-- sorted and indexed. The ALTER is atomic; the UPDATE can run again.
ALTER TABLE properties
    ADD COLUMN room_count INT NOT NULL DEFAULT 0,
    ADD COLUMN total_area DECIMAL(11, 2) NOT NULL DEFAULT 0,
    ADD CONSTRAINT properties_room_count_check CHECK (room_count >= 0),
    ADD CONSTRAINT properties_total_area_check CHECK (total_area >= 0);

UPDATE properties p SET
    room_count = (SELECT COUNT(*) FROM rooms r WHERE r.property_id = p.id),
    total_area = (SELECT COALESCE(SUM(r.area), 0) FROM rooms r WHERE r.property_id = p.id);
