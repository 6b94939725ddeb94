package realty

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// EventKind is what a write did to a property.
type EventKind string

// Event kinds.
const (
	EventCreated     EventKind = "created"
	EventUpdated     EventKind = "updated"
	EventRoomAdded   EventKind = "room_added"
	EventRoomUpdated EventKind = "room_updated"
	EventRoomRemoved EventKind = "room_removed"
	EventImported    EventKind = "imported"
)

// EventKinds are every kind, in the order of a property's life.
var EventKinds = []EventKind{EventCreated, EventImported, EventUpdated, EventRoomAdded, EventRoomUpdated, EventRoomRemoved}

// Valid reports whether k is one of EventKinds.
func (k EventKind) Valid() bool { return slices.Contains(EventKinds, k) }

// PropertyEvent is one write to a property or its rooms, recorded in the
// transaction of the write: the version it made, who made it and when, and
// the members it changed with their values before and after. A property's
// events go with it when it is deleted.
type PropertyEvent struct {
	ID         int64      `json:"id"`
	PropertyID int64      `json:"property_id"`
	Version    int64      `json:"version"`
	Actor      PublicUser `json:"actor"`
	At         time.Time  `json:"at"`
	Kind       EventKind  `json:"kind"`
	// RoomID is the room of a room_* event (null otherwise).
	RoomID  *int64   `json:"room_id"`
	Changes []Change `json:"changes"`
}

// Change is a member a write changed: its JSON value before (null when it
// had none: a new property or room) and after (null when it has none: a
// removed room, a cleared price). Members are those of the property
// (name, description, type, city, transaction, price, currency, status, and
// rooms for a new property) or of the room (type, name, area, level,
// description, features).
type Change struct {
	Member string          `json:"member"`
	Old    json.RawMessage `json:"old"`
	New    json.RawMessage `json:"new"`
}

// HistoryFilter pages a property's history, newest first.
type HistoryFilter struct {
	Limit  int    // page size: 0 means DefaultPageSize; at most MaxPageSize
	Cursor string // NextCursor of the previous page
}

// Validate checks the filter and applies the default page size.
func (f HistoryFilter) Validate() (HistoryFilter, error) {
	var p Problems
	f.Limit = pageSize(&p, f.Limit)
	if len(f.Cursor) > MaxCursor {
		p.Add("cursor", "is not a cursor returned by a previous page")
	}
	return f, p.Err()
}

// PropertyMembers are the members a property's events record, as JSON.
type PropertyMembers struct {
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Type        PropertyType  `json:"type"`
	City        string        `json:"city"`
	Transaction *Transaction  `json:"transaction"`
	Price       *Price        `json:"price"`
	Currency    string        `json:"currency"`
	Status      ListingStatus `json:"status"`
}

// MembersOf are a property's recorded members.
func MembersOf(p PropertySummary) PropertyMembers {
	return PropertyMembers{Name: p.Name, Description: p.Description, Type: p.Type, City: p.City,
		Transaction: p.Transaction, Price: p.Price, Currency: p.Currency, Status: p.Status}
}

// RoomMembers are the members a room's events record, as JSON.
type RoomMembers struct {
	Type        RoomType `json:"type"`
	Name        string   `json:"name"`
	Area        *Area    `json:"area"`
	Level       *int     `json:"level"`
	Description string   `json:"description"`
	Features    []string `json:"features"`
}

// RoomMembersOf are a room's recorded members.
func RoomMembersOf(r Room) RoomMembers {
	return RoomMembers{Type: r.Type, Name: r.Name, Area: r.Area, Level: r.Level, Description: r.Description,
		Features: r.Features}
}

// NewPropertyMembers is what the event of a new property (created,
// imported) records: its members and its rooms', every change being from
// nothing. It is stored without its empty members (CompactJSON), a third
// of the bytes of a million imported events, and read back whole
// (ExpandNewPropertyMembers).
type NewPropertyMembers struct {
	PropertyMembers
	Rooms []RoomMembers `json:"rooms"`
}

// compactProperty and compactRoom are NewPropertyMembers without the
// members that are empty (omitempty): reading them back as
// NewPropertyMembers gives the same values.
type compactProperty struct {
	Name        string        `json:"name"`
	Description string        `json:"description,omitempty"`
	Type        PropertyType  `json:"type"`
	City        string        `json:"city"`
	Transaction *Transaction  `json:"transaction,omitempty"`
	Price       *Price        `json:"price,omitempty"`
	Currency    string        `json:"currency,omitempty"`
	Status      ListingStatus `json:"status,omitempty"`
	Rooms       []compactRoom `json:"rooms,omitempty"`
}

type compactRoom struct {
	Type        RoomType `json:"type,omitempty"`
	Name        string   `json:"name,omitempty"`
	Area        *Area    `json:"area,omitempty"`
	Level       *int     `json:"level,omitempty"`
	Description string   `json:"description,omitempty"`
	Features    []string `json:"features,omitempty"`
}

// CompactJSON is m as stored: JSON without its empty members.
func (m NewPropertyMembers) CompactJSON() ([]byte, error) {
	c := compactProperty{Name: m.Name, Description: m.Description, Type: m.Type, City: m.City,
		Transaction: m.Transaction, Price: m.Price, Currency: m.Currency, Status: m.Status,
		Rooms: make([]compactRoom, len(m.Rooms))}
	for i, r := range m.Rooms {
		c.Rooms[i] = compactRoom(r)
	}
	return json.Marshal(c)
}

// ExpandNewPropertyMembers returns the JSON of NewPropertyMembers, every
// member present (rooms and features [] when empty), from what CompactJSON
// stored, or from the whole JSON that events stored before it.
func ExpandNewPropertyMembers(stored []byte) ([]byte, error) {
	var m NewPropertyMembers
	if err := json.Unmarshal(stored, &m); err != nil {
		return nil, err
	}
	if m.Rooms == nil {
		m.Rooms = []RoomMembers{}
	}
	for i := range m.Rooms {
		if m.Rooms[i].Features == nil {
			m.Rooms[i].Features = []string{}
		}
	}
	return json.Marshal(m)
}

// Changes lists the members whose JSON differs between old and new (structs
// of the same type, or nil for none), in the order of the struct's fields.
func Changes(old, new any) ([]Change, error) {
	o, err := members(old)
	if err != nil {
		return nil, err
	}
	n, err := members(new)
	if err != nil {
		return nil, err
	}
	keys := n.keys
	if len(keys) == 0 {
		keys = o.keys
	}
	out := []Change{}
	for _, k := range keys {
		ov, nv := o.values[k], n.values[k]
		if ov == nil {
			ov = json.RawMessage("null")
		}
		if nv == nil {
			nv = json.RawMessage("null")
		}
		if !bytes.Equal(ov, nv) {
			out = append(out, Change{Member: k, Old: ov, New: nv})
		}
	}
	return out, nil
}

type memberValues struct {
	keys   []string
	values map[string]json.RawMessage
}

// members are the JSON members of a struct, in field order (nil: none).
func members(v any) (memberValues, error) {
	out := memberValues{values: map[string]json.RawMessage{}}
	if v == nil {
		return out, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return out, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // {
		return out, err
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return out, err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return out, err
		}
		k := t.(string)
		out.keys = append(out.keys, k)
		out.values[k] = raw
	}
	return out, nil
}

// ChangesText is the event's changes on one line: `name: "Flat" -> "Sunny
// flat"; price: null -> 450000`. A new property's rooms are counted, not
// listed.
func (e PropertyEvent) ChangesText() string {
	parts := make([]string, 0, len(e.Changes))
	for _, c := range e.Changes {
		v := string(c.New)
		var rooms []json.RawMessage
		if c.Member == "rooms" && json.Unmarshal(c.New, &rooms) == nil {
			v = strconv.Itoa(len(rooms)) + " rooms"
		}
		parts = append(parts, c.Member+": "+string(c.Old)+" -> "+v)
	}
	return strings.Join(parts, "; ")
}
