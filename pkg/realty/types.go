// Package realty holds the domain of realty: users, properties and their
// rooms, the validation rules, the typed errors and the Service interface
// that the CLI, the TUI and the HTTP server all talk to.
//
// Two things implement Service: internal/service (directly on a database)
// and pkg/client (over HTTP, against `realty serve`). Both behave the same.
package realty

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// User is a user's full profile, as seen by that user only.
type User struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	FirstName string    `json:"first_name"`
	LastName  string    `json:"last_name"`
	BirthDate *Date     `json:"birth_date"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Public returns what other users may see of u.
func (u User) Public() PublicUser {
	return PublicUser{ID: u.ID, FirstName: u.FirstName, LastName: u.LastName}
}

// PublicUser is what anybody may see of a user: never the email or birth date.
type PublicUser struct {
	ID        int64  `json:"id"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

// Session is the result of a successful log-in. Token is a secret: show it to
// nobody, log it nowhere.
type Session struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	User      User      `json:"user"`
}

// PropertySummary is a property without its rooms, as in list pages.
type PropertySummary struct {
	ID          int64        `json:"id"`
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Type        PropertyType `json:"type"`
	City        string       `json:"city"`
	Owner       PublicUser   `json:"owner"`
	// Listing terms: Transaction nil for a property that is not listed;
	// Price nil when none is given (a rent is per month).
	Transaction *Transaction  `json:"transaction"`
	Price       *Price        `json:"price"`
	Currency    string        `json:"currency"`
	Status      ListingStatus `json:"status"`
	RoomCount   int           `json:"room_count"`
	TotalArea   Area          `json:"total_area"`
	Version     int64         `json:"version"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

// Property is one property with its rooms, in their order.
type Property struct {
	PropertySummary
	Rooms []Room `json:"rooms"`
}

// Room is one room of a property.
type Room struct {
	ID          int64    `json:"id"`
	Type        RoomType `json:"type"`
	Name        string   `json:"name"`
	Area        *Area    `json:"area"`
	Level       *int     `json:"level"`
	Description string   `json:"description"`
	Features    []string `json:"features"`
	// PropertyVersion is the version of the room's property (its ETag):
	// after a room write, the version to send with the next change.
	PropertyVersion int64 `json:"property_version"`
}

// CityCount is a city that has properties, with how many.
type CityCount struct {
	City  string `json:"city"`
	Count int    `json:"count"`
}

// Page is one page of a keyset-paginated list. NextCursor is empty on the
// last page.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// MarshalJSON writes an empty page as "items": [] and the last page's cursor
// as null, so that every member is always present.
func (p Page[T]) MarshalJSON() ([]byte, error) {
	items := p.Items
	if items == nil {
		items = []T{}
	}
	var cursor *string
	if p.NextCursor != "" {
		cursor = &p.NextCursor
	}
	return json.Marshal(struct {
		Items      []T     `json:"items"`
		NextCursor *string `json:"next_cursor"`
	}{items, cursor})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (p *Page[T]) UnmarshalJSON(b []byte) error {
	var v struct {
		Items      []T     `json:"items"`
		NextCursor *string `json:"next_cursor"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	p.Items, p.NextCursor = v.Items, ""
	if v.NextCursor != nil {
		p.NextCursor = *v.NextCursor
	}
	return nil
}

// PropertyFilter selects and pages properties. Zero fields do not filter.
type PropertyFilter struct {
	City        string          // compared by CityKey: case, accents and hyphens do not matter
	Types       []PropertyType  // any of these types
	OwnerID     int64           //
	Search      string          // words of the name or description, each matching the start of a word (SearchWords)
	Statuses    []ListingStatus // any of these statuses
	Transaction Transaction     // sale or rent
	// Bounds, inclusive; a price bound leaves out the properties without a
	// price, and rooms and area are the property's totals.
	MinPrice, MaxPrice *Price
	MinRooms, MaxRooms *int
	MinArea, MaxArea   *Area
	Features           []string // every one on some room of the property
	Sort               Sort     // the order: "" or id by default (Sorts)
	Limit              int      // page size: 0 means DefaultPageSize; clamped to MaxPageSize
	Cursor             string   // NextCursor of the previous page
}

// CityFilter selects and pages cities.
type CityFilter struct {
	Prefix string // only cities whose key starts with the key of this text ("saint e" finds Saint-Étienne)
	Limit  int    // page size: 0 means DefaultPageSize; clamped to MaxPageSize
	Cursor string // NextCursor of the previous page
}

// Page sizes.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// NewUser is what registration takes.
type NewUser struct {
	Email     string `json:"email"`
	Password  string `json:"password"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	BirthDate *Date  `json:"birth_date"`
}

// Credentials is what log-in takes.
type Credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// UserPatch changes a profile: nil members are left as they are;
// BirthDate.Set with Valid false clears the birth date. Changing the email
// (the log-in name) needs the current password, as changing the password
// does: a stolen token alone cannot take the account over.
type UserPatch struct {
	Email           *string        `json:"email,omitempty"`
	FirstName       *string        `json:"first_name,omitempty"`
	LastName        *string        `json:"last_name,omitempty"`
	BirthDate       Nullable[Date] `json:"birth_date,omitzero"`
	CurrentPassword string         `json:"current_password,omitempty"`
}

// PasswordChange is what a password change takes.
type PasswordChange struct {
	Current string `json:"current_password"`
	New     string `json:"new_password"`
}

// AccountDeletion is what deleting one's account takes: the password.
type AccountDeletion struct {
	Password string `json:"password"`
}

// NewProperty is what creating a property takes, rooms included. The
// listing terms are optional: not listed, EUR, available by default.
type NewProperty struct {
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Type        PropertyType  `json:"type"`
	City        string        `json:"city"`
	Transaction *Transaction  `json:"transaction,omitempty"`
	Price       *Price        `json:"price,omitempty"`
	Currency    string        `json:"currency,omitempty"`
	Status      ListingStatus `json:"status,omitempty"`
	Rooms       []NewRoom     `json:"rooms,omitempty"`
}

// NewRoom is what adding a room takes.
type NewRoom struct {
	Type        RoomType `json:"type"`
	Name        string   `json:"name"`
	Area        *Area    `json:"area"`
	Level       *int     `json:"level"`
	Description string   `json:"description"`
	Features    []string `json:"features,omitempty"`
}

// PropertyPatch changes a property: nil members are left as they are.
type PropertyPatch struct {
	Name        *string               `json:"name,omitempty"`
	Description *string               `json:"description,omitempty"`
	Type        *PropertyType         `json:"type,omitempty"`
	City        *string               `json:"city,omitempty"`
	Transaction Nullable[Transaction] `json:"transaction,omitzero"`
	Price       Nullable[Price]       `json:"price,omitzero"`
	Currency    *string               `json:"currency,omitempty"`
	Status      *ListingStatus        `json:"status,omitempty"`
}

// RoomPatch changes a room: nil members are left as they are; Area and Level
// can be cleared (Set with Valid false); Features, when set, replaces the set.
type RoomPatch struct {
	Type        *RoomType      `json:"type,omitempty"`
	Name        *string        `json:"name,omitempty"`
	Area        Nullable[Area] `json:"area,omitzero"`
	Level       Nullable[int]  `json:"level,omitzero"`
	Description *string        `json:"description,omitempty"`
	Features    *[]string      `json:"features,omitempty"`
}

// Nullable is a patch member that can be absent (Set false), null (Set true,
// Valid false) or a value, as JSON Merge Patch (RFC 7396) distinguishes them.
type Nullable[T any] struct {
	Set   bool
	Valid bool
	V     T
}

// Value returns a Nullable holding v.
func Value[T any](v T) Nullable[T] { return Nullable[T]{Set: true, Valid: true, V: v} }

// Null returns a Nullable that clears the member.
func Null[T any]() Nullable[T] { return Nullable[T]{Set: true} }

// IsZero reports an absent member (for the omitzero JSON option).
func (n Nullable[T]) IsZero() bool { return !n.Set }

// Ptr returns nil for null, or a pointer to the value.
func (n Nullable[T]) Ptr() *T {
	if !n.Valid {
		return nil
	}
	v := n.V
	return &v
}

// MarshalJSON writes null or the value.
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if !n.Valid {
		return []byte("null"), nil
	}
	return json.Marshal(n.V)
}

// UnmarshalJSON is only called for members present in the input.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	n.Set = true
	if string(b) == "null" {
		n.Valid = false
		return nil
	}
	n.Valid = true
	return json.Unmarshal(b, &n.V)
}

// IDCursor is the cursor of the properties after id, in id order: a page
// asked with it starts at the first property whose id is greater (shell
// completion of ids by prefix starts there). It is base64url of "p:<id>".
func IDCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(idCursorPrefix + strconv.FormatInt(id, 10)))
}

const idCursorPrefix = "p:"

// ParseIDCursor returns the id after which an IDCursor lists (0 for no
// cursor), or a validation error naming the cursor.
func ParseIDCursor(c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	bad := Invalid("cursor", "is not a cursor returned by a previous page")
	b, err := base64.RawURLEncoding.DecodeString(c)
	rest, ok := strings.CutPrefix(string(b), idCursorPrefix)
	if err != nil || !ok {
		return 0, bad
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || id < 0 {
		return 0, bad
	}
	return id, nil
}

// Names returns enum values (PropertyTypes, RoomTypes) as strings, for
// menus, completion and help.
func Names[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
