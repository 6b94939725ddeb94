package server

import (
	"encoding/json"
	"testing"

	"github.com/realtyhq/realty/pkg/realty"
)

// TestWirePageIsPageJSON: the one-pass encoding of a page is byte for byte
// what realty.Page's MarshalJSON writes.
func TestWirePageIsPageJSON(t *testing.T) {
	a := realty.Area(1250)
	for _, p := range []realty.Page[realty.PropertySummary]{
		{}, {Items: []realty.PropertySummary{}},
		{Items: []realty.PropertySummary{{ID: 1, Name: "Loft", City: "Lyon", TotalArea: a}}, NextCursor: "cDox"},
	} {
		want, _ := json.Marshal(p)
		got, _ := json.Marshal(wirePage(p))
		if string(got) != string(want) {
			t.Errorf("wire page %s, Page %s", got, want)
		}
	}
}
