package service

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/pkg/realty"
)

func (s *actor) CreateProperty(ctx context.Context, in realty.NewProperty) (realty.Property, error) {
	u, err := s.writer(ctx, 1)
	if err != nil {
		return realty.Property{}, err
	}
	in = in.Normalized()
	if err := in.Validate(); err != nil {
		return realty.Property{}, err
	}
	var out realty.Property
	key, err := s.c.keyFor(ctx, u.ID, "create_property", in)
	if err != nil {
		return out, err
	}
	at := s.c.clock()
	changes, err := newPropertyChanges(in)
	if err != nil {
		return realty.Property{}, err
	}
	err = once(ctx, s.c, key, &out, func() error {
		return s.c.st.InTx(ctx, func(tx *store.Tx) error {
			id, roomIDs, err := insertProperty(ctx, tx, u.ID, in, at)
			if err != nil {
				return err
			}
			out = written(id, roomIDs, u, in, at)
			if err := tx.InsertEvents(ctx, []store.EventRow{{PropertyID: id, Version: 1, ActorID: u.ID, At: at,
				Kind: realty.EventCreated, Changes: changes}}); err != nil {
				return err
			}
			return key.keep(ctx, tx, out)
		})
	})
	return out, err
}

// newPropertyChanges are the changes of a new property's event as stored:
// the JSON object of its members and rooms without the empty ones, which
// the store reads back as the changes of every member from nothing
// (realty.ExpandNewPropertyMembers, realty.Changes(nil, object)). One
// Marshal: an import of a million properties writes a million of them.
func newPropertyChanges(p realty.NewProperty) ([]byte, error) {
	m := realty.NewPropertyMembers{PropertyMembers: realty.PropertyMembers{Name: p.Name, Description: p.Description,
		Type: p.Type, City: p.City, Transaction: p.Transaction, Price: p.Price, Currency: p.Currency, Status: p.Status},
		Rooms: make([]realty.RoomMembers, len(p.Rooms))}
	for i, r := range p.Rooms {
		m.Rooms[i] = realty.RoomMembers(r)
	}
	return m.CompactJSON()
}

// changesJSON is realty.Changes as the JSON an event stores.
func changesJSON(old, new any) ([]byte, error) {
	c, err := realty.Changes(old, new)
	if err != nil {
		return nil, err
	}
	return json.Marshal(c)
}

// event records a write of the acting user on a property.
func event(ctx context.Context, tx *store.Tx, w ownedTx, kind realty.EventKind, roomID *int64, old, new any) error {
	changes, err := changesJSON(old, new)
	if err != nil {
		return err
	}
	return tx.InsertEvents(ctx, []store.EventRow{{PropertyID: w.id, Version: w.version + 1, ActorID: w.actor,
		At: w.at, Kind: kind, RoomID: roomID, Changes: changes}})
}

// insertProperty writes a normalized, validated property and its rooms, and
// returns their ids.
func insertProperty(ctx context.Context, tx *store.Tx, owner int64, p realty.NewProperty, at time.Time) (int64, []int64, error) {
	id, err := tx.InsertProperty(ctx, propertyRow(owner, p, at))
	if err != nil {
		return 0, nil, err
	}
	roomIDs, err := tx.InsertRooms(ctx, id, 0, p.Rooms)
	return id, roomIDs, err
}

// propertyRow is the row of a normalized, validated property.
func propertyRow(owner int64, p realty.NewProperty, at time.Time) store.PropertyRow {
	count, area := realty.RoomTotals(p.Rooms)
	return store.PropertyRow{OwnerID: owner, Name: p.Name, Description: p.Description,
		Type: p.Type, City: p.City, CityKey: realty.CityKey(p.City), At: at, RoomCount: count, TotalArea: area,
		Transaction: p.Transaction, Price: p.Price, Currency: p.Currency, Status: p.Status}
}

// written is the property as insertProperty stored it, built from what was
// written rather than read back: the same values the database holds (the
// input is normalized, timestamps are in the database's precision).
func written(id int64, roomIDs []int64, owner store.UserRow, p realty.NewProperty, at time.Time) realty.Property {
	out := realty.Property{PropertySummary: realty.PropertySummary{ID: id, Name: p.Name, Description: p.Description,
		Type: p.Type, City: p.City, Owner: owner.User().Public(), Version: 1,
		Transaction: p.Transaction, Price: p.Price, Currency: p.Currency, Status: p.Status,
		CreatedAt: at, UpdatedAt: at}, Rooms: make([]realty.Room, len(p.Rooms))}
	out.RoomCount, out.TotalArea = realty.RoomTotals(p.Rooms)
	for i, r := range p.Rooms {
		features := r.Features
		if features == nil {
			features = []string{}
		}
		out.Rooms[i] = realty.Room{ID: roomIDs[i], Type: r.Type, Name: r.Name, Area: r.Area, Level: r.Level,
			Description: r.Description, Features: features, PropertyVersion: 1}
	}
	return out
}

func (s *actor) ImportProperties(ctx context.Context, in []realty.NewProperty) ([]int64, error) {
	// A batch costs one write per started hundred properties.
	u, err := s.writer(ctx, max(1, (len(in)+99)/100))
	if err != nil {
		return nil, err
	}
	in = realty.NormalizeImport(in)
	if err := realty.ValidateImport(in); err != nil {
		return nil, err
	}
	ids := make([]int64, len(in))
	key, err := s.c.keyFor(ctx, u.ID, "import_properties", in)
	if err != nil {
		return nil, err
	}
	now := s.c.clock()
	weight := func(i int) int { // rows written: the property, its rooms and their features
		n := 1 + len(in[i].Rooms)
		for _, r := range in[i].Rooms {
			n += len(r.Features)
		}
		return n
	}
	rows := make([]store.NewPropertyRow, len(in))
	events := make([]store.EventRow, len(in))
	err = onEveryCore(len(in), func(i int) error {
		rows[i] = store.NewPropertyRow{PropertyRow: propertyRow(u.ID, in[i], now), Rooms: in[i].Rooms}
		changes, err := newPropertyChanges(in[i])
		events[i] = store.EventRow{Version: 1, ActorID: u.ID, At: now, Kind: realty.EventImported, Changes: changes}
		return err
	})
	if err != nil {
		return nil, err
	}
	write := func(tx *store.Tx, from, to int) error {
		chunk, err := tx.InsertProperties(ctx, rows[from:to])
		if err != nil {
			return err
		}
		copy(ids[from:], chunk)
		for i := from; i < to; i++ {
			events[i].PropertyID = ids[i]
		}
		return tx.InsertEvents(ctx, events[from:to])
	}
	if key.key != "" {
		// One transaction, which keeps the key: the import happens whole
		// or not at all, and once.
		err := once(ctx, s.c, key, &ids, func() error {
			return s.c.st.InTx(ctx, func(tx *store.Tx) error {
				if err := write(tx, 0, len(in)); err != nil {
					return err
				}
				return key.keep(ctx, tx, ids)
			})
		})
		if err != nil {
			return nil, err
		}
		return ids, nil
	}
	done, err := s.c.st.InChunks(ctx, len(in), weight, write)
	if err != nil && done > 0 {
		return nil, fmt.Errorf("the import stopped after %d of %d properties: properties[0] to properties[%d] "+
			"(ids %d to %d) were imported and stay, the others were not; import them again: %w",
			done, len(in), done-1, ids[0], ids[done-1], err)
	}
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// onEveryCore calls fn(i) for every i in [0, n), a contiguous share of
// them on each core, and returns the error of the lowest i that failed.
// An import's rows and events (a JSON document each) took a tenth of a
// million properties' load, on the one core the database's writer waits
// on.
func onEveryCore(n int, fn func(i int) error) error {
	errs := make([]error, n)
	share := max(1, (n+runtime.GOMAXPROCS(0)-1)/runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for from := 0; from < n; from += share {
		wg.Go(func() {
			for i := from; i < min(n, from+share); i++ {
				errs[i] = fn(i)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// BulkLoad runs load, an import of about n properties by the acting user
// (ImportProperties calls, and nothing else: on SQLite the database skips
// its CHECK constraints meanwhile, and relies on the validation every
// import does first), in the store's fastest way for it (store.Bulk:
// on SQLite, indexes dropped and built again for a large load; on MySQL,
// each batch written by two transactions at once, in order). Local only:
// the CLI uses it when its service has it, as for an import.
func (s *actor) BulkLoad(ctx context.Context, n int, load func() error) error {
	if _, err := s.writer(ctx, 1); err != nil {
		return err
	}
	return s.c.st.Bulk(ctx, n, load)
}

func (s *actor) Property(ctx context.Context, id int64) (realty.Property, error) {
	return s.c.st.Property(ctx, id)
}

func (s *actor) Properties(ctx context.Context, f realty.PropertyFilter) (realty.Page[realty.PropertySummary], error) {
	f, err := f.Validate()
	if err != nil {
		return realty.Page[realty.PropertySummary]{}, err
	}
	after, err := realty.ParseSortCursor(f.Sort, f.Cursor)
	if err != nil {
		return realty.Page[realty.PropertySummary]{}, err
	}
	items, err := s.c.st.Properties(ctx, store.ListFilter{CityKey: realty.CityKey(f.City), Types: f.Types,
		OwnerID: f.OwnerID, Words: realty.SearchWords(f.Search), Statuses: f.Statuses, Transaction: f.Transaction,
		MinPrice: f.MinPrice, MaxPrice: f.MaxPrice, MinRooms: f.MinRooms, MaxRooms: f.MaxRooms,
		MinArea: f.MinArea, MaxArea: f.MaxArea, Features: f.Features, After: after, Limit: f.Limit + 1})
	if err != nil {
		return realty.Page[realty.PropertySummary]{}, err
	}
	page := realty.Page[realty.PropertySummary]{Items: items}
	if len(items) > f.Limit { // one more than asked: there is a next page
		page.Items = items[:f.Limit]
		page.NextCursor = realty.SortCursor(realty.KeyOf(f.Sort, page.Items[f.Limit-1]))
	}
	return page, nil
}

func (s *actor) PropertiesWithRooms(ctx context.Context, f realty.PropertyFilter) (realty.Page[realty.Property], error) {
	page, err := s.Properties(ctx, f)
	if err != nil {
		return realty.Page[realty.Property]{}, err
	}
	items, err := s.c.st.WithRooms(ctx, page.Items)
	return realty.Page[realty.Property]{Items: items, NextCursor: page.NextCursor}, err
}

// ownedWrite runs fn in a transaction after checking, with the property's row
// locked, that the acting user owns it and that ifVersion (when not 0) is its
// current version, which fn is given. Every write to a property or its rooms
// goes through here, or through ownedTx.
func (s *actor) ownedWrite(ctx context.Context, id, ifVersion int64, validate func() error, fn func(tx *store.Tx, w ownedTx) error) error {
	u, err := s.writer(ctx, 1)
	if err != nil {
		return err
	}
	if err := validate(); err != nil {
		return err
	}
	return s.ownedTx(ctx, u, id, ifVersion, fn)
}

// ownedTx is ownedWrite for a user already known and counted, whose input
// is valid.
func (s *actor) ownedTx(ctx context.Context, u store.UserRow, id, ifVersion int64, fn func(tx *store.Tx, w ownedTx) error) error {
	if err := realty.CheckVersion(ifVersion); err != nil {
		return err
	}
	return s.c.st.InTx(ctx, func(tx *store.Tx) error {
		owner, version, err := tx.LockProperty(ctx, id)
		if err != nil {
			return err
		}
		if owner != u.ID {
			return fmt.Errorf("property %d belongs to someone else: %w", id, realty.ErrForbidden)
		}
		if ifVersion != 0 && ifVersion != version {
			return fmt.Errorf("property %d is at version %d, not %d: it changed since you read it: %w",
				id, version, ifVersion, realty.ErrPrecondition)
		}
		return fn(tx, ownedTx{id: id, version: version, actor: u.ID, at: s.c.clock()})
	})
}

// ownedTx is a write under way on a property: its current version (the
// write makes the next one), who writes and when.
type ownedTx struct {
	id, version, actor int64
	at                 time.Time
}

func (s *actor) UpdateProperty(ctx context.Context, id int64, in realty.PropertyPatch, ifVersion int64) (realty.Property, error) {
	in = in.Normalized()
	var out realty.Property
	err := s.ownedWrite(ctx, id, ifVersion, in.Validate, func(tx *store.Tx, w ownedTx) error {
		cur, err := tx.Property(ctx, id)
		if err != nil || in.Empty() {
			out = cur
			return err
		}
		// The terms are checked together, as the patch leaves them.
		terms := realty.Terms{Transaction: cur.Transaction, Price: cur.Price, Currency: cur.Currency, Status: cur.Status}
		if err := terms.Apply(in).Check(); err != nil {
			return err
		}
		key := ""
		if in.City != nil {
			key = realty.CityKey(*in.City)
		}
		if err := tx.UpdateProperty(ctx, id, in, key, w.at); err != nil {
			return err
		}
		if out, err = tx.Property(ctx, id); err != nil {
			return err
		}
		return event(ctx, tx, w, realty.EventUpdated, nil, realty.MembersOf(cur.PropertySummary),
			realty.MembersOf(out.PropertySummary))
	})
	return out, err
}

func (s *actor) DeleteProperty(ctx context.Context, id int64, ifVersion int64) error {
	return s.ownedWrite(ctx, id, ifVersion, noInput, func(tx *store.Tx, _ ownedTx) error {
		return tx.DeleteProperty(ctx, id) // and its history (ON DELETE CASCADE)
	})
}

func noInput() error { return nil }

func (s *actor) AddRoom(ctx context.Context, propertyID int64, in realty.NewRoom, ifVersion int64) (realty.Room, error) {
	in = in.Normalized()
	var out realty.Room
	u, err := s.writer(ctx, 1)
	if err != nil {
		return out, err
	}
	if err := in.Validate(); err != nil {
		return out, err
	}
	key, err := s.c.keyFor(ctx, u.ID, "add_room", struct {
		PropertyID int64          `json:"property_id"`
		Room       realty.NewRoom `json:"room"`
	}{propertyID, in})
	if err != nil {
		return out, err
	}
	err = once(ctx, s.c, key, &out, func() error {
		return s.ownedTx(ctx, u, propertyID, ifVersion, func(tx *store.Tx, w ownedTx) error {
			n, last, err := tx.RoomSlots(ctx, propertyID)
			if err != nil {
				return err
			}
			if n >= realty.MaxRooms {
				return realty.Invalid("rooms", "a property has at most %d rooms", realty.MaxRooms)
			}
			ids, err := tx.InsertRooms(ctx, propertyID, last, []realty.NewRoom{in})
			if err != nil {
				return err
			}
			if err := tx.TouchProperty(ctx, propertyID, w.at); err != nil {
				return err
			}
			if out, err = tx.Room(ctx, ids[0]); err != nil {
				return err
			}
			out.PropertyVersion = w.version + 1 // TouchProperty's increment, under the row lock
			if err := event(ctx, tx, w, realty.EventRoomAdded, &out.ID, nil, realty.RoomMembersOf(out)); err != nil {
				return err
			}
			return key.keep(ctx, tx, out)
		})
	})
	return out, err
}

func (s *actor) UpdateRoom(ctx context.Context, propertyID, roomID int64, in realty.RoomPatch, ifVersion int64) (realty.Room, error) {
	in = in.Normalized()
	var out realty.Room
	err := s.ownedWrite(ctx, propertyID, ifVersion, in.Validate, func(tx *store.Tx, w ownedTx) error {
		if err := tx.RoomOf(ctx, propertyID, roomID); err != nil {
			return err
		}
		old, err := tx.Room(ctx, roomID)
		if err != nil || in.Empty() {
			out, out.PropertyVersion = old, w.version
			return err
		}
		if err := tx.UpdateRoom(ctx, roomID, in); err != nil {
			return err
		}
		if err := tx.TouchProperty(ctx, propertyID, w.at); err != nil {
			return err
		}
		if out, err = tx.Room(ctx, roomID); err != nil {
			return err
		}
		out.PropertyVersion = w.version + 1 // TouchProperty's increment, under the row lock
		return event(ctx, tx, w, realty.EventRoomUpdated, &roomID, realty.RoomMembersOf(old), realty.RoomMembersOf(out))
	})
	return out, err
}

func (s *actor) RemoveRoom(ctx context.Context, propertyID, roomID int64, ifVersion int64) (int64, error) {
	var newVersion int64
	err := s.ownedWrite(ctx, propertyID, ifVersion, noInput, func(tx *store.Tx, w ownedTx) error {
		if err := tx.RoomOf(ctx, propertyID, roomID); err != nil {
			return err
		}
		old, err := tx.Room(ctx, roomID)
		if err != nil {
			return err
		}
		if err := tx.DeleteRoom(ctx, roomID); err != nil {
			return err
		}
		newVersion = w.version + 1 // TouchProperty's increment, under the row lock
		if err := tx.TouchProperty(ctx, propertyID, w.at); err != nil {
			return err
		}
		return event(ctx, tx, w, realty.EventRoomRemoved, &roomID, realty.RoomMembersOf(old), nil)
	})
	return newVersion, err
}

func (s *actor) Cities(ctx context.Context, f realty.CityFilter) (realty.Page[realty.CityCount], error) {
	var page realty.Page[realty.CityCount]
	f, err := f.Validate()
	if err != nil {
		return page, err
	}
	after, err := decodeCityCursor(f.Cursor)
	if err != nil {
		return page, err
	}
	rows, err := s.c.st.Cities(ctx, realty.CityKey(f.Prefix), after, f.Limit+1)
	if err != nil {
		return page, err
	}
	if len(rows) > f.Limit { // one more than asked: there is a next page
		rows = rows[:f.Limit]
		page.NextCursor = encodeCityCursor(rows[f.Limit-1].Key)
	}
	page.Items = make([]realty.CityCount, len(rows))
	for i, r := range rows {
		page.Items[i] = r.CityCount
	}
	return page, nil
}

func (s *actor) PropertyHistory(ctx context.Context, id int64, f realty.HistoryFilter) (realty.Page[realty.PropertyEvent], error) {
	var page realty.Page[realty.PropertyEvent]
	f, err := f.Validate()
	if err != nil {
		return page, err
	}
	before, err := decodeHistoryCursor(f.Cursor)
	if err != nil {
		return page, err
	}
	items, err := s.c.st.PropertyEvents(ctx, id, before, f.Limit+1)
	if err != nil {
		return page, err
	}
	page.Items = items
	if len(items) > f.Limit { // one more than asked: there is a next page
		page.Items = items[:f.Limit]
		page.NextCursor = encodeHistoryCursor(page.Items[f.Limit-1].ID)
	}
	return page, nil
}
