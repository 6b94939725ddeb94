package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/migrations"
	"github.com/realtyhq/realty/pkg/realty"
)

// TestListQueriesUseTheirIndexes: on a few thousand properties, with the
// statistics gathered, the query of a list page reads each single filter
// and each order through its index, on both dialects: never a scan of the
// whole table followed by a sort.
func TestListQueriesUseTheirIndexes(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		st := testdb.Open(t, dialect)
		owner, err := st.CreateUser(ctx, user("explain@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		other, err := st.CreateUser(ctx, user("other@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		at := time.Now().UTC().Truncate(time.Microsecond)
		var rows []store.NewPropertyRow
		sale, rent := realty.Transaction("sale"), realty.Transaction("rent")
		for i := range 3000 {
			price := realty.Price(5_000_000 + (i*7919)%100_000_000)
			area := realty.Area(1000 + (i*31)%20000)
			statuses := []realty.ListingStatus{"available", "available", "available", "under_offer", "sold", "withdrawn"}
			r := store.NewPropertyRow{PropertyRow: store.PropertyRow{OwnerID: []int64{owner, other}[i%50/49],
				Name: fmt.Sprint("P", i), Description: "terrasse" + strings.Repeat(" calme", i%3) + map[bool]string{true: " moulures"}[i%500 == 0],
				Type: realty.PropertyTypes[i%len(realty.PropertyTypes)], City: fmt.Sprint("City ", i%40),
				CityKey: fmt.Sprint("city ", i%40), At: at.Add(time.Duration(i) * time.Second),
				Transaction: &sale, Price: &price, Status: statuses[i%len(statuses)]}}
			if i%5 == 0 {
				r.Transaction, r.Status = &rent, "available"
			}
			for range i % 4 {
				r.Rooms = append(r.Rooms, realty.NewRoom{Type: "bedroom", Area: &area,
					Features: []string{[]string{"balcony", "garden", "view", "quiet", "cellar"}[i%5]}})
			}
			r.RoomCount, r.TotalArea = realty.RoomTotals(r.Rooms)
			rows = append(rows, r)
		}
		if err := st.InTx(ctx, func(tx *store.Tx) error { _, err := tx.InsertProperties(ctx, rows); return err }); err != nil {
			t.Fatal(err)
		}
		analyze := "ANALYZE"
		if dialect == migrations.MySQL {
			analyze = "ANALYZE TABLE properties, rooms, room_features, property_words"
		}
		if err := st.ExecWriter(analyze); err != nil {
			t.Fatal(err)
		}
		price, n, area := realty.Price(100_000_000), 3, realty.Area(50000)
		for what, c := range map[string]struct {
			f     store.ListFilter
			index string
		}{
			"city":         {store.ListFilter{CityKey: "city 7"}, "properties_city_idx"},
			"type":         {store.ListFilter{Types: []realty.PropertyType{"villa"}}, "properties_type_idx"},
			"owner":        {store.ListFilter{OwnerID: other}, "properties_owner_idx"},
			"status":       {store.ListFilter{Statuses: []realty.ListingStatus{"withdrawn"}}, "properties_status_idx"},
			"feature":      {store.ListFilter{Features: []string{"garden"}}, "room_features_feature_idx"},
			"sort newest":  {store.ListFilter{After: realty.SortKey{Sort: "newest"}}, "properties_created_idx"},
			"sort updated": {store.ListFilter{After: realty.SortKey{Sort: "updated"}}, "properties_updated_idx"},
			"sort price":   {store.ListFilter{After: realty.SortKey{Sort: "price"}}, "properties_price_idx"},
			"sort -price":  {store.ListFilter{After: realty.SortKey{Sort: "-price"}}, "properties_price_idx"},
			"sort area":    {store.ListFilter{After: realty.SortKey{Sort: "area"}}, "properties_area_idx"},
			"sort -area":   {store.ListFilter{After: realty.SortKey{Sort: "-area"}}, "properties_area_idx"},
			"sort rooms":   {store.ListFilter{After: realty.SortKey{Sort: "rooms"}}, "properties_rooms_idx"},
			"sort -rooms":  {store.ListFilter{After: realty.SortKey{Sort: "-rooms"}}, "properties_rooms_idx"},
			"price range, by price": {store.ListFilter{MaxPrice: &price, After: realty.SortKey{Sort: "price"}},
				"properties_price_idx"},
			"rooms, by rooms": {store.ListFilter{MinRooms: &n, After: realty.SortKey{Sort: "rooms"}}, "properties_rooms_idx"},
			"area, by area":   {store.ListFilter{MinArea: &area, After: realty.SortKey{Sort: "-area"}}, "properties_area_idx"},
		} {
			plan, err := st.ExplainList(c.f)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			t.Logf("%s: %s", what, strings.ReplaceAll(plan, "\n", " | "))
			if !strings.Contains(plan, c.index) {
				t.Errorf("%s: the plan does not use %s:\n%s", what, c.index, plan)
			}
		}
		// The word search reads the word index: by word when the word is
		// rare (its properties then by id), by property on each candidate
		// in the order's index when it is common (here, from 100 matches).
		st.SetRareMatches(100)
		for words, reads := range map[string]string{
			"moulures": map[string]string{migrations.SQLite: "SEARCH property_words USING COVERING INDEX property_words_word_idx (word>? AND word<?)",
				migrations.MySQL: "property_words range property_words_word_idx"}[dialect],
			"terrasse": map[string]string{migrations.SQLite: "SEARCH w USING PRIMARY KEY (property_id=? AND word>? AND word<?)",
				migrations.MySQL: "w ref PRIMARY"}[dialect],
		} {
			plan, err := st.ExplainList(store.ListFilter{Words: []string{words}})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("q=%s: %s", words, strings.ReplaceAll(plan, "\n", " | "))
			if !strings.Contains(plan, reads) {
				t.Errorf("q=%s: the plan does not read %s:\n%s", words, reads, plan)
			}
		}
	})
}
