package realty

import (
	"fmt"
	"slices"
	"strings"
)

// PropertyType is the kind of a property.
type PropertyType string

// RoomType is the kind of a room.
type RoomType string

// PropertyTypes lists every valid property type, in display order.
var PropertyTypes = []PropertyType{
	"apartment", "house", "studio", "loft", "duplex", "villa", "townhouse",
	"land", "office", "retail", "warehouse", "parking", "other",
}

// RoomTypes lists every valid room type, in display order.
var RoomTypes = []RoomType{
	"living_room", "dining_room", "kitchen", "bedroom", "bathroom", "toilet", "office",
	"laundry", "storage", "cellar", "garage", "attic", "hallway", "balcony", "terrace", "other",
}

// Valid reports whether t is one of PropertyTypes.
func (t PropertyType) Valid() bool { return slices.Contains(PropertyTypes, t) }

// Valid reports whether t is one of RoomTypes.
func (t RoomType) Valid() bool { return slices.Contains(RoomTypes, t) }

func enumMessage[T ~string](values []T) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return "must be one of " + strings.Join(s, ", ")
}

// ParsePropertyType accepts a type name in any case, with '-' or ' ' for '_'.
func ParsePropertyType(s string) (PropertyType, error) {
	t := PropertyType(NormalizeEnum(s))
	if !t.Valid() {
		return t, fmt.Errorf("unknown property type %q: %s", s, enumMessage(PropertyTypes))
	}
	return t, nil
}

// ParseRoomType accepts a type name in any case, with '-' or ' ' for '_'.
func ParseRoomType(s string) (RoomType, error) {
	t := RoomType(NormalizeEnum(s))
	if !t.Valid() {
		return t, fmt.Errorf("unknown room type %q: %s", s, enumMessage(RoomTypes))
	}
	return t, nil
}

// NormalizeEnum lets people type a type name in any case, with '-' or ' '
// for '_' ("Living room" for living_room); validation decides whether the
// result is one.
func NormalizeEnum(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer("-", "_", " ", "_").Replace(s)
}
