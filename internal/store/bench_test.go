package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/pkg/realty"
)

// BenchmarkPropertiesByCity measures one page of a city's properties (the
// query behind GET /v1/properties?city=) among 20 000 properties in 40 cities.
//
//	go test ./internal/store -run '^$' -bench PropertiesByCity
func BenchmarkPropertiesByCity(b *testing.B) {
	for _, dialect := range testdb.Dialects {
		b.Run(dialect, func(b *testing.B) {
			st := testdb.Open(b, dialect)
			seed(b, st, 20000, 40)
			for i := 0; b.Loop(); i++ {
				page, err := st.Properties(ctx, store.ListFilter{CityKey: fmt.Sprintf("city %d", i%40), Limit: 21})
				if err != nil || len(page) != 21 {
					b.Fatalf("%d items, %v", len(page), err)
				}
			}
		})
	}
}

func seed(b *testing.B, st *store.Store, n, cities int) {
	b.Helper()
	owner, err := st.CreateUser(ctx, user("owner@example.com"))
	if err != nil {
		b.Fatal(err)
	}
	area := realty.Area(1250)
	const batch = 1000
	for done := 0; done < n; done += batch {
		err := st.InTx(ctx, func(tx *store.Tx) error {
			for i := done; i < done+batch; i++ {
				city := fmt.Sprintf("City %d", i%cities)
				id, err := tx.InsertProperty(ctx, store.PropertyRow{OwnerID: owner, Name: fmt.Sprint("P", i), Type: "house",
					City: city, CityKey: realty.CityKey(city), At: time.Now().UTC()})
				if err != nil {
					return err
				}
				if _, err := tx.InsertRooms(ctx, id, 0, []realty.NewRoom{{Type: "bedroom", Area: &area}, {Type: "kitchen"}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCities measures the city list with counts (GET /v1/cities, the
// TUI's city picker) over 20 000 properties in 40 cities: every city, and a
// prefix (completion, the picker's search), which must read only its own
// cities' keys (one matching nothing late in the alphabet read them all
// when the index range started at the cursor rather than at the prefix).
func BenchmarkCities(b *testing.B) {
	for _, dialect := range testdb.Dialects {
		st := testdb.Open(b, dialect)
		seed(b, st, 20000, 40)
		for _, c := range []struct {
			name, prefix string
			want         int
		}{{"all", "", 40}, {"prefix", "city 3", 11}, {"no-match", "zzz", 0}} {
			b.Run(dialect+"/"+c.name, func(b *testing.B) {
				for b.Loop() {
					cities, err := st.Cities(ctx, c.prefix, "", 100)
					if err != nil || len(cities) != c.want {
						b.Fatalf("%d cities, %v", len(cities), err)
					}
				}
			})
		}
	}
}

// BenchmarkProperty measures reading one property with its five rooms and
// their features (GET /v1/properties/{id}) among 2 000 properties.
//
//	go test ./internal/store -run '^$' -bench 'Property$' -benchmem
func BenchmarkProperty(b *testing.B) {
	for _, dialect := range testdb.Dialects {
		b.Run(dialect, func(b *testing.B) {
			st := testdb.Open(b, dialect)
			seed(b, st, 2000, 10)
			owner, err := st.CreateUser(ctx, user("rooms@example.com"))
			if err != nil {
				b.Fatal(err)
			}
			area := realty.Area(1250)
			var id int64
			err = st.InTx(ctx, func(tx *store.Tx) error {
				id, err = tx.InsertProperty(ctx, store.PropertyRow{OwnerID: owner, Name: "Five rooms", Type: "house",
					City: "Lyon", CityKey: "lyon", At: time.Now().UTC()})
				if err != nil {
					return err
				}
				rooms := make([]realty.NewRoom, 5)
				for i := range rooms {
					rooms[i] = realty.NewRoom{Type: "bedroom", Area: &area, Features: []string{"balcony", "south-facing"}}
				}
				_, err = tx.InsertRooms(ctx, id, 0, rooms)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				p, err := st.Property(ctx, id)
				if err != nil || len(p.Rooms) != 5 || len(p.Rooms[4].Features) != 2 {
					b.Fatalf("%d rooms, %v", len(p.Rooms), err)
				}
			}
		})
	}
}
