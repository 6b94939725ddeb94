package contract

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/realtyhq/realty/pkg/realty"
)

func testRegisterLoginLogout(t *testing.T, e *env) {
	bd := realty.Date{Year: 1985, Month: time.February, Day: 3}
	u, err := e.anon().Register(e.ctx, realty.NewUser{Email: "  Alice@Example.COM ", Password: "s3cret-password",
		FirstName: " Alice ", LastName: "Martin", BirthDate: &bd})
	if err != nil {
		t.Fatal(err)
	}
	if u.ID == 0 || u.Email != "alice@example.com" || u.FirstName != "Alice" || u.BirthDate == nil || *u.BirthDate != bd {
		t.Errorf("registered user = %s", describe(u))
	}
	if u.CreatedAt.IsZero() || u.CreatedAt.Location() != time.UTC {
		t.Errorf("created_at = %v, want a UTC time", u.CreatedAt)
	}

	_, err = e.anon().Register(e.ctx, realty.NewUser{Email: "ALICE@example.com", Password: "another-password",
		FirstName: "Other", LastName: "Alice"})
	wantErr(t, "duplicate email, other case", err, realty.ErrConflict)

	_, err = e.anon().Login(e.ctx, realty.Credentials{Email: "alice@example.com", Password: "wrong-password"})
	wantErr(t, "wrong password", err, realty.ErrUnauthenticated)
	_, err = e.anon().Login(e.ctx, realty.Credentials{Email: "nobody@example.com", Password: "s3cret-password"})
	wantErr(t, "unknown email", err, realty.ErrUnauthenticated)
	_, err = e.anon().Login(e.ctx, realty.Credentials{})
	wantInvalid(t, "empty credentials", err, "email", "password")

	s, err := e.anon().Login(e.ctx, realty.Credentials{Email: "ALICE@example.com", Password: "s3cret-password"})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Token) < 43 || s.User.ID != u.ID || !s.ExpiresAt.After(time.Now()) {
		t.Errorf("session = token of %d chars, user %d, expires %v", len(s.Token), s.User.ID, s.ExpiresAt)
	}
	me := must[realty.User](t, "me")(e.backend(s.Token).Me(e.ctx))
	same(t, "me", me, u)

	_, err = e.anon().Me(e.ctx)
	wantErr(t, "me without token", err, realty.ErrUnauthenticated)
	_, err = e.backend("rty_not-a-real-token").Me(e.ctx)
	wantErr(t, "me with a forged token", err, realty.ErrUnauthenticated)

	// Two sessions; logging out of one leaves the other.
	s2 := must[realty.Session](t, "second login")(e.anon().Login(e.ctx, realty.Credentials{Email: "alice@example.com", Password: "s3cret-password"}))
	if s2.Token == s.Token {
		t.Error("two log-ins returned the same token")
	}
	if err := e.backend(s.Token).Logout(e.ctx); err != nil {
		t.Fatal(err)
	}
	_, err = e.backend(s.Token).Me(e.ctx)
	wantErr(t, "me after logout", err, realty.ErrUnauthenticated)
	wantErr(t, "logout twice", e.backend(s.Token).Logout(e.ctx), realty.ErrUnauthenticated)
	must[realty.User](t, "other session")(e.backend(s2.Token).Me(e.ctx))
}

func testRegisterValidation(t *testing.T, e *env) {
	future := realty.DateOf(time.Now().AddDate(0, 0, 2))
	old := realty.Date{Year: 1899, Month: time.December, Day: 31}
	cases := []struct {
		name   string
		in     realty.NewUser
		fields []string
	}{
		{"everything missing", realty.NewUser{}, []string{"email", "password", "first_name", "last_name"}},
		{"everything wrong", realty.NewUser{Email: "not-an-email", Password: "short", FirstName: strings.Repeat("a", 101),
			LastName: "Tab\tName", BirthDate: &future}, []string{"email", "password", "first_name", "last_name", "birth_date"}},
		{"born before 1900", realty.NewUser{Email: "old@example.com", Password: "long enough", FirstName: "A", LastName: "B",
			BirthDate: &old}, []string{"birth_date"}},
		{"password too long", realty.NewUser{Email: "long@example.com", Password: strings.Repeat("p", 129), FirstName: "A",
			LastName: "B"}, []string{"password"}},
		{"email too long", realty.NewUser{Email: strings.Repeat("a", 250) + "@example.com", Password: "long enough",
			FirstName: "A", LastName: "B"}, []string{"email"}},
		{"blank names", realty.NewUser{Email: "blank@example.com", Password: "long enough", FirstName: "   ", LastName: "\n"},
			[]string{"first_name", "last_name"}},
		{"display name in email", realty.NewUser{Email: "Alice <alice@example.com>", Password: "long enough",
			FirstName: "A", LastName: "B"}, []string{"email"}},
	}
	for _, c := range cases {
		_, err := e.anon().Register(e.ctx, c.in)
		wantInvalid(t, c.name, err, c.fields...)
	}
	// Nothing was stored: the valid email of a rejected registration is free.
	_, err := e.anon().Register(e.ctx, realty.NewUser{Email: "old@example.com", Password: "long enough", FirstName: "A", LastName: "B"})
	if err != nil {
		t.Errorf("register after rejected attempts: %v", err)
	}

	// "é" precomposed (NFC) and decomposed (NFD) is one address, one account;
	// and the account logs in with either spelling.
	_, err = e.anon().Register(e.ctx, realty.NewUser{Email: "ren\u00e9@example.com", Password: "long enough", FirstName: "René", LastName: "B"})
	if err != nil {
		t.Fatalf("register NFC email: %v", err)
	}
	_, err = e.anon().Register(e.ctx, realty.NewUser{Email: "RENE\u0301@example.com", Password: "long enough", FirstName: "René", LastName: "C"})
	wantErr(t, "register the NFD spelling of a taken email", err, realty.ErrConflict)
	must[realty.Session](t, "log in with the NFD spelling")(e.anon().Login(e.ctx, realty.Credentials{Email: "rene\u0301@example.com", Password: "long enough"}))
}

func testProfile(t *testing.T, e *env) {
	alice, bob := e.register("Alice"), e.register("Bob")
	first, last := "Alicia", "Martín-Dupont"
	bd := realty.Date{Year: 1979, Month: time.December, Day: 31}
	u, err := alice.svc.UpdateMe(e.ctx, realty.UserPatch{FirstName: &first, LastName: &last, BirthDate: realty.Value(bd)})
	if err != nil {
		t.Fatal(err)
	}
	if u.FirstName != first || u.LastName != last || u.BirthDate == nil || *u.BirthDate != bd || u.Email != alice.Email {
		t.Errorf("updated profile = %s", describe(u))
	}
	if !u.UpdatedAt.After(alice.UpdatedAt) && !u.UpdatedAt.Equal(alice.UpdatedAt) {
		t.Errorf("updated_at went back: %v < %v", u.UpdatedAt, alice.UpdatedAt)
	}
	same(t, "me after update", must[realty.User](t, "me")(alice.svc.Me(e.ctx)), u)

	u = must[realty.User](t, "clear birth date")(alice.svc.UpdateMe(e.ctx, realty.UserPatch{BirthDate: realty.Null[realty.Date]()}))
	if u.BirthDate != nil {
		t.Errorf("birth date after clearing = %v", u.BirthDate)
	}
	unchanged := must[realty.User](t, "empty patch")(alice.svc.UpdateMe(e.ctx, realty.UserPatch{}))
	same(t, "empty patch", unchanged, u)

	// Bad input changes nothing.
	empty, future := "", realty.DateOf(time.Now().AddDate(1, 0, 0))
	bad := "nope"
	_, err = alice.svc.UpdateMe(e.ctx, realty.UserPatch{FirstName: &empty, Email: &bad, BirthDate: realty.Value(future)})
	wantInvalid(t, "bad profile patch", err, "first_name", "email", "birth_date", "current_password")
	taken := "BOB@example.com"
	_, err = alice.svc.UpdateMe(e.ctx, realty.UserPatch{Email: &taken, FirstName: &first, CurrentPassword: alice.password})
	wantErr(t, "taking bob's email", err, realty.ErrConflict)
	newEmail := "Alicia@Example.org"
	_, err = alice.svc.UpdateMe(e.ctx, realty.UserPatch{Email: &newEmail})
	wantInvalid(t, "email change without the password", err, "current_password")
	_, err = alice.svc.UpdateMe(e.ctx, realty.UserPatch{Email: &newEmail, CurrentPassword: "not my password"})
	wantInvalid(t, "email change with a wrong password", err, "current_password")
	same(t, "profile after refused patches", must[realty.User](t, "me")(alice.svc.Me(e.ctx)), u)

	u = must[realty.User](t, "change email")(alice.svc.UpdateMe(e.ctx, realty.UserPatch{Email: &newEmail, CurrentPassword: alice.password}))
	if u.Email != "alicia@example.org" {
		t.Errorf("email = %q", u.Email)
	}
	must[realty.Session](t, "login with new email")(e.anon().Login(e.ctx, realty.Credentials{Email: newEmail, Password: alice.password}))

	// Others see only the public profile.
	pub := must[realty.PublicUser](t, "public profile")(bob.svc.User(e.ctx, alice.ID))
	same(t, "public profile", pub, realty.PublicUser{ID: alice.ID, FirstName: first, LastName: last})
	_, err = e.anon().User(e.ctx, alice.ID+bob.ID+100)
	wantErr(t, "unknown user", err, realty.ErrNotFound)
	_, err = e.anon().UpdateMe(e.ctx, realty.UserPatch{FirstName: &first})
	wantErr(t, "anonymous profile update", err, realty.ErrUnauthenticated)
}

func testChangePassword(t *testing.T, e *env) {
	alice := e.register("Alice")
	other := must[realty.Session](t, "second session")(e.anon().Login(e.ctx, realty.Credentials{Email: alice.Email, Password: alice.password}))

	err := alice.svc.ChangePassword(e.ctx, realty.PasswordChange{Current: "wrong password", New: "a brand new password"})
	wantInvalid(t, "wrong current password", err, "current_password")
	err = alice.svc.ChangePassword(e.ctx, realty.PasswordChange{Current: alice.password, New: "short"})
	wantInvalid(t, "short new password", err, "new_password")
	err = e.anon().ChangePassword(e.ctx, realty.PasswordChange{Current: alice.password, New: "a brand new password"})
	wantErr(t, "anonymous password change", err, realty.ErrUnauthenticated)
	must[realty.Session](t, "old password still works after refusals")(e.anon().Login(e.ctx, realty.Credentials{Email: alice.Email, Password: alice.password}))

	if err := alice.svc.ChangePassword(e.ctx, realty.PasswordChange{Current: alice.password, New: "a brand new password"}); err != nil {
		t.Fatal(err)
	}
	_, err = e.anon().Login(e.ctx, realty.Credentials{Email: alice.Email, Password: alice.password})
	wantErr(t, "login with old password", err, realty.ErrUnauthenticated)
	must[realty.Session](t, "login with new password")(e.anon().Login(e.ctx, realty.Credentials{Email: alice.Email, Password: "a brand new password"}))
	must[realty.User](t, "the session that changed it stays")(alice.svc.Me(e.ctx))
	_, err = e.backend(other.Token).Me(e.ctx)
	wantErr(t, "other sessions are revoked", err, realty.ErrUnauthenticated)
}

func testCreateAndGet(t *testing.T, e *env) {
	alice := e.register("Alice")
	p := e.create(alice, "  Loft   Croix-Rousse ", "  Lyon  ")
	if p.ID == 0 || p.Name != "Loft   Croix-Rousse" || p.City != "Lyon" || p.Type != "apartment" || p.Version != 1 {
		t.Errorf("created = %s", describe(p.PropertySummary))
	}
	same(t, "owner", p.Owner, alice.Public())
	if p.RoomCount != 3 || p.TotalArea.String() != "36.85" || len(p.Rooms) != 3 {
		t.Errorf("room_count %d, total_area %s, rooms %d; want 3, 36.85, 3", p.RoomCount, p.TotalArea, len(p.Rooms))
	}
	r := p.Rooms[0]
	if r.ID == 0 || r.Type != "living_room" || r.Area == nil || r.Area.String() != "24.35" || *r.Level != 2 {
		t.Errorf("first room = %s", describe(r))
	}
	same(t, "features are trimmed, lower-cased, de-duplicated, sorted", r.Features, []string{"fireplace", "south-facing"})
	if last := p.Rooms[2]; last.Area != nil || last.Level != nil || last.Features == nil || len(last.Features) != 0 {
		t.Errorf("room without details = %s", describe(last))
	}
	if !p.CreatedAt.Equal(p.UpdatedAt) || p.CreatedAt.IsZero() {
		t.Errorf("created_at %v, updated_at %v", p.CreatedAt, p.UpdatedAt)
	}
	same(t, "get", e.get(p.ID), p)

	_, err := e.anon().Property(e.ctx, p.ID+1000)
	wantErr(t, "unknown property", err, realty.ErrNotFound)
	none := must[realty.Property](t, "property without rooms")(alice.svc.CreateProperty(e.ctx,
		realty.NewProperty{Name: "Plot", Type: "land", City: "Nantes"}))
	if none.Rooms == nil || len(none.Rooms) != 0 || none.RoomCount != 0 || none.TotalArea != 0 {
		t.Errorf("property without rooms = %s", describe(none))
	}
}

func testPropertyValidation(t *testing.T, e *env) {
	alice := e.register("Alice")
	many := make([]string, 31)
	for i := range many {
		many[i] = "feature " + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	in := realty.NewProperty{
		Name: "", Description: strings.Repeat("d", 4001), Type: "castle", City: "  ",
		Rooms: []realty.NewRoom{
			{Type: "bedroom", Area: area("12")},
			{Type: "dungeon", Name: strings.Repeat("n", 81), Area: area("0"), Level: level(201)},
			{Type: "kitchen", Area: area("10000.01"), Level: level(-6), Features: []string{strings.Repeat("f", 41)}},
			{Type: "office", Description: strings.Repeat("x", 1001), Features: many},
			{},
		},
	}
	_, err := alice.svc.CreateProperty(e.ctx, in)
	wantInvalid(t, "every bad field", err, "name", "description", "type", "city",
		"rooms[1].type", "rooms[1].name", "rooms[1].area", "rooms[1].level",
		"rooms[2].area", "rooms[2].level", "rooms[2].features[0]",
		"rooms[3].description", "rooms[3].features", "rooms[4].type")

	tooMany := sampleProperty("Big", "Lyon")
	tooMany.Rooms = make([]realty.NewRoom, realty.MaxRooms+1)
	for i := range tooMany.Rooms {
		tooMany.Rooms[i] = realty.NewRoom{Type: "bedroom"}
	}
	_, err = alice.svc.CreateProperty(e.ctx, tooMany)
	wantInvalid(t, "101 rooms", err, "rooms")
	_, err = alice.svc.CreateProperty(e.ctx, realty.NewProperty{Name: "Control\x07", Type: "house", City: "Lyon"})
	wantInvalid(t, "control character in name", err, "name")
	invisible := realty.NewProperty{Name: "Villa\u200b", Description: "Quiet \u202egnipoons", Type: "house", City: "Ly\u200bon",
		Rooms: []realty.NewRoom{{Type: "bedroom", Name: "\u2066Bed", Features: []string{"sea\ufeffview"}}}}
	_, err = alice.svc.CreateProperty(e.ctx, invisible)
	wantInvalid(t, "invisible characters", err, "name", "description", "city", "rooms[0].name", "rooms[0].features[0]")
	// Cities whose key is empty or longer than its column: the database
	// would refuse them with a CHECK or data-too-long error.
	badCities := []string{"-", "...", "'", "\u0301", strings.Repeat("\ufdfa", 6), strings.Repeat("\u338f", 60)}
	for _, city := range badCities {
		_, err = alice.svc.CreateProperty(e.ctx, sampleProperty("Bad city", city))
		wantInvalid(t, fmt.Sprintf("create in city %q", city), err, "city")
	}

	page := must[realty.Page[realty.PropertySummary]](t, "list")(e.anon().Properties(e.ctx, realty.PropertyFilter{}))
	if len(page.Items) != 0 {
		t.Errorf("refused creations stored %d properties", len(page.Items))
	}

	p := e.create(alice, "Good city", "Lyon")
	for _, city := range badCities {
		_, err = alice.svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{City: &city}, 0)
		wantInvalid(t, fmt.Sprintf("move to city %q", city), err, "city")
	}
	if got := e.get(p.ID); got.City != "Lyon" || got.Version != p.Version {
		t.Errorf("refused patches changed the property: city %q, version %d", got.City, got.Version)
	}
}

func testFilters(t *testing.T, e *env) {
	alice, bob := e.register("Alice"), e.register("Bob")
	paris1 := e.create(alice, "Haussmann flat", "Paris")
	lyon := e.create(alice, "Loft", "Lyon")
	paris2 := e.create(bob, "Studio Montmartre", "paris")
	se := e.create(bob, "Maison", "Saint-Étienne")
	house := must[realty.Property](t, "house")(bob.svc.CreateProperty(e.ctx, realty.NewProperty{Name: "Villa", Type: "villa", City: "L'Haÿ-les-Roses"}))

	list := func(f realty.PropertyFilter) []int64 {
		t.Helper()
		return ids(must[realty.Page[realty.PropertySummary]](t, describe(f))(e.anon().Properties(e.ctx, f)).Items)
	}
	same(t, "all", list(realty.PropertyFilter{}), []int64{paris1.ID, lyon.ID, paris2.ID, se.ID, house.ID})
	for _, city := range []string{"paris", "PARIS", " Paris "} {
		same(t, "city "+city, list(realty.PropertyFilter{City: city}), []int64{paris1.ID, paris2.ID})
	}
	for _, city := range []string{"saint etienne", "Saint-Etienne", "SAINT-ÉTIENNE", "saint  étienne"} {
		same(t, "city "+city, list(realty.PropertyFilter{City: city}), []int64{se.ID})
	}
	same(t, "city with apostrophe", list(realty.PropertyFilter{City: "l hay les roses"}), []int64{house.ID})
	same(t, "unknown city", list(realty.PropertyFilter{City: "Marseille"}), []int64{})
	same(t, "type", list(realty.PropertyFilter{Types: []realty.PropertyType{"villa"}}), []int64{house.ID})
	same(t, "owner", list(realty.PropertyFilter{OwnerID: alice.ID}), []int64{paris1.ID, lyon.ID})
	same(t, "owner and city", list(realty.PropertyFilter{OwnerID: bob.ID, City: "paris"}), []int64{paris2.ID})

	page := must[realty.Page[realty.PropertySummary]](t, "summary")(e.anon().Properties(e.ctx, realty.PropertyFilter{City: "lyon"}))
	want := lyon.PropertySummary
	same(t, "list item carries room_count and total_area", page.Items[0], want)

	cities := must[realty.Page[realty.CityCount]](t, "cities")(e.anon().Cities(e.ctx, realty.CityFilter{}))
	got := map[string]int{}
	for _, c := range cities.Items {
		got[realty.CityKey(c.City)] = c.Count
	}
	same(t, "city counts", got, map[string]int{"paris": 2, "lyon": 1, "saint etienne": 1, "l hay les roses": 1})

	_, err := e.anon().Properties(e.ctx, realty.PropertyFilter{Types: []realty.PropertyType{"castle"}})
	wantInvalid(t, "unknown type filter", err, "type")
	_, err = e.anon().Properties(e.ctx, realty.PropertyFilter{Limit: -1})
	wantInvalid(t, "negative limit", err, "limit")
	_, err = e.anon().Properties(e.ctx, realty.PropertyFilter{Cursor: "garbage!"})
	wantInvalid(t, "bad cursor", err, "cursor")
}

// testSearch checks the q filter: words of the name and description, by the
// start of a word, whatever the case and accents, all of them required, kept
// up to date by renames and deletions, and combined with the other filters.
func testSearch(t *testing.T, e *env) {
	alice, bob := e.register("Alice"), e.register("Bob")
	create := func(u user, name, description, city string) realty.Property {
		t.Helper()
		return must[realty.Property](t, "create "+name)(u.svc.CreateProperty(e.ctx, realty.NewProperty{
			Name: name, Description: description, Type: "apartment", City: city}))
	}
	cafe := create(alice, "Café de la Gare", "Au-dessus de l'ancienne brasserie", "Lyon")
	terrace := create(alice, "Appartement TERRASSE", "Grande terrasse plein sud, vue dégagée", "Paris")
	loft := create(bob, "Loft_atelier", "L'appartement d'un peintre, verrière", "Paris")
	plain := create(bob, "Studio", "Calme", "Paris")

	list := func(f realty.PropertyFilter) []int64 {
		t.Helper()
		return ids(must[realty.Page[realty.PropertySummary]](t, describe(f))(e.anon().Properties(e.ctx, f)).Items)
	}
	for q, want := range map[string][]int64{
		"cafe":                   {cafe.ID},             // accent-insensitive
		"CAFÉ":                   {cafe.ID},             // and case-insensitive
		"terrasse":               {terrace.ID},          // name and description: listed once
		"terr":                   {terrace.ID},          // start of a word
		"errasse":                {},                    // not the inside of one
		"appartement":            {terrace.ID, loft.ID}, // "l'appartement": the apostrophe cuts words
		"ancienne":               {cafe.ID},             // description only
		"appartement verrière":   {loft.ID},             // every word is required
		"appartement sud":        {terrace.ID},          //
		"loft_atelier":           {loft.ID},             // '_' stays inside a word
		"de la gare":             {cafe.ID},             // words under 3 letters are left out
		"the gare with":          {cafe.ID},             // and InnoDB's stopwords
		"  Gare,   brasserie!  ": {cafe.ID},             // punctuation and spaces do not matter
		"maison":                 {},                    //
	} {
		same(t, "q "+q, list(realty.PropertyFilter{Search: q}), want)
	}
	same(t, "q and city", list(realty.PropertyFilter{Search: "appartement", City: "paris"}), []int64{terrace.ID, loft.ID})
	same(t, "q and owner", list(realty.PropertyFilter{Search: "appartement", OwnerID: bob.ID}), []int64{loft.ID})
	same(t, "q and other city", list(realty.PropertyFilter{Search: "appartement", City: "lyon"}), []int64{})

	// A rename and a new description are found at once; the old words are gone.
	name, desc := "Studio lumineux", "Proche du métro"
	must[realty.Property](t, "rename")(bob.svc.UpdateProperty(e.ctx, plain.ID,
		realty.PropertyPatch{Name: &name, Description: &desc}, 0))
	same(t, "q new name", list(realty.PropertyFilter{Search: "lumineux"}), []int64{plain.ID})
	same(t, "q new description", list(realty.PropertyFilter{Search: "metro"}), []int64{plain.ID})
	same(t, "q old description", list(realty.PropertyFilter{Search: "calme"}), []int64{})
	if err := alice.svc.DeleteProperty(e.ctx, cafe.ID, 0); err != nil {
		t.Fatalf("delete: %v", err)
	}
	same(t, "q after delete", list(realty.PropertyFilter{Search: "gare"}), []int64{})

	// Pages of a search follow the id order like any list.
	var want []int64
	for i := range 7 {
		want = append(want, create(alice, fmt.Sprintf("Duplex %d", i), "Balcon filant", "Nantes").ID)
	}
	same(t, "q pages", e.listAll(realty.PropertyFilter{Search: "balcon duplex", Limit: 3}, nil), want)

	var many []string
	for i := range realty.MaxSearchWords + 1 {
		many = append(many, fmt.Sprintf("word%d", i))
	}
	for _, q := range []string{"a b", "de la", "!!", "the with", strings.Repeat("x", realty.MaxSearch+1),
		strings.Join(many, " "), strings.Repeat("y", realty.MaxSearchWord+1)} {
		_, err := e.anon().Properties(e.ctx, realty.PropertyFilter{Search: q})
		wantInvalid(t, fmt.Sprintf("q %.20q", q), err, "q")
	}
}

// testRoomAggregates: a property's room count and total area, stored on its
// row, follow every room write, in the list as in the property.
func testRoomAggregates(t *testing.T, e *env) {
	alice := e.register("Alice")
	p := e.create(alice, "Aggregates", "Rennes")
	check := func(what string, count int, area string) {
		t.Helper()
		got := e.get(p.ID)
		page := must[realty.Page[realty.PropertySummary]](t, "list")(e.anon().Properties(e.ctx,
			realty.PropertyFilter{City: "rennes"}))
		if got.RoomCount != count || got.TotalArea.String() != area || len(got.Rooms) != count {
			t.Errorf("%s: property has %d rooms, %s m² (%d listed), want %d, %s", what, got.RoomCount,
				got.TotalArea, len(got.Rooms), count, area)
		}
		if len(page.Items) != 1 || page.Items[0].RoomCount != count || page.Items[0].TotalArea.String() != area {
			t.Errorf("%s: list says %+v, want %d rooms, %s m²", what, page.Items, count, area)
		}
	}
	start := e.get(p.ID)
	count, total := len(start.Rooms), start.TotalArea
	check("created", count, total.String())
	r := must[realty.Room](t, "add")(alice.svc.AddRoom(e.ctx, p.ID, realty.NewRoom{Type: "office", Area: area("10.25")}, 0))
	check("room added", count+1, (total + 1025).String())
	must[realty.Room](t, "add")(alice.svc.AddRoom(e.ctx, p.ID, realty.NewRoom{Type: "storage"}, 0)) // no area
	check("room without area added", count+2, (total + 1025).String())
	must[realty.Room](t, "update")(alice.svc.UpdateRoom(e.ctx, p.ID, r.ID,
		realty.RoomPatch{Area: realty.Nullable[realty.Area]{Set: true, Valid: true, V: 500}}, 0))
	check("area changed", count+2, (total + 500).String())
	must[realty.Room](t, "update")(alice.svc.UpdateRoom(e.ctx, p.ID, r.ID,
		realty.RoomPatch{Area: realty.Nullable[realty.Area]{Set: true}}, 0))
	check("area cleared", count+2, total.String())
	must[int64](t, "remove")(alice.svc.RemoveRoom(e.ctx, p.ID, r.ID, 0))
	check("room removed", count+1, total.String())
}

// testListingTerms: transaction, price, currency and status, their defaults,
// exact prices, the rules that tie them (on create, and on a patch as it
// leaves them), and refusals that change nothing.
func testListingTerms(t *testing.T, e *env) {
	alice := e.register("Alice")
	sale, rent := realty.Transaction("sale"), realty.Transaction("rent")
	price := func(s string) *realty.Price {
		p, err := realty.ParsePrice(s)
		if err != nil {
			t.Fatal(err)
		}
		return &p
	}
	plain := e.create(alice, "Not listed", "Brest")
	if plain.Transaction != nil || plain.Price != nil || plain.Currency != "EUR" || plain.Status != "available" {
		t.Errorf("defaults: %v %v %q %q", plain.Transaction, plain.Price, plain.Currency, plain.Status)
	}
	in := sampleProperty("For sale", "Brest")
	in.Transaction, in.Price, in.Currency, in.Status = &sale, price("385000.5"), "eur", "under_offer"
	p := must[realty.Property](t, "create for sale")(alice.svc.CreateProperty(e.ctx, in))
	got := e.get(p.ID)
	if *got.Transaction != sale || got.Price.String() != "385000.5" || got.Currency != "EUR" || got.Status != "under_offer" {
		t.Errorf("stored terms: %v %v %q %q", got.Transaction, got.Price, got.Currency, got.Status)
	}
	same(t, "the created property as read", got.PropertySummary, p.PropertySummary)

	for what, bad := range map[string]struct {
		in    func(*realty.NewProperty)
		field string
	}{
		"price without transaction": {func(n *realty.NewProperty) { n.Price = price("100") }, "price"},
		"negative price":            {func(n *realty.NewProperty) { n.Transaction, n.Price = &rent, price("-1") }, "price"},
		"price too high":            {func(n *realty.NewProperty) { n.Transaction, n.Price = &sale, price("1000000000.01") }, "price"},
		"unknown transaction":       {func(n *realty.NewProperty) { tr := realty.Transaction("swap"); n.Transaction = &tr }, "transaction"},
		"unknown currency":          {func(n *realty.NewProperty) { n.Currency = "EURO" }, "currency"},
		"currency not ISO":          {func(n *realty.NewProperty) { n.Currency = "ABC" }, "currency"},
		"sold but for rent":         {func(n *realty.NewProperty) { n.Transaction, n.Status = &rent, "sold" }, "status"},
		"rented but for sale":       {func(n *realty.NewProperty) { n.Transaction, n.Status = &sale, "rented" }, "status"},
		"under offer, not listed":   {func(n *realty.NewProperty) { n.Status = "under_offer" }, "status"},
		"unknown status":            {func(n *realty.NewProperty) { n.Status = "gone" }, "status"},
	} {
		n := sampleProperty("Bad terms", "Brest")
		bad.in(&n)
		_, err := alice.svc.CreateProperty(e.ctx, n)
		wantInvalid(t, what, err, bad.field)
	}

	// A patch is checked as it leaves the terms.
	rented := realty.ListingStatus("rented")
	_, err := alice.svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{Status: &rented}, 0)
	wantInvalid(t, "rented on a sale", err, "status")
	_, err = alice.svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{Transaction: realty.Null[realty.Transaction]()}, 0)
	wantInvalid(t, "unlisted with a price and an offer", err, "price", "status")
	if now := e.get(p.ID); now.Version != p.Version || *now.Transaction != sale {
		t.Errorf("refused patches changed the property: version %d, %v", now.Version, now.Transaction)
	}
	sold, chf := realty.ListingStatus("sold"), "chf"
	after := must[realty.Property](t, "sold")(alice.svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{
		Status: &sold, Price: realty.Value(*price("379999.99")), Currency: &chf}, p.Version))
	if after.Status != "sold" || after.Price.String() != "379999.99" || after.Currency != "CHF" || after.Version != p.Version+1 {
		t.Errorf("after the sale: %q %v %q v%d", after.Status, after.Price, after.Currency, after.Version)
	}
	available := realty.ListingStatus("available")
	unlisted := must[realty.Property](t, "unlist")(alice.svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{
		Transaction: realty.Null[realty.Transaction](), Price: realty.Null[realty.Price](), Status: &available}, 0))
	if unlisted.Transaction != nil || unlisted.Price != nil || unlisted.Status != "available" {
		t.Errorf("unlisted: %v %v %q", unlisted.Transaction, unlisted.Price, unlisted.Status)
	}
	// The terms come back in lists too.
	page := must[realty.Page[realty.PropertySummary]](t, "list")(e.anon().Properties(e.ctx, realty.PropertyFilter{City: "brest"}))
	same(t, "listed terms", page.Items, []realty.PropertySummary{plain.PropertySummary, unlisted.PropertySummary})
}

// testListingFilters: every filter of the list alone, then together, and
// refusals of bad bounds.
func testListingFilters(t *testing.T, e *env) {
	alice := e.register("Alice")
	price := func(s string) *realty.Price {
		p, err := realty.ParsePrice(s)
		if err != nil {
			t.Fatal(err)
		}
		return &p
	}
	sale, rent := realty.Transaction("sale"), realty.Transaction("rent")
	room := func(typ realty.RoomType, a string, features ...string) realty.NewRoom {
		return realty.NewRoom{Type: typ, Area: area(a), Features: features}
	}
	create := func(name string, typ realty.PropertyType, city string, tr *realty.Transaction, pr *realty.Price,
		status realty.ListingStatus, rooms ...realty.NewRoom) int64 {
		t.Helper()
		return must[realty.Property](t, "create "+name)(alice.svc.CreateProperty(e.ctx, realty.NewProperty{Name: name,
			Type: typ, City: city, Transaction: tr, Price: pr, Status: status, Rooms: rooms})).ID
	}
	a := create("A", "apartment", "Lyon", &sale, price("380000"), "", room("living_room", "30"),
		room("bedroom", "12"), room("bedroom", "10", "balcony"))
	b := create("B", "house", "Lyon", &sale, price("520000"), "under_offer", room("living_room", "50", "garden"),
		room("kitchen", "20"), room("bedroom", "20"), room("bedroom", "20"), room("bathroom", "10"))
	c := create("C", "apartment", "Lyon", &rent, price("900"), "", room("living_room", "28", "balcony"), room("bedroom", "12"))
	d := create("D", "studio", "Paris", &rent, price("1200"), "rented", room("living_room", "20"))
	x := create("E", "loft", "Paris", nil, nil, "")
	f := create("F", "villa", "Lyon", &sale, nil, "", room("living_room", "80", "balcony", "garden"),
		room("bedroom", "40"), room("bedroom", "40"), room("terrace", "40"))

	list := func(fl realty.PropertyFilter) []int64 {
		t.Helper()
		return ids(must[realty.Page[realty.PropertySummary]](t, describe(fl))(e.anon().Properties(e.ctx, fl)).Items)
	}
	n := func(v int) *int { return &v }
	for what, c := range map[string]struct {
		f    realty.PropertyFilter
		want []int64
	}{
		"one type":                  {realty.PropertyFilter{Types: []realty.PropertyType{"apartment"}}, []int64{a, c}},
		"two types":                 {realty.PropertyFilter{Types: []realty.PropertyType{"house", "villa"}}, []int64{b, f}},
		"available":                 {realty.PropertyFilter{Statuses: []realty.ListingStatus{"available"}}, []int64{a, c, x, f}},
		"under offer or rented":     {realty.PropertyFilter{Statuses: []realty.ListingStatus{"under_offer", "rented"}}, []int64{b, d}},
		"for sale":                  {realty.PropertyFilter{Transaction: "sale"}, []int64{a, b, f}},
		"for rent":                  {realty.PropertyFilter{Transaction: "rent"}, []int64{c, d}},
		"min price (none left out)": {realty.PropertyFilter{MinPrice: price("400000")}, []int64{b}},
		"max price":                 {realty.PropertyFilter{MaxPrice: price("1000")}, []int64{c}},
		"price range":               {realty.PropertyFilter{MinPrice: price("900"), MaxPrice: price("1200")}, []int64{c, d}},
		"min rooms":                 {realty.PropertyFilter{MinRooms: n(3)}, []int64{a, b, f}},
		"max rooms":                 {realty.PropertyFilter{MaxRooms: n(1)}, []int64{d, x}},
		"rooms range":               {realty.PropertyFilter{MinRooms: n(2), MaxRooms: n(3)}, []int64{a, c}},
		"min area":                  {realty.PropertyFilter{MinArea: area("100")}, []int64{b, f}},
		"max area":                  {realty.PropertyFilter{MaxArea: area("40")}, []int64{c, d, x}},
		"a feature, any case":       {realty.PropertyFilter{Features: []string{"Balcony"}}, []int64{a, c, f}},
		"two features":              {realty.PropertyFilter{Features: []string{"balcony", "garden"}}, []int64{f}},
		"city, sale, price, rooms":  {realty.PropertyFilter{City: "lyon", Transaction: "sale", MaxPrice: price("400000"), MinRooms: n(3)}, []int64{a}},
		"rent in paris, rented":     {realty.PropertyFilter{City: "paris", Transaction: "rent", Statuses: []realty.ListingStatus{"rented"}}, []int64{d}},
		"search and feature":        {realty.PropertyFilter{Types: []realty.PropertyType{"villa", "apartment"}, Features: []string{"garden"}}, []int64{f}},
	} {
		same(t, what, list(c.f), c.want)
	}
	// Pages of a filtered list follow the id order like any list.
	same(t, "filtered pages", e.listAll(realty.PropertyFilter{City: "lyon", Limit: 1}, nil), []int64{a, b, c, f})

	var many []string
	for i := range realty.MaxFilterFeatures + 1 {
		many = append(many, fmt.Sprint("f", i))
	}
	for what, bad := range map[string]struct {
		f     realty.PropertyFilter
		field []string
	}{
		"min price over max":  {realty.PropertyFilter{MinPrice: price("10"), MaxPrice: price("5")}, []string{"max_price"}},
		"negative rooms":      {realty.PropertyFilter{MinRooms: n(-1)}, []string{"min_rooms"}},
		"area out of range":   {realty.PropertyFilter{MaxArea: area("1000000.01")}, []string{"max_area"}},
		"unknown status":      {realty.PropertyFilter{Statuses: []realty.ListingStatus{"gone"}}, []string{"status"}},
		"unknown transaction": {realty.PropertyFilter{Transaction: "swap"}, []string{"transaction"}},
		"too many features":   {realty.PropertyFilter{Features: many}, []string{"feature"}},
		"several at once":     {realty.PropertyFilter{MinRooms: n(5), MaxRooms: n(2), Transaction: "swap"}, []string{"max_rooms", "transaction"}},
	} {
		_, err := e.anon().Properties(e.ctx, bad.f)
		wantInvalid(t, what, err, bad.field...)
	}
}

// testSorting: every order, followed page by page (3 to a page) while a
// property is created and another renamed between pages: no property is
// listed twice, the ones that were there from the start come once each and
// in the order's sequence (properties without a price last), and the
// whole list is ordered by the keys as they are at the end.
func testSorting(t *testing.T, e *env) {
	alice := e.register("Alice")
	sale := realty.Transaction("sale")
	prices := []string{"", "100000", "250000", "250000", "90000", "", "500000", "120000", "250000", "75000"}
	for i, pr := range prices {
		in := realty.NewProperty{Name: fmt.Sprint("Sorted ", i), Type: "house", City: "Sortville"}
		for r := range (i * 7) % 5 {
			in.Rooms = append(in.Rooms, realty.NewRoom{Type: "bedroom", Area: area(fmt.Sprint(10 + (i*13+r*7)%30))})
		}
		if pr != "" {
			p, err := realty.ParsePrice(pr)
			if err != nil {
				t.Fatal(err)
			}
			in.Transaction, in.Price = &sale, &p
		}
		must[realty.Property](t, "create")(alice.svc.CreateProperty(e.ctx, in))
	}
	snapshot := func() []realty.PropertySummary {
		var all []realty.PropertySummary
		f := realty.PropertyFilter{City: "sortville", Limit: realty.MaxPageSize}
		for {
			p := must[realty.Page[realty.PropertySummary]](t, "all")(e.anon().Properties(e.ctx, f))
			all = append(all, p.Items...)
			if p.NextCursor == "" {
				return all
			}
			f.Cursor = p.NextCursor
		}
	}
	ordered := func(items []realty.PropertySummary, s realty.Sort) []int64 {
		items = slices.Clone(items)
		slices.SortStableFunc(items, func(a, b realty.PropertySummary) int { return compareKeys(s, a, b) })
		return ids(items)
	}
	inserted := 0
	for _, s := range realty.Sorts {
		start := snapshot()
		want := ordered(start, s)
		seen := map[int64]bool{}
		var got []int64
		f := realty.PropertyFilter{City: "sortville", Sort: s, Limit: 3}
		for page := 0; ; page++ {
			p := must[realty.Page[realty.PropertySummary]](t, fmt.Sprint(s, " page ", page))(e.anon().Properties(e.ctx, f))
			for _, it := range p.Items {
				if seen[it.ID] {
					t.Errorf("sort %s: property %d listed twice", s, it.ID)
				}
				seen[it.ID] = true
				got = append(got, it.ID)
			}
			if p.NextCursor == "" {
				break
			}
			// Between pages: a new property, and (but for the order by
			// update time, which a rename changes) a rename of one not
			// listed yet.
			inserted++
			must[realty.Property](t, "insert")(alice.svc.CreateProperty(e.ctx, realty.NewProperty{
				Name: fmt.Sprint("Inserted ", inserted), Type: "loft", City: "Sortville"}))
			if s != "updated" {
				for _, id := range want {
					if !seen[id] {
						name := fmt.Sprint("Renamed ", inserted)
						must[realty.Property](t, "rename")(alice.svc.UpdateProperty(e.ctx, id, realty.PropertyPatch{Name: &name}, 0))
						break
					}
				}
			}
			f.Cursor = p.NextCursor
		}
		var initial []int64
		for _, id := range got {
			if slices.Contains(want, id) {
				initial = append(initial, id)
			}
		}
		same(t, "sort "+string(s)+": the properties of the start, in order", initial, want)
		end := map[int64]realty.PropertySummary{}
		for _, it := range snapshot() {
			end[it.ID] = it
		}
		for i := 1; i < len(got); i++ {
			if s != "updated" && compareKeys(s, end[got[i-1]], end[got[i]]) > 0 {
				t.Errorf("sort %s: %d listed before %d", s, got[i-1], got[i])
			}
		}
	}
	_, err := e.anon().Properties(e.ctx, realty.PropertyFilter{Sort: "cheapest"})
	wantInvalid(t, "unknown sort", err, "sort")
	p := must[realty.Page[realty.PropertySummary]](t, "price page")(e.anon().Properties(e.ctx,
		realty.PropertyFilter{Sort: "price", Limit: 2}))
	_, err = e.anon().Properties(e.ctx, realty.PropertyFilter{Sort: "-area", Cursor: p.NextCursor})
	wantInvalid(t, "a cursor of another order", err, "cursor")
}

// compareKeys orders two properties as sort s does: by key (no price last,
// whichever the direction), then by id in the key's direction.
func compareKeys(s realty.Sort, a, b realty.PropertySummary) int {
	ka, kb := realty.KeyOf(s, a), realty.KeyOf(s, b)
	if ka.Null != kb.Null {
		if ka.Null {
			return 1
		}
		return -1
	}
	c := cmp.Or(cmp.Compare(ka.Key, kb.Key), cmp.Compare(ka.ID, kb.ID))
	if strings.HasPrefix(string(s), "-") || s == "newest" || s == "updated" {
		return -c
	}
	return c
}

func testPagination(t *testing.T, e *env) {
	alice := e.register("Alice")
	var want []int64
	for i := range 23 {
		city := "Paris"
		if i%3 == 0 {
			city = "Lyon"
		}
		p := must[realty.Property](t, "create")(alice.svc.CreateProperty(e.ctx, realty.NewProperty{
			Name: "P" + string(rune('A'+i)), Type: "studio", City: city}))
		if city == "Paris" {
			want = append(want, p.ID)
		}
	}
	got := e.listAll(realty.PropertyFilter{City: "paris", Limit: 4}, nil)
	same(t, "every Paris property once, in order", got, want)
	all := e.listAll(realty.PropertyFilter{Limit: 5}, nil)
	if len(all) != 23 {
		t.Errorf("all pages hold %d properties, want 23", len(all))
	}
	first := must[realty.Page[realty.PropertySummary]](t, "default page")(e.anon().Properties(e.ctx, realty.PropertyFilter{}))
	if len(first.Items) != realty.DefaultPageSize || first.NextCursor == "" {
		t.Errorf("default page: %d items, cursor %q; want %d and a cursor", len(first.Items), first.NextCursor, realty.DefaultPageSize)
	}
	exact := must[realty.Page[realty.PropertySummary]](t, "exact page")(e.anon().Properties(e.ctx, realty.PropertyFilter{Limit: 23}))
	if len(exact.Items) != 23 || exact.NextCursor != "" {
		t.Errorf("a page holding the rest: %d items, cursor %q", len(exact.Items), exact.NextCursor)
	}
}

func testPaginationWhileInserting(t *testing.T, e *env) {
	alice := e.register("Alice")
	for i := range 10 {
		e.create(alice, "Before "+string(rune('A'+i)), "Lille")
	}
	inserted := 0
	got := e.listAll(realty.PropertyFilter{City: "lille", Limit: 3}, func(int) {
		e.create(alice, "During", "Lille")
		e.create(alice, "Elsewhere", "Brest")
		inserted++
	})
	seen := map[int64]bool{}
	for _, id := range got {
		if seen[id] {
			t.Errorf("property %d listed twice", id)
		}
		seen[id] = true
	}
	if len(got) != 10+inserted {
		t.Errorf("listed %d properties, want %d (10 before, %d during)", len(got), 10+inserted, inserted)
	}
}

func testOwnerEdits(t *testing.T, e *env) {
	alice := e.register("Alice")
	p := e.create(alice, "Loft", "Lyon")

	name, city, typ, desc := "Loft Croix-Rousse", "Villeurbanne", realty.PropertyType("loft"), ""
	u := must[realty.Property](t, "rename")(alice.svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{Name: &name}, 0))
	if u.Name != name || u.Version != 2 || u.City != "Lyon" || u.UpdatedAt.Before(p.UpdatedAt) {
		t.Errorf("after rename = %s", describe(u.PropertySummary))
	}
	u = must[realty.Property](t, "update")(alice.svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{City: &city, Type: &typ, Description: &desc}, 2))
	if u.City != city || u.Type != typ || u.Description != "" || u.Version != 3 {
		t.Errorf("after update = %s", describe(u.PropertySummary))
	}
	same(t, "get after update", e.get(p.ID), u)
	same(t, "city filter follows the new city", ids(must[realty.Page[realty.PropertySummary]](t, "list")(
		e.anon().Properties(e.ctx, realty.PropertyFilter{City: "villeurbanne"})).Items), []int64{p.ID})
	noop := must[realty.Property](t, "empty patch")(alice.svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{}, 0))
	if noop.Version != 3 {
		t.Errorf("an empty patch changed the version to %d", noop.Version)
	}

	r := must[realty.Room](t, "add room")(alice.svc.AddRoom(e.ctx, p.ID, realty.NewRoom{Type: "kitchen", Name: "Kitchen",
		Area: area("8.4"), Level: level(2), Features: []string{"Dishwasher"}}, 3))
	if r.ID == 0 || r.Type != "kitchen" || r.Area.String() != "8.4" {
		t.Errorf("added room = %s", describe(r))
	}
	got := e.get(p.ID)
	if got.Version != 4 || got.RoomCount != 4 || got.Rooms[3].ID != r.ID || got.TotalArea.String() != "45.25" {
		t.Errorf("after add: version %d, %d rooms, last %d, total %s", got.Version, got.RoomCount, got.Rooms[3].ID, got.TotalArea)
	}

	rname, feats := "Cosy kitchen", []string{"oven", "Window"}
	r2 := must[realty.Room](t, "update room")(alice.svc.UpdateRoom(e.ctx, p.ID, r.ID, realty.RoomPatch{Name: &rname,
		Area: realty.Null[realty.Area](), Level: realty.Value(-1), Features: &feats}, 4))
	same(t, "updated room", r2, realty.Room{ID: r.ID, Type: "kitchen", Name: rname, Level: level(-1),
		Features: []string{"oven", "window"}, PropertyVersion: 5})
	got = e.get(p.ID)
	if got.Version != 5 || got.TotalArea.String() != "36.85" {
		t.Errorf("after room update: version %d, total %s", got.Version, got.TotalArea)
	}
	same(t, "room in property", got.Rooms[3], r2)

	if v, err := alice.svc.RemoveRoom(e.ctx, p.ID, got.Rooms[0].ID, 5); err != nil || v != 6 {
		t.Fatalf("remove room: version %d, %v; want 6", v, err)
	}
	got = e.get(p.ID)
	if got.Version != 6 || got.RoomCount != 3 || got.Rooms[0].Type != "bedroom" {
		t.Errorf("after remove: version %d, rooms %d, first %s", got.Version, got.RoomCount, got.Rooms[0].Type)
	}
	// A room added after a removal still goes last.
	last := must[realty.Room](t, "add after remove")(alice.svc.AddRoom(e.ctx, p.ID, realty.NewRoom{Type: "cellar"}, 0))
	if got = e.get(p.ID); got.Rooms[len(got.Rooms)-1].ID != last.ID {
		t.Errorf("new room is not last")
	}

	if err := alice.svc.DeleteProperty(e.ctx, p.ID, 0); err != nil {
		t.Fatal(err)
	}
	_, err := e.anon().Property(e.ctx, p.ID)
	wantErr(t, "get after delete", err, realty.ErrNotFound)
	wantErr(t, "delete twice", alice.svc.DeleteProperty(e.ctx, p.ID, 0), realty.ErrNotFound)
	_, err = alice.svc.AddRoom(e.ctx, p.ID, realty.NewRoom{Type: "cellar"}, 0)
	wantErr(t, "add room to deleted", err, realty.ErrNotFound)
	if cities := must[realty.Page[realty.CityCount]](t, "cities")(e.anon().Cities(e.ctx, realty.CityFilter{})); len(cities.Items) != 0 {
		t.Errorf("cities after delete = %v", cities)
	}
}

// writes returns one attempt at every write to property p (room r) as svc.
func writes(e *env, svc realty.Service, p realty.Property) map[string]func() error {
	name, rname := "Stolen", "Stolen room"
	r := p.Rooms[0].ID
	return map[string]func() error{
		"rename": func() error {
			_, err := svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{Name: &name}, 0)
			return err
		},
		"rename with the right version": func() error {
			_, err := svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{Name: &name}, p.Version)
			return err
		},
		"delete": func() error { return svc.DeleteProperty(e.ctx, p.ID, 0) },
		"add room": func() error {
			_, err := svc.AddRoom(e.ctx, p.ID, realty.NewRoom{Type: "cellar"}, 0)
			return err
		},
		"update room": func() error {
			_, err := svc.UpdateRoom(e.ctx, p.ID, r, realty.RoomPatch{Name: &rname}, 0)
			return err
		},
		"remove room": func() error { _, err := svc.RemoveRoom(e.ctx, p.ID, r, 0); return err },
	}
}

func testNonOwnerForbidden(t *testing.T, e *env) {
	alice, bob := e.register("Alice"), e.register("Bob")
	p := e.create(alice, "Alice's flat", "Paris")
	for what, write := range writes(e, bob.svc, p) {
		wantErr(t, "bob: "+what, write(), realty.ErrForbidden)
	}
	same(t, "alice's property after bob's attempts", e.get(p.ID), p)
}

func testAnonymousWrites(t *testing.T, e *env) {
	alice := e.register("Alice")
	p := e.create(alice, "Alice's flat", "Paris")
	for what, write := range writes(e, e.anon(), p) {
		wantErr(t, "anonymous: "+what, write(), realty.ErrUnauthenticated)
	}
	_, err := e.anon().CreateProperty(e.ctx, sampleProperty("Anon", "Paris"))
	wantErr(t, "anonymous create", err, realty.ErrUnauthenticated)
	same(t, "property after anonymous attempts", e.get(p.ID), p)
}

func testVersionPrecondition(t *testing.T, e *env) {
	alice := e.register("Alice")
	p := e.create(alice, "Flat", "Paris")
	name := "Renamed by the first editor"
	must[realty.Property](t, "first edit")(alice.svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{Name: &name}, 1))
	before := e.get(p.ID)

	stale := "Renamed by the second editor"
	_, err := alice.svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{Name: &stale}, 1)
	wantErr(t, "stale rename", err, realty.ErrPrecondition)
	_, err = alice.svc.AddRoom(e.ctx, p.ID, realty.NewRoom{Type: "cellar"}, 1)
	wantErr(t, "stale add room", err, realty.ErrPrecondition)
	_, err = alice.svc.UpdateRoom(e.ctx, p.ID, p.Rooms[0].ID, realty.RoomPatch{Name: &stale}, 1)
	wantErr(t, "stale update room", err, realty.ErrPrecondition)
	_, err = alice.svc.RemoveRoom(e.ctx, p.ID, p.Rooms[0].ID, 1)
	wantErr(t, "stale remove room", err, realty.ErrPrecondition)
	wantErr(t, "stale delete", alice.svc.DeleteProperty(e.ctx, p.ID, 1), realty.ErrPrecondition)
	same(t, "property after stale writes", e.get(p.ID), before)

	_, err = alice.svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{Name: &stale}, -3)
	wantInvalid(t, "negative version", err, "if_version")
	if err := alice.svc.DeleteProperty(e.ctx, p.ID, before.Version); err != nil {
		t.Errorf("delete with the current version: %v", err)
	}
}

func testRoomBelongs(t *testing.T, e *env) {
	alice := e.register("Alice")
	p1, p2 := e.create(alice, "One", "Paris"), e.create(alice, "Two", "Paris")
	name := "Moved?"
	_, err := alice.svc.UpdateRoom(e.ctx, p1.ID, p2.Rooms[0].ID, realty.RoomPatch{Name: &name}, 0)
	wantErr(t, "update another property's room", err, realty.ErrNotFound)
	_, err = alice.svc.RemoveRoom(e.ctx, p1.ID, p2.Rooms[0].ID, 0)
	wantErr(t, "remove another property's room", err, realty.ErrNotFound)
	_, err = alice.svc.RemoveRoom(e.ctx, p1.ID, 1<<40, 0)
	wantErr(t, "remove unknown room", err, realty.ErrNotFound)
	same(t, "other property untouched", e.get(p2.ID), p2)
	same(t, "property untouched", e.get(p1.ID), p1)
}

func testRoomLimits(t *testing.T, e *env) {
	alice := e.register("Alice")
	in := realty.NewProperty{Name: "Hotel", Type: "other", City: "Nice"}
	for range realty.MaxRooms {
		in.Rooms = append(in.Rooms, realty.NewRoom{Type: "bedroom", Area: area("9.99")})
	}
	p := must[realty.Property](t, "100 rooms")(alice.svc.CreateProperty(e.ctx, in))
	if p.RoomCount != 100 || p.TotalArea.String() != "999" {
		t.Errorf("100 rooms of 9.99: count %d, total %s", p.RoomCount, p.TotalArea)
	}
	_, err := alice.svc.AddRoom(e.ctx, p.ID, realty.NewRoom{Type: "bedroom"}, 0)
	wantInvalid(t, "101st room", err, "rooms")
	_, err = alice.svc.AddRoom(e.ctx, p.ID, realty.NewRoom{Type: "bedroom", Area: area("-1"), Level: level(300)}, 0)
	wantInvalid(t, "bad room", err, "area", "level")
	bad := realty.RoomType("spa")
	_, err = alice.svc.UpdateRoom(e.ctx, p.ID, p.Rooms[0].ID, realty.RoomPatch{Type: &bad, Area: realty.Value(realty.Area(0))}, 0)
	wantInvalid(t, "bad room patch", err, "type", "area")
	same(t, "after refused room writes", e.get(p.ID), p)
}

func testImport(t *testing.T, e *env) {
	alice := e.register("Alice")
	in := []realty.NewProperty{sampleProperty("One", "Paris"), sampleProperty("Two", "Saint-Étienne"),
		{Name: "Three", Type: "land", City: "Brest"}}
	got := must[[]int64](t, "import")(alice.svc.ImportProperties(e.ctx, in))
	if len(got) != 3 || got[0] >= got[1] || got[1] >= got[2] {
		t.Fatalf("ids = %v", got)
	}
	two := e.get(got[1])
	if two.Name != "Two" || two.Owner.ID != alice.ID || two.RoomCount != 3 || two.TotalArea.String() != "36.85" || two.Version != 1 {
		t.Errorf("imported property = %s", describe(two.PropertySummary))
	}
	same(t, "features normalized as on create", two.Rooms[0].Features, []string{"fireplace", "south-facing"})
	same(t, "filter finds imports", ids(must[realty.Page[realty.PropertySummary]](t, "list")(
		e.anon().Properties(e.ctx, realty.PropertyFilter{City: "saint etienne"})).Items), []int64{got[1]})

	// All or none: one bad property refuses the whole import, naming it.
	bad := []realty.NewProperty{sampleProperty("Fine", "Lyon"), {Name: "", Type: "castle", City: "Lyon",
		Rooms: []realty.NewRoom{{Type: "bedroom", Area: area("0")}}}}
	_, err := alice.svc.ImportProperties(e.ctx, bad)
	wantInvalid(t, "bad import", err, "properties[1].name", "properties[1].type", "properties[1].rooms[0].area")
	_, err = alice.svc.ImportProperties(e.ctx, nil)
	wantInvalid(t, "empty import", err, "properties")
	_, err = alice.svc.ImportProperties(e.ctx, make([]realty.NewProperty, realty.MaxImport+1))
	wantInvalid(t, "too large an import", err, "properties")
	_, err = e.anon().ImportProperties(e.ctx, in)
	wantErr(t, "anonymous import", err, realty.ErrUnauthenticated)
	all := must[realty.Page[realty.PropertySummary]](t, "list")(e.anon().Properties(e.ctx, realty.PropertyFilter{}))
	if len(all.Items) != 3 {
		t.Errorf("%d properties after refused imports, want 3", len(all.Items))
	}
}

func testCityPagination(t *testing.T, e *env) {
	alice := e.register("Alice")
	var in []realty.NewProperty
	var want []string
	for i := range 25 {
		city := fmt.Sprintf("Ville %02d", i)
		if i%5 == 0 {
			city = fmt.Sprintf("Saint-Été %02d", i)
		}
		want = append(want, realty.CityKey(city))
		for range 1 + i%3 {
			in = append(in, sampleProperty("P", city))
		}
	}
	must[[]int64](t, "import")(alice.svc.ImportProperties(e.ctx, in))
	slices.Sort(want)

	var got []string
	f := realty.CityFilter{Limit: 10}
	for pages := 1; ; pages++ {
		page := must[realty.Page[realty.CityCount]](t, "cities page")(e.anon().Cities(e.ctx, f))
		for _, c := range page.Items {
			got = append(got, realty.CityKey(c.City))
		}
		if page.NextCursor == "" {
			if pages != 3 {
				t.Errorf("25 cities by 10 came in %d pages", pages)
			}
			break
		}
		f.Cursor = page.NextCursor
		if pages > 5 {
			t.Fatal("city pagination does not end")
		}
	}
	same(t, "every city once, in key order", got, want)

	saints := must[realty.Page[realty.CityCount]](t, "prefix")(e.anon().Cities(e.ctx, realty.CityFilter{Prefix: "SAINT ete"}))
	if len(saints.Items) != 5 || saints.NextCursor != "" || saints.Items[0].City != "Saint-Été 00" || saints.Items[0].Count != 1 {
		t.Errorf("prefix search = %s", describe(saints))
	}
	// A prefix search pages too: each page starts after the last, never
	// before the prefix.
	var paged []string
	pf := realty.CityFilter{Prefix: "SAINT ete", Limit: 2}
	for pages := 1; ; pages++ {
		page := must[realty.Page[realty.CityCount]](t, "prefix page")(e.anon().Cities(e.ctx, pf))
		for _, c := range page.Items {
			paged = append(paged, c.City)
		}
		if page.NextCursor == "" || pages > 5 {
			break
		}
		pf.Cursor = page.NextCursor
	}
	same(t, "every Saint-Été once, by pages of 2", paged, []string{"Saint-Été 00", "Saint-Été 05", "Saint-Été 10", "Saint-Été 15", "Saint-Été 20"})
	def := must[realty.Page[realty.CityCount]](t, "default page")(e.anon().Cities(e.ctx, realty.CityFilter{}))
	if len(def.Items) != realty.DefaultPageSize || def.NextCursor == "" {
		t.Errorf("default page has %d cities", len(def.Items))
	}
	for _, bad := range []realty.CityFilter{{Cursor: "not-a-cursor"}, {Cursor: "cDox"}, {Limit: -1}, {Prefix: strings.Repeat("x", 101)}} {
		_, err := e.anon().Cities(e.ctx, bad)
		var ve *realty.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("cities %+v: %v; want a validation error", bad, err)
		}
	}
}

// testErrorKinds walks the kinds of realty.Kinds that a service produces:
// each surfaces as the same kind, with the same code and exit code, on
// every backend.
func testErrorKinds(t *testing.T, e *env) {
	alice, bob := e.register("Alice"), e.register("Bob")
	p := e.create(alice, "Loft", "Lyon")
	name := "Bob's"
	taken := "bob@example.com"
	cases := map[string]error{
		"not_found":       func() error { _, err := e.anon().Property(e.ctx, p.ID+1000); return err }(),
		"unauthenticated": func() error { _, err := e.anon().Me(e.ctx); return err }(),
		"forbidden": func() error {
			_, err := bob.svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{Name: &name}, 0)
			return err
		}(),
		"conflict": func() error {
			_, err := alice.svc.UpdateMe(e.ctx, realty.UserPatch{Email: &taken, CurrentPassword: alice.password})
			return err
		}(),
		"precondition_failed": func() error {
			_, err := alice.svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{Name: &name}, p.Version+1)
			return err
		}(),
		"validation_failed": func() error { _, err := alice.svc.CreateProperty(e.ctx, realty.NewProperty{}); return err }(),
	}
	for code, err := range cases {
		k := realty.KindOf(err)
		want, _ := realty.KindByCode(code)
		if k.Code != code || k.Status != want.Status || k.Exit != want.Exit {
			t.Errorf("%s: got kind %s (%d, exit %d) from %v", code, k.Code, k.Status, k.Exit, err)
		}
	}
}

// history lists every event of a property, newest first, page after page.
func (e *env) history(id int64, limit int) []realty.PropertyEvent {
	e.t.Helper()
	var out []realty.PropertyEvent
	f := realty.HistoryFilter{Limit: limit}
	for range 100 {
		page, err := e.anon().PropertyHistory(e.ctx, id, f)
		if err != nil {
			e.t.Fatalf("history of %d: %v", id, err)
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out
		}
		f.Cursor = page.NextCursor
	}
	e.t.Fatal("more than 100 pages of history")
	return nil
}

// changed is an event's changes as "member: old -> new" lines.
func changed(ev realty.PropertyEvent) []string {
	out := []string{}
	for _, c := range ev.Changes {
		out = append(out, fmt.Sprintf("%s: %s -> %s", c.Member, c.Old, c.New))
	}
	return out
}

func testHistory(t *testing.T, e *env) {
	alice, bob := e.register("Alice"), e.register("Bob")
	p := e.create(alice, "Flat", "Paris")
	name, price, sale := "Sunny flat", realty.Price(45_000_000), realty.Transaction("sale")
	must[realty.Property](t, "rename")(alice.svc.UpdateProperty(e.ctx, p.ID,
		realty.PropertyPatch{Name: &name, Transaction: realty.Value(sale), Price: realty.Value(price)}, 0))
	room := must[realty.Room](t, "add room")(alice.svc.AddRoom(e.ctx, p.ID, realty.NewRoom{Type: "cellar",
		Area: area("6")}, 0))
	must[realty.Room](t, "update room")(alice.svc.UpdateRoom(e.ctx, p.ID, room.ID,
		realty.RoomPatch{Area: realty.Value(*area("7.5")), Features: &[]string{"Dry"}}, 0))
	must[int64](t, "remove room")(alice.svc.RemoveRoom(e.ctx, p.ID, p.Rooms[2].ID, 0))

	// Refused writes leave no event: someone else's, a stale version, bad input.
	for what, write := range writes(e, bob.svc, p) {
		wantErr(t, "bob: "+what, write(), realty.ErrForbidden)
	}
	_, err := alice.svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{Name: &name}, 1)
	wantErr(t, "stale version", err, realty.ErrPrecondition)
	bad := realty.PropertyType("castle")
	_, err = alice.svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{Type: &bad}, 0)
	wantInvalid(t, "bad type", err, "type")
	rented := realty.ListingStatus("rented")
	_, err = alice.svc.UpdateProperty(e.ctx, p.ID, realty.PropertyPatch{Status: &rented}, 0)
	wantInvalid(t, "rented sale", err, "status")

	events := e.history(p.ID, 2)
	var kinds []realty.EventKind
	for i, ev := range events {
		kinds = append(kinds, ev.Kind)
		if ev.PropertyID != p.ID || ev.Actor != alice.Public() || ev.At.IsZero() || ev.Version != int64(5-i) {
			t.Errorf("event %d = %s", i, describe(ev))
		}
	}
	same(t, "kinds, newest first", kinds, []realty.EventKind{"room_removed", "room_updated", "room_added", "updated", "created"})
	if t.Failed() {
		return
	}
	// Members that were null and stay so are not changes.
	same(t, "removed room", changed(events[0]), []string{`type: "bathroom" -> null`, `name: "" -> null`,
		`description: "" -> null`, `features: [] -> null`})
	if *events[0].RoomID != p.Rooms[2].ID || *events[1].RoomID != room.ID || *events[2].RoomID != room.ID ||
		events[3].RoomID != nil {
		t.Errorf("room ids of the events: %s", describe(events))
	}
	same(t, "room update", changed(events[1]), []string{`area: 6 -> 7.5`, `features: [] -> ["dry"]`})
	same(t, "room added", changed(events[2]), []string{`type: null -> "cellar"`, `name: null -> ""`,
		`area: null -> 6`, `description: null -> ""`, `features: null -> []`})
	same(t, "update", changed(events[3]), []string{`name: "Flat" -> "Sunny flat"`, `transaction: null -> "sale"`,
		`price: null -> 450000`})
	created := changed(events[4])
	if len(created) == 0 || created[0] != `name: null -> "Flat"` || !strings.HasPrefix(created[len(created)-1], "rooms: null -> [{") {
		t.Errorf("created: %v", created)
	}

	// Anyone may read it; a missing property has none; deleting erases it.
	must[realty.Page[realty.PropertyEvent]](t, "bob reads")(bob.svc.PropertyHistory(e.ctx, p.ID, realty.HistoryFilter{}))
	_, err = e.anon().PropertyHistory(e.ctx, p.ID+1000, realty.HistoryFilter{})
	wantErr(t, "missing property", err, realty.ErrNotFound)
	_, err = e.anon().PropertyHistory(e.ctx, p.ID, realty.HistoryFilter{Cursor: "bm9wZQ"})
	wantInvalid(t, "bad cursor", err, "cursor")
	if err := alice.svc.DeleteProperty(e.ctx, p.ID, 0); err != nil {
		t.Fatal(err)
	}
	_, err = e.anon().PropertyHistory(e.ctx, p.ID, realty.HistoryFilter{})
	wantErr(t, "deleted property", err, realty.ErrNotFound)

	// An import records one event per property.
	got := must[[]int64](t, "import")(alice.svc.ImportProperties(e.ctx, []realty.NewProperty{sampleProperty("A", "Lyon")}))
	imported := e.history(got[0], 0)
	if len(imported) != 1 || imported[0].Kind != realty.EventImported || imported[0].Version != 1 {
		t.Errorf("import history = %s", describe(imported))
	}
}

// testListWithRooms: a page with rooms lists what the page without lists,
// each property as a get returns it, its rooms included.
func testListWithRooms(t *testing.T, e *env) {
	alice := e.register("Alice")
	var want []int64
	for i := range 7 {
		in := sampleProperty(fmt.Sprint("P", i), []string{"Lyon", "Paris"}[i%2])
		in.Rooms = in.Rooms[:i%4]
		want = append(want, must[realty.Property](t, "create")(alice.svc.CreateProperty(e.ctx, in)).ID)
	}
	f := realty.PropertyFilter{City: "lyon", Limit: 3, Sort: "-rooms"}
	var got []int64
	for range 10 {
		plain := must[realty.Page[realty.PropertySummary]](t, "list")(e.anon().Properties(e.ctx, f))
		page := must[realty.Page[realty.Property]](t, "list with rooms")(e.anon().PropertiesWithRooms(e.ctx, f))
		if page.NextCursor != plain.NextCursor || len(page.Items) != len(plain.Items) {
			t.Fatalf("with rooms: %d items, cursor %q; without: %d, %q", len(page.Items), page.NextCursor,
				len(plain.Items), plain.NextCursor)
		}
		for i, p := range page.Items {
			same(t, "summary", p.PropertySummary, plain.Items[i])
			same(t, "property with rooms", p, e.get(p.ID))
			got = append(got, p.ID)
		}
		if f.Cursor = page.NextCursor; f.Cursor == "" {
			break
		}
	}
	if len(got) != 4 {
		t.Errorf("listed %v of %v", got, want)
	}
}

// asNew is a stored property as it was created (what an export keeps).
func asNew(p realty.Property) realty.NewProperty {
	n := realty.NewProperty{Name: p.Name, Description: p.Description, Type: p.Type, City: p.City,
		Transaction: p.Transaction, Price: p.Price, Currency: p.Currency, Status: p.Status}
	for _, r := range p.Rooms {
		n.Rooms = append(n.Rooms, realty.NewRoom{Type: r.Type, Name: r.Name, Area: r.Area, Level: r.Level,
			Description: r.Description, Features: r.Features})
	}
	return n
}

// testExportImportRoundTrip: every property of an owner, read with its
// rooms a page at a time, imported by another owner, reads back the same,
// ids aside.
func testExportImportRoundTrip(t *testing.T, e *env) {
	alice, bob := e.register("Alice"), e.register("Bob")
	sale := realty.Transaction("sale")
	price := realty.Price(51_200_000)
	tricky := sampleProperty(`Maison "Les Tilleuls", côté sud`, "Nîmes")
	tricky.Description, tricky.Transaction, tricky.Price, tricky.Status = "Deux niveaux,\r\nun jardin; \"calme\".", &sale, &price, "under_offer"
	tricky.Rooms[1].Description = "Vue \"mer\"\net parquet"
	in := []realty.NewProperty{tricky, {Name: "Terrain", Type: "land", City: "Saint-Étienne"}}
	for i := range 5 {
		in = append(in, sampleProperty(fmt.Sprint("P", i), "Lyon"))
	}
	must[[]int64](t, "import")(alice.svc.ImportProperties(e.ctx, in))
	export := func(owner int64) []realty.NewProperty {
		var out []realty.NewProperty
		f := realty.PropertyFilter{OwnerID: owner, Limit: 3}
		for range 10 {
			page := must[realty.Page[realty.Property]](t, "export page")(e.anon().PropertiesWithRooms(e.ctx, f))
			for _, p := range page.Items {
				out = append(out, asNew(p))
			}
			if f.Cursor = page.NextCursor; f.Cursor == "" {
				break
			}
		}
		return out
	}
	first := export(alice.ID)
	if len(first) != len(in) || first[0].Description != "Deux niveaux,\nun jardin; \"calme\"." {
		t.Fatalf("exported %d, the first %s", len(first), describe(first[0]))
	}
	must[[]int64](t, "import the export")(bob.svc.ImportProperties(e.ctx, first))
	same(t, "export of the import", export(bob.ID), first)
}

// testIdempotentCreates: a create made with an idempotency key happens
// once: the same call again (a retry after a lost answer) returns the first
// result and writes nothing, neither rows nor events; the key with another
// input is refused and changes nothing; keys are each user's own; a bad key
// is refused before anything is written.
func testIdempotentCreates(t *testing.T, e *env) {
	alice, bob := e.register("Alice"), e.register("Bob")
	keyed := realty.WithIdempotencyKey(e.ctx, "create-7f3a")
	mine := func() []realty.PropertySummary {
		return must[realty.Page[realty.PropertySummary]](t, "list")(alice.svc.Properties(e.ctx,
			realty.PropertyFilter{OwnerID: alice.ID, Limit: realty.MaxPageSize})).Items
	}

	first := must[realty.Property](t, "create")(alice.svc.CreateProperty(keyed, sampleProperty("Loft", "Lyon")))
	again := must[realty.Property](t, "create again")(alice.svc.CreateProperty(keyed, sampleProperty("Loft", "Lyon")))
	same(t, "the second create's answer", again, first)
	if n := len(mine()); n != 1 {
		t.Errorf("%d properties after the same create twice, want 1", n)
	}
	_, err := alice.svc.CreateProperty(keyed, sampleProperty("Other loft", "Lyon"))
	wantInvalid(t, "the key with another property", err, realty.IdempotencyKeyField)
	// Bob's key of the same name is his own.
	bobs := must[realty.Property](t, "bob's create")(bob.svc.CreateProperty(keyed, sampleProperty("Loft", "Lyon")))
	if bobs.ID == first.ID || bobs.Owner.ID != bob.ID {
		t.Errorf("bob's create with alice's key = %s", describe(bobs))
	}
	for _, bad := range []string{strings.Repeat("k", realty.MaxIdempotencyKey+1), "with space", "é"} {
		_, err := alice.svc.CreateProperty(realty.WithIdempotencyKey(e.ctx, bad), sampleProperty("Bad key", "Lyon"))
		wantInvalid(t, fmt.Sprintf("key %q", bad), err, realty.IdempotencyKeyField)
	}

	roomKey := realty.WithIdempotencyKey(e.ctx, "room-1")
	cellar := realty.NewRoom{Type: "cellar", Area: area("6")}
	room := must[realty.Room](t, "add room")(alice.svc.AddRoom(roomKey, first.ID, cellar, 0))
	same(t, "the same room added again", must[realty.Room](t, "add room again")(alice.svc.AddRoom(roomKey, first.ID, cellar, 0)), room)
	_, err = alice.svc.AddRoom(roomKey, first.ID, realty.NewRoom{Type: "attic"}, 0)
	wantInvalid(t, "the room key with another room", err, realty.IdempotencyKeyField)

	importKey := realty.WithIdempotencyKey(e.ctx, "import-2026-12-07")
	batch := []realty.NewProperty{sampleProperty("Studio", "Paris"), sampleProperty("House", "Nantes")}
	ids := must[[]int64](t, "import")(alice.svc.ImportProperties(importKey, batch))
	same(t, "the same import again", must[[]int64](t, "import again")(alice.svc.ImportProperties(importKey, batch)), ids)
	_, err = alice.svc.ImportProperties(importKey, batch[:1])
	wantInvalid(t, "the import key with another batch", err, realty.IdempotencyKeyField)

	if n := len(mine()); n != 3 {
		t.Errorf("%d properties, want 3: the loft, the studio, the house", n)
	}
	got := e.get(first.ID)
	if len(got.Rooms) != len(first.Rooms)+1 || got.Version != 2 {
		t.Errorf("the loft after its room was added twice: %d rooms, version %d", len(got.Rooms), got.Version)
	}
	var kinds []realty.EventKind
	for _, ev := range e.history(first.ID, 0) {
		kinds = append(kinds, ev.Kind)
	}
	same(t, "the loft's history", kinds, []realty.EventKind{"room_added", "created"})
	if n := len(e.history(ids[0], 0)); n != 1 {
		t.Errorf("the imported studio has %d events, want 1", n)
	}
}

// testDeleteAccount: deleting one's account takes one's password, and then
// deletes the user, their properties with rooms and history, and their
// sessions; nobody else's data; the email can be registered again. A wrong
// or missing password, or no session, deletes nothing.
func testDeleteAccount(t *testing.T, e *env) {
	alice, bob := e.register("Alice"), e.register("Bob")
	loft, flat := e.create(alice, "Loft", "Lyon"), e.create(alice, "Flat", "Paris")
	must[realty.Room](t, "add room")(alice.svc.AddRoom(e.ctx, loft.ID, realty.NewRoom{Type: "cellar"}, 0))
	house := e.create(bob, "House", "Lyon")
	other := must[realty.Session](t, "alice's second session")(e.anon().Login(e.ctx,
		realty.Credentials{Email: alice.Email, Password: alice.password}))

	wantInvalid(t, "no password", alice.svc.DeleteAccount(e.ctx, realty.AccountDeletion{}), "password")
	wantInvalid(t, "wrong password", alice.svc.DeleteAccount(e.ctx, realty.AccountDeletion{Password: "not it"}), "password")
	wantErr(t, "no session", e.anon().DeleteAccount(e.ctx, realty.AccountDeletion{Password: alice.password}),
		realty.ErrUnauthenticated)
	e.get(loft.ID) // still there

	if err := alice.svc.DeleteAccount(e.ctx, realty.AccountDeletion{Password: alice.password}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{loft.ID, flat.ID} {
		_, err := e.anon().Property(e.ctx, id)
		wantErr(t, fmt.Sprintf("property %d after", id), err, realty.ErrNotFound)
		_, err = e.anon().PropertyHistory(e.ctx, id, realty.HistoryFilter{})
		wantErr(t, fmt.Sprintf("history of %d after", id), err, realty.ErrNotFound)
	}
	_, err := e.anon().User(e.ctx, alice.ID)
	wantErr(t, "alice's profile after", err, realty.ErrNotFound)
	_, err = e.backend(other.Token).Me(e.ctx)
	wantErr(t, "alice's other session after", err, realty.ErrUnauthenticated)
	_, err = e.anon().Login(e.ctx, realty.Credentials{Email: alice.Email, Password: alice.password})
	wantErr(t, "alice's log-in after", err, realty.ErrUnauthenticated)

	same(t, "bob's house", e.get(house.ID).Name, "House")
	must[realty.User](t, "bob")(bob.svc.Me(e.ctx))
	again := e.register("Alice")
	if again.ID == alice.ID {
		t.Errorf("the email registered again has the deleted user's id %d", alice.ID)
	}
}
