package realty

import (
	"database/sql/driver"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Area is a surface in square metres, exact to the hundredth (stored as
// hundredths so that sums never drift). JSON: a number such as 12.5.
type Area int64

// MaxArea is the largest room area accepted: 10 000 m².
const MaxArea Area = 10000 * 100

// ParseArea parses a decimal number of square metres with at most two decimals.
func ParseArea(s string) (Area, error) {
	s = strings.TrimSpace(s)
	bad := areaError(s)
	if s == "" || len(s) > 20 {
		return 0, bad
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || !digits(whole) || (hasDot && (frac == "" || !digits(frac) || len(frac) > 2)) {
		return 0, bad
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > math.MaxInt64/1000 {
		return 0, bad
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	a := Area(w*100 + f)
	if neg {
		a = -a
	}
	return a, nil
}

// areaError says why s is not an area; an error type, so that the parse of
// a valid area (a batch import holds thousands) formats no message.
type areaError string

func (e areaError) Error() string {
	return fmt.Sprintf("%q is not an area in m² with at most 2 decimals", string(e))
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// AreaFromFloat rounds a float number of square metres to the hundredth.
func AreaFromFloat(f float64) Area { return Area(math.Round(f * 100)) }

// String formats the area in square metres without trailing zeros ("12.5").
func (a Area) String() string { return string(a.append(make([]byte, 0, 12))) }

// append appends the area as String formats it, without allocating: it is
// written for every room and every summary of a page.
func (a Area) append(b []byte) []byte {
	whole, frac := int64(a)/100, int64(a)%100
	if frac < 0 {
		frac = -frac
		if whole == 0 {
			b = append(b, '-')
		}
	}
	b = strconv.AppendInt(b, whole, 10)
	switch {
	case frac == 0:
		return b
	case frac%10 == 0:
		return append(b, '.', byte('0'+frac/10))
	}
	return append(b, '.', byte('0'+frac/10), byte('0'+frac%10))
}

// MarshalJSON writes the area as a JSON number.
func (a Area) MarshalJSON() ([]byte, error) { return a.append(make([]byte, 0, 12)), nil }

// UnmarshalJSON reads a JSON number with at most two decimals.
func (a *Area) UnmarshalJSON(b []byte) error {
	v, err := ParseArea(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Value implements driver.Valuer: a decimal string, exact for DECIMAL(7,2).
func (a Area) Value() (driver.Value, error) {
	return a.String(), nil
}

// Scan implements sql.Scanner for DECIMAL (MySQL: text) and NUMERIC (SQLite:
// integer or real) columns.
func (a *Area) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*a = Area(v * 100)
	case float64:
		*a = AreaFromFloat(v)
	case []byte:
		return a.scanText(string(v))
	case string:
		return a.scanText(v)
	default:
		return fmt.Errorf("realty.Area: cannot scan %T", src)
	}
	return nil
}

func (a *Area) scanText(s string) error {
	if v, err := ParseArea(s); err == nil {
		*a = v
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("realty.Area: cannot scan %q", s)
	}
	*a = AreaFromFloat(f)
	return nil
}

// AreaText shows an area for people: "12.5 m²", or "-" when unknown.
func AreaText(a *Area) string {
	if a == nil {
		return "-"
	}
	return a.String() + " m²"
}

// LevelText shows a level for people: "2", or "-" when unknown.
func LevelText(l *int) string {
	if l == nil {
		return "-"
	}
	return strconv.Itoa(*l)
}

// RoomTotals returns the room count and total area of new rooms, as a
// property stores them (rooms without an area count for none).
func RoomTotals(rooms []NewRoom) (count int, total Area) {
	for _, r := range rooms {
		if r.Area != nil {
			total += *r.Area
		}
	}
	return len(rooms), total
}
