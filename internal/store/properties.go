package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/realtyhq/realty/migrations"
	"github.com/realtyhq/realty/pkg/realty"
)

// queryer is what reads need: the read pool (prepared), or a transaction.
type queryer = sqlx.QueryerContext

type summaryRow struct {
	ID             int64                `db:"id"`
	Name           string               `db:"name"`
	Description    string               `db:"description"`
	Type           realty.PropertyType  `db:"type"`
	City           string               `db:"city"`
	Version        int64                `db:"version"`
	CreatedAt      time.Time            `db:"created_at"`
	UpdatedAt      time.Time            `db:"updated_at"`
	OwnerID        int64                `db:"owner_id"`
	OwnerFirstName string               `db:"owner_first_name"`
	OwnerLastName  string               `db:"owner_last_name"`
	RoomCount      int                  `db:"room_count"`
	TotalArea      realty.Area          `db:"total_area"`
	Transaction    *realty.Transaction  `db:"transaction_type"`
	Price          *realty.Price        `db:"price"`
	Currency       string               `db:"currency"`
	Status         realty.ListingStatus `db:"status"`
}

func (r summaryRow) summary() realty.PropertySummary {
	return realty.PropertySummary{
		ID: r.ID, Name: r.Name, Description: r.Description, Type: r.Type, City: r.City,
		Owner:       realty.PublicUser{ID: r.OwnerID, FirstName: r.OwnerFirstName, LastName: r.OwnerLastName},
		Transaction: r.Transaction, Price: r.Price, Currency: r.Currency, Status: r.Status,
		RoomCount: r.RoomCount, TotalArea: r.TotalArea, Version: r.Version,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

// scan reads a row of summaryColumns, in their order: plain Scan, without
// sqlx's reflection, on the hot list and get paths.
func (r *summaryRow) scan(row interface{ Scan(...any) error }) error {
	return row.Scan(&r.ID, &r.Name, &r.Description, &r.Type, &r.City, &r.Version, &r.CreatedAt, &r.UpdatedAt,
		&r.OwnerID, &r.OwnerFirstName, &r.OwnerLastName, &r.RoomCount, &r.TotalArea, &r.Transaction, &r.Price,
		&r.Currency, &r.Status)
}

// summaryColumns read a property with its owner and room aggregates in one
// query: the correlated subqueries use the rooms (property_id, position)
// index, so a page costs one round trip whatever its size (no query per item).
const summaryColumns = `SELECT p.id, p.name, p.description, p.type, p.city, p.version, p.created_at, p.updated_at,
	u.id AS owner_id, u.first_name AS owner_first_name, u.last_name AS owner_last_name,
	p.room_count, p.total_area, p.transaction_type, p.price, p.currency, p.status`

const summarySelect = summaryColumns + ` FROM properties p JOIN users u ON u.id = p.owner_id`

// ListFilter selects a page of properties. Keys are already derived.
type ListFilter struct {
	CityKey     string
	Types       []realty.PropertyType
	OwnerID     int64
	Statuses    []realty.ListingStatus
	Transaction realty.Transaction
	MinPrice    *realty.Price
	MaxPrice    *realty.Price
	MinRooms    *int
	MaxRooms    *int
	MinArea     *realty.Area
	MaxArea     *realty.Area
	Features    []string
	Words       []string // realty.SearchWords: each starts a word of the name or description
	// After is the keyset: only properties after this one in its order
	// (After.Sort; "" or id: in id order after After.ID).
	After realty.SortKey
	Limit int
}

// sortColumn is the column of an order, its direction, and whether it
// holds NULLs (placed last in both directions).
func sortColumn(s realty.Sort) (column string, desc, nullable bool) {
	switch s {
	case "newest":
		return "p.created_at", true, false
	case "updated":
		return "p.updated_at", true, false
	case "price", "-price":
		return "p.price", s == "-price", true
	case "area", "-area":
		return "p.total_area", s == "-area", false
	case "rooms", "-rooms":
		return "p.room_count", s == "-rooms", false
	}
	return "", false, false
}

// keyArg is a SortKey's key as the column's value.
func keyArg(s realty.Sort, k int64) any {
	switch s {
	case "newest", "updated":
		return time.UnixMicro(k).UTC()
	case "price", "-price":
		return realty.Price(k)
	case "area", "-area":
		return realty.Area(k)
	}
	return k
}

// Properties returns up to f.Limit properties in f.After.Sort's order
// after f.After. Each filter and order has an index ending in id, so a
// page is an index range scan, never an OFFSET. A nullable order (price)
// lists its non-null rows first by the (price, id) index, then, when they
// run out within a page, the NULL ones in id order: a second query on the
// page where the two meet, rather than an ORDER BY on an expression that
// no index serves.
func (s *Store) Properties(ctx context.Context, f ListFilter) ([]realty.PropertySummary, error) {
	plan, err := s.plan(ctx, f)
	if err != nil {
		return nil, err
	}
	column, desc, nullable := sortColumn(f.After.Sort)
	if column == "" { // id order
		return s.propertiesPage(ctx, f, plan, "p.id > ?", []any{f.After.ID}, "p.id", f.Limit)
	}
	op, dir := ">", ""
	if desc {
		op, dir = "<", " DESC"
	}
	order := column + dir + ", p.id" + dir
	var out []realty.PropertySummary
	if !f.After.Null {
		// The first page has the shape of the next ones, a range on the
		// key from its end: with bound values, SQLite otherwise chose an
		// equality filter's index and sorted its rows (810 ms for the
		// first page of rents by date at a million properties, 0.3 ms for
		// the 50th).
		cond, args := column+" IS NOT NULL", []any{}
		if !nullable {
			cond, args = column+" "+op+"= ?", []any{keyArg(f.After.Sort, map[bool]int64{false: 0, true: 1 << 53}[desc])}
		}
		if f.After.ID != 0 {
			// "After (key, id)", written so that its first term is a range
			// on the key: an index on (…, key, id) seeks there instead of
			// reading the order from its start (44 ms for page 50 of a
			// city by price at a million properties, against 0.3 ms).
			k := keyArg(f.After.Sort, f.After.Key)
			cond = column + " " + op + "= ? AND (" + column + " " + op + " ? OR p.id " + op + " ?)"
			args = []any{k, k, f.After.ID}
		}
		page, err := s.propertiesPage(ctx, f, plan, cond, args, order, f.Limit)
		if err != nil || !nullable || len(page) == f.Limit {
			return page, err
		}
		out, f.After = page, realty.SortKey{Sort: f.After.Sort, Null: true}
	}
	// The NULL keys, in the order's direction of ids.
	cond, args := column+" IS NULL", []any{}
	if f.After.ID != 0 {
		cond, args = column+" IS NULL AND p.id "+op+" ?", []any{f.After.ID}
	}
	rest, err := s.propertiesPage(ctx, f, plan, cond, args, "p.id"+dir, f.Limit-len(out))
	return append(out, rest...), err
}

// propertiesPage returns up to limit properties that pass the filters and
// the keyset condition, in order.
func (s *Store) propertiesPage(ctx context.Context, f ListFilter, plan listPlan, keyset string, keyArgs []any,
	order string, limit int) ([]realty.PropertySummary, error) {
	inner, args := s.listIDs(f, plan, keyset, keyArgs, order)
	rows := make([]summaryRow, 0, limit)
	// The page's ids are cut in a derived table first (an index range scan
	// on one of the (key, id) indexes), then joined in that order (the
	// dialect's join that keeps it): the join runs on at most limit rows,
	// and no temporary table holds a TEXT column. Left to itself, MariaDB
	// drove the join from users whenever its statistics had a few rows a
	// user: after a bulk import, every page of a million properties read
	// all of them (115 ms a page at 100 000, an export of a million 9
	// minutes). The outer ORDER BY sorts those few rows again, as the
	// derived table's order is lost.
	join := s.fixedJoin()
	q := summaryColumns + ` FROM (` + inner + `) page` + join + `properties p ON p.id = page.id` + join +
		`users u ON u.id = p.owner_id ORDER BY ` + order
	res, err := prepared{s, s.read}.QueryContext(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer res.Close()
	for res.Next() {
		var r summaryRow
		if err := r.scan(res); err != nil {
			return nil, mapErr(err)
		}
		rows = append(rows, r)
	}
	if err := res.Err(); err != nil {
		return nil, mapErr(err)
	}
	out := make([]realty.PropertySummary, len(rows))
	for i, r := range rows {
		out[i] = r.summary()
	}
	return out, nil
}

// listIDs is the query of a page's ids (its LIMIT a last placeholder) and
// its arguments: the filters and the keyset condition, in order.
func (s *Store) listIDs(f ListFilter, plan listPlan, keyset string, keyArgs []any, order string) (string, []any) {
	where, args := []string{keyset}, keyArgs
	if f.CityKey != "" {
		where, args = append(where, "p.city_key = ?"), append(args, f.CityKey)
	}
	where, args = in(where, args, "p.type", f.Types)
	where, args = in(where, args, "p.status", f.Statuses)
	if f.Transaction != "" {
		where, args = append(where, "p.transaction_type = ?"), append(args, f.Transaction)
	}
	for _, b := range []struct {
		cond string
		v    any
		set  bool
	}{
		{"p.price >= ?", f.MinPrice, f.MinPrice != nil}, {"p.price <= ?", f.MaxPrice, f.MaxPrice != nil},
		{"p.room_count >= ?", f.MinRooms, f.MinRooms != nil}, {"p.room_count <= ?", f.MaxRooms, f.MaxRooms != nil},
		{"p.total_area >= ?", f.MinArea, f.MinArea != nil}, {"p.total_area <= ?", f.MaxArea, f.MaxArea != nil},
	} {
		if b.set {
			where, args = append(where, b.cond), append(args, b.v)
		}
	}
	if f.OwnerID != 0 {
		where, args = append(where, "p.owner_id = ?"), append(args, f.OwnerID)
	}
	where, args = joinChecks(where, args, plan.ms, plan.driver)
	from := "properties p"
	if plan.driver >= 0 {
		d := plan.ms[plan.driver]
		// Joined in this order whatever the statistics say: both dialects
		// otherwise walked the properties and looked each up in the matches.
		from, args = "("+d.drive+") m"+s.fixedJoin()+"properties p ON p.id = m.property_id", append(slices.Clone(d.args), args...)
	}
	return `SELECT p.id FROM ` + from + ` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`, args
}

// fixedJoin is the dialect's inner join whose left side is read first,
// whatever the optimizer's statistics say.
func (s *Store) fixedJoin() string {
	if s.dialect == migrations.MySQL {
		return " STRAIGHT_JOIN "
	}
	return " CROSS JOIN "
}

// listPlan is how a page meets its word and feature filters: each checked
// on the candidates, but the one with driver's index, whose few matches
// are the candidates.
type listPlan struct {
	ms     []membership
	driver int
}

// plan chooses the list plan of a filter.
func (s *Store) plan(ctx context.Context, f ListFilter) (listPlan, error) {
	ms := memberships(f)
	if len(ms) == 0 {
		return listPlan{driver: -1}, nil
	}
	d, err := s.driver(ctx, ms)
	return listPlan{ms, d}, err
}

// in adds "column IN (?, ...)" for the values, if there are any.
func in[T any](where []string, args []any, column string, values []T) ([]string, []any) {
	if len(values) == 0 {
		return where, args
	}
	for _, v := range values {
		args = append(args, v)
	}
	return append(where, column+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(values)), ", ")+")"), args
}

// Property returns one property with its rooms, or ErrNotFound.
func (s *Store) Property(ctx context.Context, id int64) (realty.Property, error) {
	return property(ctx, prepared{s, s.read}, id)
}

// Property reads a property inside the transaction (it sees the transaction's writes).
func (tx *Tx) Property(ctx context.Context, id int64) (realty.Property, error) {
	return property(ctx, tx.tx, id)
}

func property(ctx context.Context, q queryer, id int64) (realty.Property, error) {
	var row summaryRow
	if err := row.scan(q.QueryRowxContext(ctx, summarySelect+" WHERE p.id = ?", id)); err != nil {
		return realty.Property{}, fmt.Errorf("property %d: %w", id, mapErr(err))
	}
	rooms, _, err := roomsOf(ctx, q, "r.property_id = ?", id)
	if err != nil {
		return realty.Property{}, err
	}
	for i := range rooms {
		rooms[i].PropertyVersion = row.Version
	}
	return realty.Property{PropertySummary: row.summary(), Rooms: rooms}, nil
}

// roomRow is a room joined with one of its features (NULL when it has none).
type roomRow struct {
	ID          int64           `db:"id"`
	PropertyID  int64           `db:"property_id"`
	Type        realty.RoomType `db:"type"`
	Name        string          `db:"name"`
	Area        *realty.Area    `db:"area"`
	Level       *int            `db:"level"`
	Description string          `db:"description"`
	Feature     *string         `db:"feature"`
}

// roomsOf reads rooms with their features in one query, whatever their
// number: a room comes once per feature (once with none), in position
// order of each property, the properties in id order. It returns each
// room's property id alongside. PropertyVersion is the caller's to set.
func roomsOf(ctx context.Context, q queryer, where string, args ...any) ([]realty.Room, []int64, error) {
	res, err := q.QueryxContext(ctx, `SELECT r.id, r.property_id, r.type, r.name, r.area, r.level, r.description, f.feature
		FROM rooms r LEFT JOIN room_features f ON f.room_id = r.id
		WHERE `+where+` ORDER BY r.property_id, r.position`, args...)
	if err != nil {
		return nil, nil, mapErr(err)
	}
	defer res.Close()
	var rows []roomRow
	for res.Next() {
		var r roomRow
		if err := res.Scan(&r.ID, &r.PropertyID, &r.Type, &r.Name, &r.Area, &r.Level, &r.Description, &r.Feature); err != nil {
			return nil, nil, mapErr(err)
		}
		rows = append(rows, r)
	}
	if err := res.Err(); err != nil {
		return nil, nil, mapErr(err)
	}
	rooms := make([]realty.Room, 0, len(rows))
	var owners []int64
	for _, r := range rows {
		if n := len(rooms); n == 0 || rooms[n-1].ID != r.ID {
			rooms = append(rooms, realty.Room{ID: r.ID, Type: r.Type, Name: r.Name, Area: r.Area, Level: r.Level,
				Description: r.Description, Features: []string{}})
			owners = append(owners, r.PropertyID)
		}
		if r.Feature != nil {
			last := &rooms[len(rooms)-1]
			last.Features = append(last.Features, *r.Feature)
		}
	}
	for i := range rooms { // sorted here: ordering by feature in SQL made MariaDB sort the join
		slices.Sort(rooms[i].Features)
	}
	return rooms, owners, nil
}

// WithRooms returns the properties of a page with their rooms, read in one
// query for the whole page.
func (s *Store) WithRooms(ctx context.Context, page []realty.PropertySummary) ([]realty.Property, error) {
	out := make([]realty.Property, len(page))
	if len(page) == 0 {
		return out, nil
	}
	ids := make([]int64, len(page))
	at := make(map[int64]int, len(page))
	for i, p := range page {
		ids[i], at[p.ID] = p.ID, i
		out[i] = realty.Property{PropertySummary: p, Rooms: []realty.Room{}}
	}
	where, args := in(nil, nil, "r.property_id", ids)
	rooms, owners, err := roomsOf(ctx, s.read, where[0], args...)
	if err != nil {
		return nil, err
	}
	for i, r := range rooms {
		p := &out[at[owners[i]]]
		r.PropertyVersion = p.Version
		p.Rooms = append(p.Rooms, r)
	}
	return out, nil
}

// Room reads one room inside the transaction.
func (tx *Tx) Room(ctx context.Context, roomID int64) (realty.Room, error) {
	rooms, _, err := roomsOf(ctx, tx.tx, "r.id = ?", roomID)
	if err != nil {
		return realty.Room{}, err
	}
	if len(rooms) == 0 {
		return realty.Room{}, fmt.Errorf("room %d: %w", roomID, realty.ErrNotFound)
	}
	return rooms[0], nil
}

// CityRow is a city with its key and count.
type CityRow struct {
	realty.CityCount
	Key string `db:"city_key"`
}

// maxRune sorts after every character, in SQLite's byte order of UTF-8 and
// in MySQL's utf8mb4_bin alike: key < prefix+maxRune is "starts with prefix".
const maxRune = "\U0010FFFF"

// Cities returns up to limit cities by key after afterKey, whose keys start
// with keyPrefix, with their counts. The groups are cut from the
// (city_key, id) index in key order and the scan stops after limit of them,
// so a page costs the same whatever the number of cities. The name shown is
// the spelling of the key's first property, one index lookup per city.
// (Reading MIN(city) instead took a row lookup per property: 2.9 s for
// 1 000 000 on SQLite, against 0.13 s.)
func (s *Store) Cities(ctx context.Context, keyPrefix, afterKey string, limit int) ([]CityRow, error) {
	// One lower bound, so that the index range starts where the page does:
	// with both "city_key > after" and "city_key >= prefix", SQLite ranged
	// on the first and filtered the rest, reading every key before the
	// prefix (204 ms for a prefix that matched nothing on 1 M properties).
	where, args := []string{"city_key > ?"}, []any{afterKey}
	if keyPrefix != "" && afterKey < keyPrefix {
		where, args = []string{"city_key >= ?"}, []any{keyPrefix}
	}
	if keyPrefix != "" {
		where, args = append(where, "city_key < ?"), append(args, keyPrefix+maxRune)
	}
	out := []CityRow{}
	err := sqlx.SelectContext(ctx, s.read, &out, `SELECT
		(SELECT p.city FROM properties p WHERE p.city_key = g.city_key ORDER BY p.id LIMIT 1) AS city, g.city_key, g.count
		FROM (SELECT city_key, COUNT(*) AS count FROM properties WHERE `+strings.Join(where, " AND ")+`
			GROUP BY city_key ORDER BY city_key LIMIT ?) g ORDER BY g.city_key`, append(args, limit)...)
	return out, mapErr(err)
}

// PropertyRow is what a new property row holds.
type PropertyRow struct {
	OwnerID     int64
	Name        string
	Description string
	Type        realty.PropertyType
	City        string
	CityKey     string
	At          time.Time
	// RoomCount and TotalArea are the aggregates of the rooms inserted with
	// it (realty.RoomTotals); later room writes keep them (TouchProperty).
	RoomCount int
	TotalArea realty.Area
	// Listing terms, as NewProperty.Normalized leaves them.
	Transaction *realty.Transaction
	Price       *realty.Price
	Currency    string
	Status      realty.ListingStatus
}

func (p PropertyRow) currency() string { return cmp.Or(p.Currency, realty.DefaultCurrency) }

func (p PropertyRow) status() realty.ListingStatus { return cmp.Or(p.Status, realty.DefaultStatus) }

// InsertProperty inserts a property row, and its words, and returns its id.
func (tx *Tx) InsertProperty(ctx context.Context, p PropertyRow) (int64, error) {
	id, err := tx.insertPropertyRow(ctx, p)
	if err != nil {
		return 0, err
	}
	return id, tx.insertWords(ctx, []propertyText{{id, p.Name, p.Description}})
}

// insertPropertyRow inserts a property row and returns its id.
func (tx *Tx) insertPropertyRow(ctx context.Context, p PropertyRow) (int64, error) {
	res, err := tx.tx.ExecContext(ctx, `INSERT INTO properties
		(owner_id, name, description, type, city, city_key, created_at, updated_at, room_count, total_area,
		transaction_type, price, currency, status, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		p.OwnerID, p.Name, p.Description, p.Type, p.City, p.CityKey, p.At, p.At, p.RoomCount, p.TotalArea,
		p.Transaction, p.Price, p.currency(), p.status())
	if err != nil {
		if isForeignKey(err) {
			return 0, fmt.Errorf("owner %d: %w", p.OwnerID, realty.ErrNotFound)
		}
		return 0, mapErr(err)
	}
	return res.LastInsertId()
}

// LockProperty returns a property's owner and version and, on MySQL, locks its
// row until the transaction ends (SQLite's transaction already holds the
// database's write lock). Every change to a property or its rooms starts here,
// so ownership and version checks cannot race with another writer.
func (tx *Tx) LockProperty(ctx context.Context, id int64) (owner, version int64, err error) {
	row := tx.tx.QueryRowxContext(ctx, "SELECT owner_id, version FROM properties WHERE id = ?"+tx.s.forUpdate, id)
	if err := row.Scan(&owner, &version); err != nil {
		return 0, 0, fmt.Errorf("property %d: %w", id, mapErr(err))
	}
	return owner, version, nil
}

// UpdateProperty applies a normalized patch (cityKey derived from its city)
// and increments the version.
func (tx *Tx) UpdateProperty(ctx context.Context, id int64, p realty.PropertyPatch, cityKey string, at time.Time) error {
	sets, args := []string{"updated_at = ?", "version = version + 1"}, []any{at}
	if p.Name != nil {
		sets, args = append(sets, "name = ?"), append(args, *p.Name)
	}
	if p.Description != nil {
		sets, args = append(sets, "description = ?"), append(args, *p.Description)
	}
	if p.Type != nil {
		sets, args = append(sets, "type = ?"), append(args, *p.Type)
	}
	if p.City != nil {
		sets, args = append(sets, "city = ?", "city_key = ?"), append(args, *p.City, cityKey)
	}
	if p.Transaction.Set {
		sets, args = append(sets, "transaction_type = ?"), append(args, p.Transaction.Ptr())
	}
	if p.Price.Set {
		sets, args = append(sets, "price = ?"), append(args, p.Price.Ptr())
	}
	if p.Currency != nil {
		sets, args = append(sets, "currency = ?"), append(args, *p.Currency)
	}
	if p.Status != nil {
		sets, args = append(sets, "status = ?"), append(args, *p.Status)
	}
	if _, err := tx.tx.ExecContext(ctx, "UPDATE properties SET "+strings.Join(sets, ", ")+" WHERE id = ?",
		append(args, id)...); err != nil {
		return mapErr(err)
	}
	if p.Name != nil || p.Description != nil {
		return tx.reindexWords(ctx, id)
	}
	return nil
}

// DeleteProperty deletes a property; its rooms, features and words go with
// it (ON DELETE CASCADE).
func (tx *Tx) DeleteProperty(ctx context.Context, id int64) error {
	_, err := tx.tx.ExecContext(ctx, "DELETE FROM properties WHERE id = ?", id)
	return mapErr(err)
}

// RoomSlots returns how many rooms a property has and the position of its
// last one (0 when it has none), after which new rooms go, in one query.
func (tx *Tx) RoomSlots(ctx context.Context, propertyID int64) (count, last int, err error) {
	err = tx.tx.QueryRowxContext(ctx, "SELECT COUNT(*), COALESCE(MAX(position), 0) FROM rooms WHERE property_id = ?",
		propertyID).Scan(&count, &last)
	return count, last, mapErr(err)
}

// InsertRooms inserts rooms at the positions after `after` (0 for a new
// property) and their features, in one statement each, and returns the
// rooms' ids in order. One room's id is the statement's LastInsertId, and
// on SQLite the ids of several are consecutive (see InsertProperties); on
// MySQL several are read back by position, because auto-increment ids need
// not be consecutive there (interleaved lock mode, Galera's increments).
func (tx *Tx) InsertRooms(ctx context.Context, propertyID int64, after int, rooms []realty.NewRoom) ([]int64, error) {
	if len(rooms) == 0 {
		return nil, nil
	}
	args := make([]any, 0, 7*len(rooms))
	for i := range rooms {
		args = appendRoom(args, propertyID, after+i+1, &rooms[i])
	}
	query := insertRooms + placeholders(len(rooms), 7)
	ids := make([]int64, 0, len(rooms))
	if len(rooms) == 1 || tx.s.dialect == migrations.SQLite {
		first, err := tx.insertConsecutive(ctx, query, len(rooms), args)
		if err != nil {
			return nil, err
		}
		for i := range rooms {
			ids = append(ids, first+int64(i))
		}
	} else {
		if _, err := tx.tx.ExecContext(ctx, query, args...); err != nil {
			return nil, mapErr(err)
		}
		if err := sqlx.SelectContext(ctx, tx.tx, &ids, `SELECT id FROM rooms WHERE property_id = ? AND position > ?
			ORDER BY position`, propertyID, after); err != nil {
			return nil, mapErr(err)
		}
	}
	if len(ids) != len(rooms) {
		return nil, fmt.Errorf("inserted %d rooms, read back %d", len(rooms), len(ids))
	}
	var features []any
	for i, r := range rooms {
		for _, f := range r.Features {
			features = append(features, ids[i], f)
		}
	}
	if err := tx.insertFeatures(ctx, features); err != nil {
		return nil, err
	}
	return ids, nil
}

// insertRooms starts an INSERT of rooms; appendRoom gives a row's values.
const insertRooms = `INSERT INTO rooms (property_id, position, type, name, area, level, description) VALUES `

func appendRoom(args []any, propertyID int64, position int, r *realty.NewRoom) []any {
	return append(args, propertyID, position, r.Type, r.Name, r.Area, r.Level, r.Description)
}

// insertFeatures inserts (room id, feature) pairs, bulkRows pairs a statement.
func (tx *Tx) insertFeatures(ctx context.Context, pairs []any) error {
	for block := range slices.Chunk(pairs, 2*bulkRows) {
		if _, err := tx.execMany(ctx, "INSERT INTO room_features (room_id, feature) VALUES "+
			placeholders(len(block)/2, 2), len(block)/2, block); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// NewPropertyRow is a property row with its rooms, as an import writes it.
type NewPropertyRow struct {
	PropertyRow
	Rooms []realty.NewRoom
}

// Bulk statements bind at most this many rows, well under SQLite's and
// MySQL's limits on placeholders (32766, 65535).
const bulkRows = 500

// InsertProperties inserts properties with their rooms, features and words
// and returns the properties' ids in order, in a few multi-row statements
// (one per table and bulkRows rows): statement preparation was a third of
// an import's CPU on SQLite, and a round trip a row made MySQL write 1 000
// properties a second. On SQLite the transaction holds the database's
// write lock, so the AUTOINCREMENT ids of a statement's rows are
// consecutive, in the order of its VALUES (SQLite gives each new row the
// largest id ever used plus one). MySQL gives no such guarantee
// (interleaved auto-increment locks, Galera's increments): there the ids
// are read back (insertPropertyRows, roomIDs).
func (tx *Tx) InsertProperties(ctx context.Context, ps []NewPropertyRow) ([]int64, error) {
	ids := make([]int64, 0, len(ps))
	var args []any
	if err := tx.waitTurn(ctx); err != nil { // a bulk load's parts insert their properties in order
		return nil, err
	}
	for block := range slices.Chunk(ps, bulkRows) {
		args = args[:0]
		for _, p := range block {
			args = append(args, p.OwnerID, p.Name, p.Description, p.Type, p.City, p.CityKey, p.At, p.At,
				p.RoomCount, p.TotalArea, p.Transaction, p.Price, p.currency(), p.status())
		}
		blockIDs, err := tx.insertPropertyRows(ctx, block, args)
		if err != nil {
			if isForeignKey(err) {
				return nil, fmt.Errorf("owner %d: %w", block[0].OwnerID, realty.ErrNotFound)
			}
			return nil, err
		}
		if len(ids)+len(block) == len(ps) {
			tx.passTurn()
		}
		texts := make([]propertyText, len(block))
		for i, p := range block {
			texts[i] = propertyText{blockIDs[i], p.Name, p.Description}
		}
		if err := tx.insertWords(ctx, texts); err != nil {
			return nil, err
		}
		ids = append(ids, blockIDs...)
	}
	type roomRow struct {
		property int64
		position int
		room     *realty.NewRoom
	}
	var rooms []roomRow
	for i, p := range ps {
		for j := range p.Rooms {
			rooms = append(rooms, roomRow{ids[i], j + 1, &p.Rooms[j]})
		}
	}
	var features []any
	for block := range slices.Chunk(rooms, bulkRows) {
		args = args[:0]
		for _, r := range block {
			args = appendRoom(args, r.property, r.position, r.room)
		}
		var roomIDs []int64
		if tx.s.dialect == migrations.SQLite {
			first, err := tx.insertConsecutive(ctx, insertRooms+placeholders(len(block), 7), len(block), args)
			if err != nil {
				return nil, err
			}
			for i := range block {
				roomIDs = append(roomIDs, first+int64(i))
			}
		} else {
			// A room is known by its property and position (a unique key):
			// its id is read back with the others of the block.
			if _, err := tx.execMany(ctx, insertRooms+placeholders(len(block), 7), len(block), args); err != nil {
				return nil, mapErr(err)
			}
			keys := make([]roomKey, len(block))
			for i, r := range block {
				keys[i] = roomKey{r.property, r.position}
			}
			var err error
			if roomIDs, err = tx.roomIDs(ctx, keys); err != nil {
				return nil, err
			}
		}
		for i, r := range block {
			for _, f := range r.room.Features {
				features = append(features, roomIDs[i], f)
			}
		}
	}
	if err := tx.insertFeatures(ctx, features); err != nil {
		return nil, err
	}
	return ids, nil
}

// insertPropertyRows writes a block of properties in one INSERT and returns
// their ids in order. SQLite gives a statement's rows consecutive ids. MySQL
// may not (interleaved auto-increment locks, Galera's increments): there
// the ids are read back, those from LAST_INSERT_ID() of the block's owner
// and creation time (the same for the block); should other rows have the
// same (the same owner importing at the same microsecond elsewhere), the
// block is written again a property at a time.
func (tx *Tx) insertPropertyRows(ctx context.Context, block []NewPropertyRow, args []any) ([]int64, error) {
	query := `INSERT INTO properties (owner_id, name, description, type, city, city_key, created_at, updated_at,
		room_count, total_area, transaction_type, price, currency, status, version) VALUES ` +
		placeholdersWith(len(block), 14, "1")
	if tx.s.dialect == migrations.SQLite {
		first, err := tx.insertConsecutive(ctx, query, len(block), args)
		if err != nil {
			return nil, err
		}
		ids := make([]int64, len(block))
		for i := range ids {
			ids[i] = first + int64(i)
		}
		return ids, nil
	}
	if _, err := tx.tx.ExecContext(ctx, "SAVEPOINT block"); err != nil {
		return nil, mapErr(err)
	}
	res, err := tx.execMany(ctx, query, len(block), args)
	if err != nil {
		return nil, mapErr(err)
	}
	first, err := res.LastInsertId()
	if err != nil {
		return nil, err
	}
	var ids []int64
	err = sqlx.SelectContext(ctx, tx.tx, &ids, `SELECT id FROM properties WHERE id >= ? AND owner_id = ? AND created_at = ?
		ORDER BY id LIMIT ?`, first, block[0].OwnerID, block[0].At, len(block)+1)
	if err != nil {
		return nil, mapErr(err)
	}
	if len(ids) == len(block) && sameOwnerAndTime(block) {
		return ids, nil
	}
	if _, err := tx.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT block"); err != nil {
		return nil, mapErr(err)
	}
	ids = ids[:0]
	for _, p := range block {
		id, err := tx.insertPropertyRow(ctx, p.PropertyRow)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// sameOwnerAndTime reports whether every property of a block has the
// owner and the time of the first.
func sameOwnerAndTime(block []NewPropertyRow) bool {
	for _, p := range block {
		if p.OwnerID != block[0].OwnerID || !p.At.Equal(block[0].At) {
			return false
		}
	}
	return true
}

// roomKey is a room's property and position.
type roomKey struct {
	property int64
	position int
}

// roomIDs reads the ids of rooms by their keys, in the keys' order.
func (tx *Tx) roomIDs(ctx context.Context, keys []roomKey) ([]int64, error) {
	var props []int64
	for i, k := range keys {
		if i == 0 || k.property != keys[i-1].property {
			props = append(props, k.property)
		}
	}
	where, args := in(nil, nil, "property_id", props)
	rows, err := tx.tx.QueryxContext(ctx, "SELECT id, property_id, position FROM rooms WHERE "+where[0], args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	byKey := make(map[roomKey]int64, len(keys))
	for rows.Next() {
		var id int64
		var k roomKey
		if err := rows.Scan(&id, &k.property, &k.position); err != nil {
			return nil, mapErr(err)
		}
		byKey[k] = id
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	ids := make([]int64, len(keys))
	for i, k := range keys {
		if ids[i] = byKey[k]; ids[i] == 0 {
			return nil, fmt.Errorf("room %d of property %d: not found after its insert", k.position, k.property)
		}
	}
	return ids, nil
}

// execMany runs a multi-row statement of n rows. The statements of full
// batches (bulkRows rows), the same text every time, are prepared:
//   - once on SQLite's writer connection: preparing one of several thousand
//     placeholders took a tenth of an import's time. The transaction holds
//     that one connection, so a statement met for the first time is
//     prepared by InChunks before its next transaction (bulkPending);
//   - once per transaction on MySQL, whose statements are otherwise sent
//     with their values written in (client-side interpolation, one round
//     trip): parsing them, values and all, was a sixth of the server's CPU
//     in an import; a prepared statement's values travel in binary.
func (tx *Tx) execMany(ctx context.Context, query string, n int, args []any) (sql.Result, error) {
	if n != bulkRows {
		return tx.tx.ExecContext(ctx, query, args...)
	}
	switch c := tx.tx.(type) {
	case *sqlx.Tx:
		if tx.s.dialect != migrations.SQLite {
			break
		}
		if st, ok := tx.s.stmts.Load(stmtKey{tx.s.write, query}); ok {
			return c.StmtxContext(ctx, st.(*sqlx.Stmt)).ExecContext(ctx, args...)
		}
		tx.s.bulkPending.Store(query, true)
	case *sqlx.Conn:
		st, ok := tx.stmts[query]
		if !ok {
			var err error
			if st, err = c.PreparexContext(ctx, query); err != nil {
				return nil, err
			}
			if tx.stmts == nil {
				tx.stmts = map[string]*sqlx.Stmt{}
			}
			tx.stmts[query] = st
		}
		return st.ExecContext(ctx, args...)
	}
	return tx.tx.ExecContext(ctx, query, args...)
}

// closeStmts closes the statements the transaction prepared.
func (tx *Tx) closeStmts() {
	for _, st := range tx.stmts {
		st.Close()
	}
	tx.stmts = nil
}

// prepareBulk prepares the statements execMany met in earlier transactions.
func (s *Store) prepareBulk(ctx context.Context) error {
	var err error
	s.bulkPending.Range(func(k, _ any) bool {
		if _, err = s.stmt(ctx, s.write, k.(string)); err != nil {
			return false
		}
		s.bulkPending.Delete(k)
		return true
	})
	return err
}

// insertConsecutive runs a multi-row INSERT of n rows and returns the id of
// its first row, the others following it: on SQLite, or for one row.
func (tx *Tx) insertConsecutive(ctx context.Context, query string, n int, args []any) (int64, error) {
	res, err := tx.execMany(ctx, query, n, args)
	if err != nil {
		return 0, mapErr(err)
	}
	last, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if got, err := res.RowsAffected(); err != nil || got != int64(n) {
		return 0, fmt.Errorf("inserted %d rows of %d: %v", got, n, err)
	}
	return last - int64(n) + 1, nil
}

// placeholders returns "(?, ?), (?, ?)" for rows of n columns.
func placeholders(rows, n int) string {
	return placeholdersWith(rows, n, "")
}

// placeholdersWith returns placeholders with a constant last column:
// "(?, ?, 1), (?, ?, 1)".
func placeholdersWith(rows, n int, constant string) string {
	row := strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
	if constant != "" {
		row += ", " + constant
	}
	return strings.TrimSuffix(strings.Repeat("("+row+"), ", rows), ", ")
}

// RoomOf checks that a room belongs to a property (ErrNotFound otherwise).
func (tx *Tx) RoomOf(ctx context.Context, propertyID, roomID int64) error {
	var n int
	err := tx.tx.QueryRowxContext(ctx, "SELECT COUNT(*) FROM rooms WHERE id = ? AND property_id = ?",
		roomID, propertyID).Scan(&n)
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return fmt.Errorf("room %d of property %d: %w", roomID, propertyID, realty.ErrNotFound)
	}
	return nil
}

// UpdateRoom applies a normalized patch to a room.
func (tx *Tx) UpdateRoom(ctx context.Context, roomID int64, p realty.RoomPatch) error {
	var sets []string
	var args []any
	if p.Type != nil {
		sets, args = append(sets, "type = ?"), append(args, *p.Type)
	}
	if p.Name != nil {
		sets, args = append(sets, "name = ?"), append(args, *p.Name)
	}
	if p.Description != nil {
		sets, args = append(sets, "description = ?"), append(args, *p.Description)
	}
	if p.Area.Set {
		sets, args = append(sets, "area = ?"), append(args, p.Area.Ptr())
	}
	if p.Level.Set {
		sets, args = append(sets, "level = ?"), append(args, p.Level.Ptr())
	}
	if len(sets) > 0 {
		if _, err := tx.tx.ExecContext(ctx, "UPDATE rooms SET "+strings.Join(sets, ", ")+" WHERE id = ?",
			append(args, roomID)...); err != nil {
			return mapErr(err)
		}
	}
	if p.Features == nil {
		return nil
	}
	if _, err := tx.tx.ExecContext(ctx, "DELETE FROM room_features WHERE room_id = ?", roomID); err != nil {
		return mapErr(err)
	}
	if len(*p.Features) == 0 {
		return nil
	}
	features := make([]any, 0, 2*len(*p.Features))
	for _, f := range *p.Features {
		features = append(features, roomID, f)
	}
	_, err := tx.tx.ExecContext(ctx, "INSERT INTO room_features (room_id, feature) VALUES "+
		placeholders(len(*p.Features), 2), features...)
	return mapErr(err)
}

// DeleteRoom deletes a room and its features.
func (tx *Tx) DeleteRoom(ctx context.Context, roomID int64) error {
	_, err := tx.tx.ExecContext(ctx, "DELETE FROM rooms WHERE id = ?", roomID)
	return mapErr(err)
}

// TouchProperty increments a property's version after a change to its rooms,
// and stores their count and total area again, from the rooms as the
// transaction sees them (two indexed aggregates over one property's rooms).
func (tx *Tx) TouchProperty(ctx context.Context, id int64, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE properties SET version = version + 1, updated_at = ?,
		room_count = (SELECT COUNT(*) FROM rooms r WHERE r.property_id = ?),
		total_area = (SELECT COALESCE(SUM(r.area), 0) FROM rooms r WHERE r.property_id = ?)
		WHERE id = ?`, at, id, id, id)
	return mapErr(err)
}
