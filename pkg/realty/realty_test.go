package realty_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/realtyhq/realty/pkg/realty"
)

func TestCityKey(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"Saint-Étienne":       "saint etienne",
		"  saint   etienne ":  "saint etienne",
		"SAINT-ÉTIENNE":       "saint etienne",
		"L'Haÿ-les-Roses":     "l hay les roses",
		"L’Haÿ les Roses":     "l hay les roses",
		"Paris":               "paris",
		"Besançon":            "besancon",
		"Orléans":             "orleans",
		"ﬁrminy":              "firminy", // NFKD splits the ligature
		"São Paulo":           "sao paulo",
		"Île-de-France - Sud": "ile de france sud",
		"":                    "",
	}
	for in, want := range cases {
		if got := realty.CityKey(in); got != want {
			t.Errorf("CityKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseArea(t *testing.T) {
	t.Parallel()
	ok := map[string]string{"12": "12", "12.5": "12.5", "12.50": "12.5", "0.01": "0.01", "10000": "10000", " 7.05 ": "7.05", "-3.2": "-3.2"}
	for in, want := range ok {
		a, err := realty.ParseArea(in)
		if err != nil || a.String() != want {
			t.Errorf("ParseArea(%q) = %v, %v; want %s", in, a, err, want)
		}
	}
	for _, in := range []string{"", "12.", ".5", "1.234", "abc", "1e3", "12,5", "--1", "1.2.3", "99999999999999999999"} {
		if _, err := realty.ParseArea(in); err == nil {
			t.Errorf("ParseArea(%q) succeeded", in)
		}
	}
}

// TestAreaString: every area prints as the shortest decimal that parses back
// to it, as a JSON number too.
func TestAreaString(t *testing.T) {
	for a, want := range map[realty.Area]string{0: "0", 5: "0.05", 50: "0.5", 100: "1", 1250: "12.5", 1205: "12.05",
		1000000: "10000", -5: "-0.05", -50: "-0.5", -150: "-1.5", -100: "-1", -1205: "-12.05"} {
		if got := a.String(); got != want {
			t.Errorf("Area(%d).String() = %q, want %q", int64(a), got, want)
		}
		if b, _ := a.MarshalJSON(); string(b) != want {
			t.Errorf("Area(%d).MarshalJSON() = %s, want %s", int64(a), b, want)
		}
	}
	for a := realty.Area(-100000); a <= 100000; a += 7 {
		if back, err := realty.ParseArea(a.String()); err != nil || back != a {
			t.Fatalf("Area(%d) prints %q, which parses back to %d (%v)", int64(a), a.String(), int64(back), err)
		}
	}
}

func TestAreaScanIsExact(t *testing.T) {
	t.Parallel()
	var a realty.Area
	cases := []struct {
		src  any
		want string
	}{{int64(12), "12"}, {12.1 + 12.2, "24.3"}, {[]byte("12.50"), "12.5"}, {"0.07", "0.07"}}
	for _, c := range cases {
		if err := a.Scan(c.src); err != nil || a.String() != c.want {
			t.Errorf("Scan(%v) = %s, %v; want %s", c.src, a, err, c.want)
		}
	}
}

func TestDate(t *testing.T) {
	t.Parallel()
	d, err := realty.ParseDate("2000-02-29")
	if err != nil || d.String() != "2000-02-29" {
		t.Fatalf("ParseDate = %v, %v", d, err)
	}
	for _, bad := range []string{"2001-02-29", "2000-2-1", "01/02/2000", "2000-13-01", ""} {
		if _, err := realty.ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) succeeded", bad)
		}
	}
	var back realty.Date
	if err := back.Scan(time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)); err != nil || back.String() != "1990-05-17" {
		t.Errorf("Scan(time) = %v, %v", back, err)
	}
}

func TestUserJSONShapes(t *testing.T) {
	t.Parallel()
	u := realty.User{ID: 7, Email: "a@example.com", FirstName: "Alice", LastName: "Martin"}
	b, _ := json.Marshal(u)
	if !strings.Contains(string(b), `"birth_date":null`) {
		t.Errorf("user without birth date: %s", b)
	}
	b, _ = json.Marshal(u.Public())
	if string(b) != `{"id":7,"first_name":"Alice","last_name":"Martin"}` {
		t.Errorf("public user: %s", b)
	}
}

func TestNullablePatchJSON(t *testing.T) {
	t.Parallel()
	var p realty.RoomPatch
	if err := json.Unmarshal([]byte(`{"area": null, "level": 3}`), &p); err != nil {
		t.Fatal(err)
	}
	if !p.Area.Set || p.Area.Valid || !p.Level.Valid || p.Level.V != 3 || p.Type != nil {
		t.Errorf("decoded patch = %+v", p)
	}
	b, _ := json.Marshal(realty.RoomPatch{Level: realty.Null[int]()})
	if string(b) != `{"level":null}` {
		t.Errorf("encoded patch = %s", b)
	}
}

func TestPageJSONAlwaysHasMembers(t *testing.T) {
	t.Parallel()
	b, _ := json.Marshal(realty.Page[int]{})
	if string(b) != `{"items":[],"next_cursor":null}` {
		t.Errorf("empty page = %s", b)
	}
	var p realty.Page[int]
	if err := json.Unmarshal([]byte(`{"items":[1,2],"next_cursor":"abc"}`), &p); err != nil || p.NextCursor != "abc" || len(p.Items) != 2 {
		t.Errorf("decoded page = %+v, %v", p, err)
	}
}

func TestFilterLimits(t *testing.T) {
	t.Parallel()
	for in, want := range map[int]int{0: 20, 1: 1, 100: 100, 1000: 100} {
		f, err := realty.PropertyFilter{Limit: in}.Validate()
		if err != nil || f.Limit != want {
			t.Errorf("limit %d -> %d, %v; want %d", in, f.Limit, err, want)
		}
	}
	_, err := realty.PropertyFilter{Limit: -1, Types: []realty.PropertyType{"castle"}, City: strings.Repeat("x", 101)}.Validate()
	var ve *realty.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 3 {
		t.Errorf("bad filter: %v", err)
	}
}

func TestParseEnums(t *testing.T) {
	t.Parallel()
	if pt, err := realty.ParsePropertyType(" Apartment "); err != nil || pt != "apartment" {
		t.Errorf("ParsePropertyType = %q, %v", pt, err)
	}
	if rt, err := realty.ParseRoomType("Living-Room"); err != nil || rt != "living_room" {
		t.Errorf("ParseRoomType = %q, %v", rt, err)
	}
	if _, err := realty.ParseRoomType("dungeon"); err == nil || !strings.Contains(err.Error(), "living_room") {
		t.Errorf("ParseRoomType(dungeon) = %v; want the list of types", err)
	}
}

func TestValidationErrorMessage(t *testing.T) {
	t.Parallel()
	err := realty.NewRoom{Type: "bedroom", Area: new(realty.Area)}.Validate()
	if err == nil || err.Error() != "invalid input: area: must be greater than 0" {
		t.Errorf("message = %v", err)
	}
}

func TestCityValidation(t *testing.T) {
	t.Parallel()
	bad := []string{"-", "...", "'", "\u0301", strings.Repeat("\ufdfa", 6), strings.Repeat("\u338f", 60), "Ly\u200bon", "\u202eLyon"}
	for _, city := range bad {
		in := realty.NewProperty{Name: "House", Type: "house", City: city}.Normalized()
		var ve *realty.ValidationError
		if err := in.Validate(); !errors.As(err, &ve) || !ve.Has("city") {
			t.Errorf("city %q: got %v, want a validation error on city", city, err)
		}
	}
	for _, city := range []string{"Lyon", "Saint-Étienne", "L'Haÿ-les-Roses", "Y", strings.Repeat("é", 100)} {
		in := realty.NewProperty{Name: "House", Type: "house", City: city}.Normalized()
		if err := in.Validate(); err != nil {
			t.Errorf("city %q: %v", city, err)
		}
	}
}

func TestDescriptionsEndLinesWithLF(t *testing.T) {
	for in, want := range map[string]string{
		" a\r\nb\rc\n\n d ": "a\nb\nc\n\n d",
		"\r\n":              "",
		"plain":             "plain",
	} {
		if got := realty.NormalizeDescription(in); got != want {
			t.Errorf("NormalizeDescription(%q) = %q, want %q", in, got, want)
		}
	}
	p := realty.NewProperty{Description: "a\r\nb", Rooms: []realty.NewRoom{{Description: "c\rd"}}}.Normalized()
	d := "e\r\n"
	patch := realty.RoomPatch{Description: &d}.Normalized()
	if p.Description != "a\nb" || p.Rooms[0].Description != "c\nd" || *patch.Description != "e" {
		t.Errorf("normalized: %q, %q, %q", p.Description, p.Rooms[0].Description, *patch.Description)
	}
}

func TestNormalizeEmailNFC(t *testing.T) {
	t.Parallel()
	if a, b := realty.NormalizeEmail(" Ren\u00e9@Example.com"), realty.NormalizeEmail("RENE\u0301@example.COM "); a != b {
		t.Errorf("NFC and NFD spellings normalize to %q and %q", a, b)
	}
}

func TestDecodeJSONStrictness(t *testing.T) {
	t.Parallel()
	type inner struct {
		Tag string `json:"tag"`
	}
	type doc struct {
		inner
		Name  string           `json:"name"`
		Rooms []realty.NewRoom `json:"rooms"`
	}
	var v doc
	if err := realty.DecodeJSON([]byte(`{"tag": "a", "name": "b", "rooms": [{"type": "kitchen", "area": 9.5}]}`), &v); err != nil || v.Tag != "a" || v.Rooms[0].Area.String() != "9.5" {
		t.Errorf("a valid document: %v %+v", err, v)
	}
	for doc, malformed := range map[string]bool{
		`{"name": "a", "name": "b"}`:             true,
		`{"Name": "a"}`:                          true,
		`{"name": "\ud800"}`:                     true,
		"{\"name\": \"\xc3\"}":                   true,
		`{"name": "a"} x`:                        true,
		`{"name": 1, "rooms": [{"level": "x"}]}`: false,
		`{"nope": 1}`:                            false,
	} {
		err := realty.DecodeJSON([]byte(doc), &v)
		var ve *realty.ValidationError
		if !errors.As(err, &ve) || errors.Is(err, realty.ErrMalformed) != malformed {
			t.Errorf("%s: %v; want a validation error, malformed %v", doc, err, malformed)
		}
	}
}

func TestKindsTable(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, k := range realty.Kinds {
		if k.Code != "validation_failed" && seen[k.Code] {
			t.Errorf("code %s twice", k.Code)
		}
		seen[k.Code] = true
		if k.Status < 400 || k.Phrase == "" || k.Err == nil {
			t.Errorf("kind %s is incomplete: %+v", k.Code, k)
		}
		if got := realty.KindOf(fmt.Errorf("context: %w", k.Err)); got.Code != k.Code || got.Status != k.Status {
			t.Errorf("a wrapped %v is of kind %s %d, want %s %d", k.Err, got.Code, got.Status, k.Code, k.Status)
		}
		if got, ok := realty.KindByCode(k.Code); !ok || got.Code != k.Code {
			t.Errorf("KindByCode(%s) = %v, %v", k.Code, got, ok)
		}
	}
	for err, want := range map[error]string{
		errors.New("boom"):                           "internal 500 1",
		context.DeadlineExceeded:                     "unavailable 503 1",
		realty.Invalid("name", "is required"):        "validation_failed 422 7",
		realty.DecodeJSON([]byte(`[]`), &struct{}{}): "validation_failed 400 7",
		fmt.Errorf("x: %w", realty.ErrRateLimited):   "rate_limited 429 8",
	} {
		k := realty.KindOf(err)
		if got := fmt.Sprintf("%s %d %d", k.Code, k.Status, k.Exit); got != want {
			t.Errorf("KindOf(%v) = %s, want %s", err, got, want)
		}
	}
}

func TestOneHomeHelpers(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"Living room": "living_room", " DINING-ROOM ": "dining_room", "loft": "loft"} {
		if got := realty.NormalizeEnum(in); got != want {
			t.Errorf("NormalizeEnum(%q) = %q, want %q", in, got, want)
		}
	}
	a, _ := realty.ParseArea("12.50")
	l := -1
	if realty.AreaText(&a) != "12.5 m²" || realty.AreaText(nil) != "-" || realty.LevelText(&l) != "-1" || realty.LevelText(nil) != "-" {
		t.Errorf("AreaText/LevelText: %q %q %q %q", realty.AreaText(&a), realty.AreaText(nil), realty.LevelText(&l), realty.LevelText(nil))
	}
	var p realty.Problems
	if p.Err() != nil {
		t.Error("no problems, an error")
	}
	p.Add("name", "is required")
	if p.Merge("rooms[0].", errors.New("not a validation error")) {
		t.Error("Merge took an error that is not a ValidationError")
	}
	p.Merge("rooms[1].", fmt.Errorf("wrapped: %w", realty.Invalid("area", "must be greater than 0")))
	p.Merge("rooms[2]", realty.Invalid("", "cannot be parsed"))
	var ve *realty.ValidationError
	if err := p.Err(); !errors.As(err, &ve) || strings.Join(ve.FieldNames(), ",") != "name,rooms[1].area,rooms[2]" {
		t.Errorf("Problems: %v", err)
	}
}

// BenchmarkDecodeJSON measures the strict decoding of a batch import body
// of 1000 properties with three rooms each (POST /v1/properties/batch).
//
//	go test ./pkg/realty -run '^$' -bench DecodeJSON -benchmem
func BenchmarkDecodeJSON(b *testing.B) {
	area, level := realty.Area(1250), 2
	in := make([]realty.NewProperty, realty.MaxImport)
	for i := range in {
		in[i] = realty.NewProperty{Name: fmt.Sprint("Property ", i), Type: "house", City: "Lyon", Description: "Bright and quiet",
			Rooms: []realty.NewRoom{{Type: "bedroom", Area: &area, Level: &level, Features: []string{"balcony"}},
				{Type: "kitchen", Area: &area}, {Type: "bathroom"}}}
	}
	body, err := json.Marshal(map[string]any{"properties": in})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var out struct {
			Properties []realty.NewProperty `json:"properties"`
		}
		if err := realty.DecodeJSON(body, &out); err != nil || len(out.Properties) != len(in) {
			b.Fatal(len(out.Properties), err)
		}
	}
}

// FuzzDecodeJSON: the strict decoder never panics, accepts only what
// encoding/json (unknown members refused) accepts, and decodes it alike.
func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(`{"name":"Loft","type":"loft","city":"Lyon","rooms":[{"type":"bedroom","area":12.5,"features":["a"]}]}`))
	f.Add([]byte(`{"name":"a\u00e9\"","rooms":[{"area":1e3},{"level":-2}],"description":null}`))
	f.Add([]byte(` {"rooms":[[]],"NAME":1, "name":"x","name":"y"} `))
	f.Add([]byte(`{"rooms":[{"features":[1,"b"],"level":1.5}]}{}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var got realty.NewProperty
		err := realty.DecodeJSON(body, &got)
		if err == nil {
			var want realty.NewProperty
			dec := json.NewDecoder(strings.NewReader(string(body)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&want); err != nil {
				t.Fatalf("DecodeJSON accepted %q, which encoding/json refuses: %v", body, err)
			}
			if g, w := jsonOf(t, got), jsonOf(t, want); g != w {
				t.Fatalf("%q decodes to %s, encoding/json gives %s", body, g, w)
			}
		}
	})
}

func jsonOf(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCheckMember: one member checked as the whole input's validation would.
func TestCheckMember(t *testing.T) {
	for _, c := range []struct {
		member, value string
		ok            bool
	}{
		{"email", " Alice@Example.com ", true}, {"email", "alice", false}, {"password", "short", false},
		{"password", "long enough", true}, {"first_name", "  ", false}, {"last_name", "Martin", true},
		{"name", strings.Repeat("x", realty.MaxPropertyName+1), false}, {"type", "Loft", true}, {"type", "castle", false},
		{"city", "Saint-Étienne", true}, {"city", "", false}, {"anything", "", true},
	} {
		if err := realty.CheckMember(c.member, c.value); (err == nil) != c.ok {
			t.Errorf("CheckMember(%q, %q) = %v, want ok %v", c.member, c.value, err, c.ok)
		}
	}
}

// BenchmarkDecodeCreate measures the strict decoding of POST
// /v1/properties with five rooms (the body of ../shared/bench's P4).
func BenchmarkDecodeCreate(b *testing.B) {
	body := []byte(`{"name":"Load test flat","description":"Bright flat near the river","type":"apartment","city":"Lyon",
"rooms":[{"type":"living_room","area":32.5,"level":3,"features":["balcony","fireplace"]},
{"type":"kitchen","area":12,"level":3},{"type":"bedroom","area":14.25,"level":3,"features":["view"]},
{"type":"bedroom","area":11,"level":3},{"type":"bathroom","area":6.5,"level":3}]}`)
	for b.Loop() {
		var p realty.NewProperty
		if err := realty.DecodeJSON(body, &p); err != nil {
			b.Fatal(err)
		}
	}
}
