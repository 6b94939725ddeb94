package cli_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/realtyhq/realty/internal/cli"
	"github.com/realtyhq/realty/pkg/realty"
)

func TestParseRoomSpec(t *testing.T) {
	r, err := cli.ParseRoomSpec(`Living-Room, name=Salon, area=32.50, level=-1, feature=fireplace, features=view|quiet, description="Big, bright"`)
	if err != nil {
		t.Fatal(err)
	}
	if r.Type != "living_room" || r.Name != "Salon" || r.Area.String() != "32.5" || *r.Level != -1 ||
		r.Description != "Big, bright" || !reflect.DeepEqual(r.Features, []string{"fireplace", "view", "quiet"}) {
		t.Errorf("parsed %+v", r)
	}
	for spec, want := range map[string]string{
		"":                         "write it as",
		"dungeon":                  "unknown room type",
		"name=Salon":               "type is missing",
		"bedroom,area=12.345":      "at most 2 decimals",
		"bedroom,level=first":      "not a whole number",
		"bedroom,colour=blue":      "unknown key",
		"bedroom,Salon":            "is not key=value",
		"bedroom\nkitchen":         "one line",
		"bedroom,name=a\nb":        "one line",
		`bedroom,"name=unfinished`: "write it as",
	} {
		_, err := cli.ParseRoomSpec(spec)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseRoomSpec(%q) = %v; want an error with %q", spec, err, want)
		}
	}
}

func TestDecodeProperty(t *testing.T) {
	p, err := cli.DecodeProperty(strings.NewReader(`{"name": "Loft", "type": "loft", "city": "Lyon",
		"rooms": [{"type": "bedroom", "area": 12.5, "level": null, "features": ["balcony"]}]}`))
	if err != nil || p.Name != "Loft" || len(p.Rooms) != 1 || p.Rooms[0].Area.String() != "12.5" || p.Rooms[0].Level != nil {
		t.Fatalf("decoded %+v, %v", p, err)
	}
	for in, want := range map[string]string{
		`{"name": "Loft", "owner": {"id": 1}}`: `owner: is not a member`,
		`{"name": "Loft", "id": 3}`:            `id: is not a member`,
		`{"name": "Loft", "version": 3}`:       `version: is not a member`,
		`{"name": 3}`:                          "must be a JSON string",
		`{"rooms": {}}`:                        "must be a JSON array",
		`{"name": "Loft"} {"name": "Again"}`:   "data after",
		`{"name": "Lo`:                         "cut short",
		``:                                     "empty",
		`{"rooms": [{"area": 1.234}]}`:         "at most 2 decimals",
		`[1, 2]`:                               "must be a JSON object",
	} {
		_, err := cli.DecodeProperty(strings.NewReader(in))
		var ve *realty.ValidationError
		if err == nil || !strings.Contains(err.Error(), want) || !errorsAs(err, &ve) {
			t.Errorf("DecodeProperty(%s) = %v; want a validation error with %q", in, err, want)
		}
	}
	big := `{"description": "` + strings.Repeat("x", 1<<20) + `"}`
	if _, err := cli.DecodeProperty(strings.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("1 MiB file: %v", err)
	}
}

func errorsAs(err error, ve **realty.ValidationError) bool { return errors.As(err, ve) }

// FuzzDecodeProperty: any input either fails cleanly or decodes to a property
// that encodes and decodes back to itself.
func FuzzDecodeProperty(f *testing.F) {
	f.Add(`{"name":"Loft","type":"loft","city":"Lyon","rooms":[{"type":"bedroom","area":12.5,"level":1,"features":["a"]}]}`)
	f.Add(`{"rooms":[{"area":null,"level":-5}]}`)
	f.Add(`{"name":"\u00e9\ud83d\ude00","description":""}`)
	f.Add(`{"id":1}`)
	f.Fuzz(func(t *testing.T, in string) {
		p, err := cli.DecodeProperty(strings.NewReader(in))
		if err != nil {
			var ve *realty.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		_ = p.Normalized().Validate()
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		again, err := cli.DecodeProperty(strings.NewReader(string(b)))
		if err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if b2, _ := json.Marshal(again); string(b2) != string(b) {
			t.Fatalf("round trip changed the property:\n%s\n%s", b, b2)
		}
	})
}

// FuzzParseRoomSpec: any --room value either fails with a validation error
// or gives a room with a valid type.
func FuzzParseRoomSpec(f *testing.F) {
	for _, s := range []string{"bedroom", "living_room,name=Salon,area=32.5,level=3,feature=fireplace",
		`kitchen,"description=a, b",features=x|y`, "name=x", "bedroom,area=-1.5,level=999",
		"bedroom,description=\"a\nb\"", `bedroom,name="say ""hi"""`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		r, err := cli.ParseRoomSpec(spec)
		if err != nil {
			if _, ok := err.(*realty.ValidationError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if !r.Type.Valid() {
			t.Fatalf("%q parsed to room type %q", spec, r.Type)
		}
		_ = r.Normalized().Validate()
		// Written back, it reads the same, alone or among other rooms.
		formatted := cli.FormatRoomSpec(r)
		again, err := cli.ParseRoomSpec(formatted)
		if err != nil || !reflect.DeepEqual(again, r) {
			t.Fatalf("%q parsed to %+v, written %q, read back %+v, %v", spec, r, formatted, again, err)
		}
		rooms, err := cli.ParseRoomSpecs("bedroom\n" + formatted + "\r\n\nkitchen,name=x\n")
		if err != nil || len(rooms) != 3 || !reflect.DeepEqual(rooms[1], r) {
			t.Fatalf("%q among other rooms read back as %+v, %v", formatted, rooms, err)
		}
	})
}

func TestFormatRoomSpec(t *testing.T) {
	a, lvl := realty.Area(1250), -1
	r := realty.NewRoom{Type: "bedroom", Name: `Chambre "bleue", sud`, Area: &a, Level: &lvl,
		Description: "Parquet\nmoulures ", Features: []string{"balcony", "a|b"}}
	spec := cli.FormatRoomSpec(r)
	want := `bedroom,name="Chambre ""bleue"", sud",area=12.5,level=-1,description="Parquet` + "\n" +
		`moulures ",feature=balcony,feature=a|b`
	if spec != want {
		t.Errorf("FormatRoomSpec = %q\nwant %q", spec, want)
	}
	rooms, err := cli.ParseRoomSpecs(spec + "\n" + cli.FormatRoomSpec(realty.NewRoom{Type: "kitchen"}))
	if err != nil || len(rooms) != 2 || !reflect.DeepEqual(rooms[0], r) || rooms[1].Type != "kitchen" {
		t.Errorf("read back %+v, %v", rooms, err)
	}
	_, err = cli.ParseRoomSpecs("bedroom\ndungeon\nkitchen,level=x")
	if err == nil || !strings.Contains(err.Error(), "rooms[1]") || !strings.Contains(err.Error(), "rooms[2]") {
		t.Errorf("bad rooms: %v", err)
	}
}
