package realty

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
)

// Sort orders a list of properties. Every order ends with the id (in the
// order's direction), so that it is total and pages can follow it by key.
type Sort string

// Sorts lists every order: id (the default: oldest first), newest and
// updated (most recent first), price, area and rooms (smallest first;
// "-" for largest first). Properties without a price come last in both
// price orders.
var Sorts = []Sort{"id", "newest", "updated", "price", "-price", "area", "-area", "rooms", "-rooms"}

// Valid reports whether s is one of Sorts.
func (s Sort) Valid() bool { return slices.Contains(Sorts, s) }

// SortKey is where a page of a sorted list ends: the last property's key
// in the order (Null for a property without a price) and its id. Times are
// Unix microseconds; prices and areas hundredths; rooms a count.
type SortKey struct {
	Sort Sort
	Key  int64
	Null bool
	ID   int64
}

// SortCursor is the cursor of the properties after k in its order;
// IDCursor's in id order.
func SortCursor(k SortKey) string {
	if k.Sort == "" || k.Sort == "id" {
		return IDCursor(k.ID)
	}
	key := strconv.FormatInt(k.Key, 10)
	if k.Null {
		key = "~"
	}
	return base64.RawURLEncoding.EncodeToString([]byte("s:" + string(k.Sort) + ":" + key + ":" +
		strconv.FormatInt(k.ID, 10)))
}

// ParseSortCursor reads a cursor for a list in order sort (a zero key for
// no cursor), or a validation error naming the cursor: one of another
// order is refused.
func ParseSortCursor(sort Sort, c string) (SortKey, error) {
	if sort == "" || sort == "id" {
		id, err := ParseIDCursor(c)
		return SortKey{Sort: "id", ID: id}, err
	}
	if c == "" {
		return SortKey{Sort: sort}, nil
	}
	bad := Invalid("cursor", "is not a cursor returned by a previous page of this order (sort=%s)", sort)
	b, err := base64.RawURLEncoding.DecodeString(c)
	parts := strings.Split(string(b), ":")
	if err != nil || len(parts) != 4 || parts[0] != "s" || Sort(parts[1]) != sort {
		return SortKey{}, bad
	}
	k := SortKey{Sort: sort, Null: parts[2] == "~"}
	if !k.Null {
		if k.Key, err = strconv.ParseInt(parts[2], 10, 64); err != nil {
			return SortKey{}, bad
		}
	}
	if k.Null && sort != "price" && sort != "-price" {
		return SortKey{}, bad
	}
	if k.ID, err = strconv.ParseInt(parts[3], 10, 64); err != nil || k.ID < 1 {
		return SortKey{}, bad
	}
	return k, nil
}

// KeyOf is p's key in order s.
func KeyOf(s Sort, p PropertySummary) SortKey {
	k := SortKey{Sort: s, ID: p.ID}
	switch strings.TrimPrefix(string(s), "-") {
	case "newest":
		k.Key = p.CreatedAt.UnixMicro()
	case "updated":
		k.Key = p.UpdatedAt.UnixMicro()
	case "price":
		if p.Price == nil {
			k.Null = true
		} else {
			k.Key = int64(*p.Price)
		}
	case "area":
		k.Key = int64(p.TotalArea)
	case "rooms":
		k.Key = int64(p.RoomCount)
	}
	return k
}

// Bounds are a list's bounds as people type them (flags, a form): empty
// for none. Parse puts them into a filter.
type Bounds struct {
	MinPrice, MaxPrice, MinRooms, MaxRooms, MinArea, MaxArea string
}

// Parse sets f's bounds from b; the texts that are not numbers are
// problems named by their member (min_price...), every one at once.
func (b Bounds) Parse(f *PropertyFilter) error {
	var p Problems
	f.MinPrice, f.MaxPrice = parseBound(&p, "min_price", b.MinPrice, ParsePrice, "an amount such as 400000 or 1150.50"),
		parseBound(&p, "max_price", b.MaxPrice, ParsePrice, "an amount such as 400000 or 1150.50")
	f.MinRooms, f.MaxRooms = parseBound(&p, "min_rooms", b.MinRooms, strconv.Atoi, "a whole number"),
		parseBound(&p, "max_rooms", b.MaxRooms, strconv.Atoi, "a whole number")
	f.MinArea, f.MaxArea = parseBound(&p, "min_area", b.MinArea, ParseArea, "a number of m² such as 60 or 72.5"),
		parseBound(&p, "max_area", b.MaxArea, ParseArea, "a number of m² such as 60 or 72.5")
	return p.Err()
}

func parseBound[T any](p *Problems, field, s string, parse func(string) (T, error), want string) *T {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	v, err := parse(s)
	if err != nil {
		p.Add(field, "must be %s", want)
		return nil
	}
	return &v
}
