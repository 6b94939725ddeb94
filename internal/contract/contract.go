// Package contract is the behaviour every realty.Service must have, as a test
// suite. It runs against the local service on SQLite and MySQL and, through
// pkg/client, against the HTTP server: a behaviour that differs between
// modes fails here.
package contract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/realtyhq/realty/pkg/realty"
)

// ServiceFor returns Service values acting for a token ("" for nobody), all
// on the same fresh, empty database: one backend of the suite.
type ServiceFor func(token string) realty.Service

// Run runs the whole suite; newBackend is called once per test for a fresh database.
func Run(t *testing.T, newBackend func(t *testing.T) ServiceFor) {
	tests := []struct {
		name string
		fn   func(t *testing.T, e *env)
	}{
		{"RegisterLoginLogout", testRegisterLoginLogout},
		{"RegisterValidation", testRegisterValidation},
		{"Profile", testProfile},
		{"ChangePassword", testChangePassword},
		{"CreateAndGetProperty", testCreateAndGet},
		{"PropertyValidation", testPropertyValidation},
		{"FilterByCityTypeOwner", testFilters},
		{"SearchWords", testSearch},
		{"Pagination", testPagination},
		{"PaginationWhileInserting", testPaginationWhileInserting},
		{"OwnerEdits", testOwnerEdits},
		{"RoomAggregatesFollowRoomWrites", testRoomAggregates},
		{"ListingTerms", testListingTerms},
		{"ListingFilters", testListingFilters},
		{"SortedPagesWhileRowsChange", testSorting},
		{"NonOwnerForbidden", testNonOwnerForbidden},
		{"AnonymousWrites", testAnonymousWrites},
		{"VersionPrecondition", testVersionPrecondition},
		{"RoomMustBelongToProperty", testRoomBelongs},
		{"RoomLimits", testRoomLimits},
		{"ImportProperties", testImport},
		{"History", testHistory},
		{"IdempotentCreates", testIdempotentCreates},
		{"DeleteAccount", testDeleteAccount},
		{"ListWithRooms", testListWithRooms},
		{"ExportImportRoundTrip", testExportImportRoundTrip},
		{"CityPagination", testCityPagination},
		{"ErrorKinds", testErrorKinds},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each test has its own database
			tc.fn(t, &env{t: t, backend: newBackend(t), ctx: context.Background()})
		})
	}
}

type env struct {
	t       *testing.T
	backend ServiceFor
	ctx     context.Context
}

// user is a registered, logged-in user.
type user struct {
	realty.User
	password string
	svc      realty.Service
	token    string
}

func (e *env) anon() realty.Service { return e.backend("") }

func (e *env) register(first string) user {
	e.t.Helper()
	email := strings.ToLower(first) + "@example.com"
	bd := realty.Date{Year: 1990, Month: time.May, Day: 17}
	password := "correct horse " + first
	u, err := e.anon().Register(e.ctx, realty.NewUser{Email: email, Password: password, FirstName: first,
		LastName: "Martin", BirthDate: &bd})
	if err != nil {
		e.t.Fatalf("register %s: %v", first, err)
	}
	s, err := e.anon().Login(e.ctx, realty.Credentials{Email: email, Password: password})
	if err != nil {
		e.t.Fatalf("login %s: %v", first, err)
	}
	return user{User: u, password: password, svc: e.backend(s.Token), token: s.Token}
}

func area(s string) *realty.Area {
	a, err := realty.ParseArea(s)
	if err != nil {
		panic(err)
	}
	return &a
}

func level(n int) *int { return &n }

func sampleProperty(name, city string) realty.NewProperty {
	return realty.NewProperty{
		Name: name, Description: "Bright, quiet, near the park", Type: "apartment", City: city,
		Rooms: []realty.NewRoom{
			{Type: "living_room", Name: "Living room", Area: area("24.35"), Level: level(2), Features: []string{"South-facing", " fireplace ", "fireplace"}},
			{Type: "bedroom", Name: "Master bedroom", Area: area("12.5"), Level: level(2), Description: "Wardrobe"},
			{Type: "bathroom"},
		},
	}
}

func (e *env) create(u user, name, city string) realty.Property {
	e.t.Helper()
	p, err := u.svc.CreateProperty(e.ctx, sampleProperty(name, city))
	if err != nil {
		e.t.Fatalf("create %q: %v", name, err)
	}
	return p
}

func (e *env) get(id int64) realty.Property {
	e.t.Helper()
	p, err := e.anon().Property(e.ctx, id)
	if err != nil {
		e.t.Fatalf("get property %d: %v", id, err)
	}
	return p
}

// wantErr fails unless err wraps target.
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: got error %v, want %v", what, err, target)
	}
}

// wantInvalid fails unless err is a ValidationError naming exactly fields.
func wantInvalid(t *testing.T, what string, err error, fields ...string) {
	t.Helper()
	var ve *realty.ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("%s: got error %v, want a validation error on %v", what, err, fields)
		return
	}
	slices.Sort(fields)
	if got := ve.FieldNames(); !slices.Equal(got, fields) {
		t.Errorf("%s: validation error on %v, want %v (%v)", what, got, fields, err)
	}
	for _, f := range ve.Fields {
		if f.Message == "" {
			t.Errorf("%s: field %s has no message", what, f.Field)
		}
	}
}

// same fails unless a and b marshal to the same JSON.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("%s:\n got  %s\n want %s", what, g, w)
	}
}

func must[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

func ids(items []realty.PropertySummary) []int64 {
	out := make([]int64, len(items))
	for i, p := range items {
		out[i] = p.ID
	}
	return out
}

// listAll follows cursors to the end and returns every id seen.
func (e *env) listAll(f realty.PropertyFilter, between func(page int)) []int64 {
	e.t.Helper()
	var all []int64
	for page := 0; ; page++ {
		p, err := e.anon().Properties(e.ctx, f)
		if err != nil {
			e.t.Fatalf("list page %d: %v", page, err)
		}
		all = append(all, ids(p.Items)...)
		if p.NextCursor == "" {
			return all
		}
		if len(p.Items) != f.Limit {
			e.t.Fatalf("page %d has %d items and a next cursor; want %d", page, len(p.Items), f.Limit)
		}
		if between != nil {
			between(page)
		}
		f.Cursor = p.NextCursor
		if page > 1000 {
			e.t.Fatal("pagination does not end")
		}
	}
}

func describe(v any) string { return fmt.Sprintf("%+v", v) }
