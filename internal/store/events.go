package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/realtyhq/realty/pkg/realty"
)

// EventRow is an event of a property's history to write (migration 0008):
// Changes is the JSON array of its changes, or, for a new property, the
// JSON object of its members (each then a change from null, read back by
// realty.Changes: cheaper to write, the same to read).
type EventRow struct {
	PropertyID int64
	Version    int64
	ActorID    int64
	At         time.Time
	Kind       realty.EventKind
	RoomID     *int64
	Changes    []byte
}

// InsertEvents writes events in multi-row INSERTs, in the transaction of
// the writes they record.
func (tx *Tx) InsertEvents(ctx context.Context, events []EventRow) error {
	for len(events) > 0 {
		n := min(len(events), bulkRows)
		args := make([]any, 0, 7*n)
		for _, e := range events[:n] {
			args = append(args, e.PropertyID, e.Version, e.ActorID, e.At, e.Kind, e.RoomID, e.Changes)
		}
		if _, err := tx.execMany(ctx, `INSERT INTO property_events
			(property_id, version, actor_id, at, kind, room_id, changes) VALUES `+placeholders(n, 7), n, args); err != nil {
			return mapErr(err)
		}
		events = events[n:]
	}
	return nil
}

// PropertyEvents returns up to limit events of a property, newest first,
// older than the event beforeID (0: from the newest), with their actors:
// one range of the (property_id, id) index. A property that does not exist
// is ErrNotFound; one written before history was kept has none.
func (s *Store) PropertyEvents(ctx context.Context, propertyID, beforeID int64, limit int) ([]realty.PropertyEvent, error) {
	if beforeID == 0 {
		beforeID = 1<<63 - 1
	}
	rows, err := prepared{s, s.read}.QueryContext(ctx, `SELECT e.id, e.property_id, e.version, e.at, e.kind,
		e.room_id, e.changes, u.id, u.first_name, u.last_name
		FROM property_events e JOIN users u ON u.id = e.actor_id
		WHERE e.property_id = ? AND e.id < ? ORDER BY e.id DESC LIMIT ?`, propertyID, beforeID, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []realty.PropertyEvent{}
	for rows.Next() {
		var e realty.PropertyEvent
		var changes []byte
		if err := rows.Scan(&e.ID, &e.PropertyID, &e.Version, &e.At, &e.Kind, &e.RoomID, &changes,
			&e.Actor.ID, &e.Actor.FirstName, &e.Actor.LastName); err != nil {
			return nil, mapErr(err)
		}
		e.At = e.At.UTC()
		if len(changes) > 0 && changes[0] == '{' { // a new property's members
			if changes, err = realty.ExpandNewPropertyMembers(changes); err == nil {
				e.Changes, err = realty.Changes(nil, json.RawMessage(changes))
			}
		} else {
			err = json.Unmarshal(changes, &e.Changes)
		}
		if err != nil {
			return nil, fmt.Errorf("event %d: changes: %w", e.ID, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	if len(out) == 0 {
		var one int
		if err := s.read.QueryRowxContext(ctx, "SELECT 1 FROM properties WHERE id = ?", propertyID).Scan(&one); err != nil {
			return nil, fmt.Errorf("property %d: %w", propertyID, mapErr(err))
		}
	}
	return out, nil
}
