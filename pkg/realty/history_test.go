package realty_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/realtyhq/realty/pkg/realty"
)

// TestNewPropertyMembersStoreCompact: a new property's event is stored
// without its empty members, and read back as the whole JSON, the same as
// events stored whole before read back (so that their history shows the
// same changes).
func TestNewPropertyMembersStoreCompact(t *testing.T) {
	area, level0, level2 := realty.Area(2435), 0, 2
	price, sale := realty.Price(38_500_000), realty.Transaction("sale")
	for _, m := range []realty.NewPropertyMembers{
		{PropertyMembers: realty.PropertyMembers{Name: "Bare", Type: "land", City: "Lyon", Currency: "EUR", Status: "available"}},
		{PropertyMembers: realty.PropertyMembers{Name: "Full", Description: "Bright", Type: "loft", City: "Lyon",
			Transaction: &sale, Price: &price, Currency: "EUR", Status: "available"},
			Rooms: []realty.RoomMembers{
				{Type: "living_room", Name: "Living", Area: &area, Level: &level2, Description: "South", Features: []string{"balcony"}},
				{Type: "cellar", Level: &level0, Features: []string{}},
				{Type: "bathroom"},
			}},
	} {
		whole := m
		if whole.Rooms == nil {
			whole.Rooms = []realty.RoomMembers{}
		}
		for i := range whole.Rooms {
			if whole.Rooms[i].Features == nil {
				whole.Rooms[i].Features = []string{}
			}
		}
		want, err := json.Marshal(whole) // what events stored before
		if err != nil {
			t.Fatal(err)
		}
		compact, err := m.CompactJSON()
		if err != nil {
			t.Fatal(err)
		}
		for _, empty := range []string{`""`, `null`, `[]`} {
			if strings.Contains(string(compact), empty) {
				t.Errorf("%s: stored with an empty member (%s): %s", m.Name, empty, compact)
			}
		}
		if !strings.Contains(string(compact), `"level":0`) && m.Name == "Full" {
			t.Errorf("%s: level 0 is a value, not an empty member: %s", m.Name, compact)
		}
		for what, stored := range map[string][]byte{"compact": compact, "whole": want} {
			got, err := realty.ExpandNewPropertyMembers(stored)
			if err != nil || string(got) != string(want) {
				t.Errorf("%s, stored %s: read back %s, %v; want %s", m.Name, what, got, err, want)
			}
		}
		if len(compact) >= len(want) {
			t.Errorf("%s: %d bytes stored, %d whole", m.Name, len(compact), len(want))
		}
	}
}
