// Command searchbench times the search issue's list queries at the store
// level on a large database (1 000 000 properties by default), first page
// and page 50, p50 and p90 over -runs runs:
//
//	city=lyon&max_price=400000&min_rooms=3&sort=price
//	q=terrasse&city=paris
//	feature=balcony&sort=-area
//	status=available&transaction=rent&sort=newest
//
// It seeds the database first when it holds fewer properties than -n, with
// multi-row INSERTs of explicit ids (through the store's schema, not its
// API: a million properties through CreateProperty would take an hour on
// MySQL). For example:
//
//	go run ./scripts/searchbench -db sqlite:/tmp/search.db
//	go run ./scripts/searchbench -db mysql://root@127.0.0.1:3306/realty_search
//
// A measurement for the notes, not a test.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"slices"
	"strings"
	"time"

	_ "github.com/go-sql-driver/mysql"
	_ "modernc.org/sqlite"

	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/pkg/realty"
)

var cities = []string{"Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Montpellier", "Strasbourg",
	"Bordeaux", "Lille", "Rennes", "Reims", "Saint-Étienne", "Le Havre", "Grenoble", "Dijon", "Angers", "Nîmes",
	"Villeurbanne", "Clermont-Ferrand", "Aix-en-Provence", "Brest", "Tours", "Amiens", "Limoges", "Annecy",
	"Perpignan", "Metz", "Besançon", "Orléans", "Rouen", "Mulhouse", "Caen", "Nancy", "Avignon", "Poitiers",
	"Toulon", "Le Mans", "Nancy-Est", "Pau"}

var words = []string{"lumineux", "calme", "terrasse", "balcon", "jardin", "vue", "rénové", "parquet", "cheminée",
	"proche", "métro", "commerces", "écoles", "parking", "cave", "ascenseur", "gardien", "piscine", "moulures"}

var features = []string{"balcony", "terrace", "garden", "view", "fireplace", "parquet", "quiet", "cellar"}

func main() {
	dbURL := flag.String("db", "", "database URL (required)")
	n := flag.Int("n", 1_000_000, "properties to have")
	runs := flag.Int("runs", 50, "runs of each query")
	only := flag.String("queries", "1,2,3,4", "which of the four queries to time")
	flag.Parse()
	if *dbURL == "" {
		flag.Usage()
		return
	}
	ctx := context.Background()
	st, err := store.Open(ctx, *dbURL)
	check(err)
	defer st.Close()
	start := time.Now()
	_, err = st.Migrate(ctx)
	check(err)
	log.Printf("migrated in %s", time.Since(start).Round(time.Millisecond))
	db, err := rawDB(*dbURL)
	check(err)
	defer db.Close()
	check(seed(ctx, st, db, *n))

	price, three := realty.Price(40_000_000), 3
	queries := []struct {
		name string
		f    store.ListFilter
	}{
		{"city=lyon&max_price=400000&min_rooms=3&sort=price",
			store.ListFilter{CityKey: "lyon", MaxPrice: &price, MinRooms: &three, After: realty.SortKey{Sort: "price"}}},
		{"q=terrasse&city=paris", store.ListFilter{Words: realty.SearchWords("terrasse"), CityKey: "paris"}},
		{"feature=balcony&sort=-area", store.ListFilter{Features: []string{"balcony"}, After: realty.SortKey{Sort: "-area"}}},
		{"status=available&transaction=rent&sort=newest", store.ListFilter{Statuses: []realty.ListingStatus{"available"},
			Transaction: "rent", After: realty.SortKey{Sort: "newest"}}},
	}
	fmt.Printf("%s, %d properties, %d runs each (store level, pages of 20)\n", *dbURL, *n, *runs)
	for i, q := range queries {
		if !strings.Contains(","+*only+",", fmt.Sprintf(",%d,", i+1)) {
			continue
		}
		q.f.Limit = 21
		first := q.f
		var page50 store.ListFilter
		f := q.f
		for page := 1; page <= 50; page++ {
			items, err := st.Properties(ctx, f)
			check(err)
			if page == 50 {
				page50 = f
			}
			if len(items) < 21 {
				log.Fatalf("%s: only %d pages", q.name, page)
			}
			f.After = realty.KeyOf(f.After.Sort, items[19])
			if f.After.Sort == "" {
				f.After.Sort = "id"
			}
		}
		p1, p90a := timeIt(ctx, st, first, *runs)
		p50, p90b := timeIt(ctx, st, page50, *runs)
		fmt.Printf("%-50s page 1: p50 %6.2f ms p90 %6.2f ms | page 50: p50 %6.2f ms p90 %6.2f ms (%.2fx)\n",
			q.name, ms(p1), ms(p90a), ms(p50), ms(p90b), float64(p50)/float64(p1))
	}
}

func timeIt(ctx context.Context, st *store.Store, f store.ListFilter, runs int) (p50, p90 time.Duration) {
	var d []time.Duration
	for range runs {
		start := time.Now()
		_, err := st.Properties(ctx, f)
		check(err)
		d = append(d, time.Since(start))
	}
	slices.Sort(d)
	return d[len(d)/2], d[len(d)*9/10]
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// seed adds properties (ids from the current maximum) until there are n.
func seed(ctx context.Context, st *store.Store, db *sql.DB, n int) error {
	var have, maxID int64
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM properties").Scan(&have, &maxID); err != nil {
		return err
	}
	if int(have) >= n {
		return nil
	}
	var owner int64
	err := db.QueryRowContext(ctx, "SELECT id FROM users WHERE email = 'searchbench@example.com'").Scan(&owner)
	if err == sql.ErrNoRows {
		_, err = db.ExecContext(ctx, `INSERT INTO users (email, password_hash, first_name, last_name, created_at, updated_at)
			VALUES ('searchbench@example.com', '$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA', 'Search', 'Bench', ?, ?)`,
			time.Now().UTC(), time.Now().UTC())
		if err == nil {
			err = db.QueryRowContext(ctx, "SELECT id FROM users WHERE email = 'searchbench@example.com'").Scan(&owner)
		}
	}
	if err != nil {
		return err
	}
	log.Printf("seeding %d properties", n-int(have))
	start := time.Now()
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var roomID int64
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM rooms").Scan(&roomID); err != nil {
		return err
	}
	const batch = 500
	for i := int(have); i < n; i += batch {
		var props, rooms, feats []any
		var pn, rn, fn int
		for j := i; j < min(n, i+batch); j++ {
			id := maxID + int64(j-int(have)) + 1
			city := cities[(j*7)%len(cities)]
			typ := realty.PropertyTypes[j%len(realty.PropertyTypes)]
			nRooms := (j * 13) % 7
			var total realty.Area
			for r := range nRooms {
				roomID++
				a := realty.Area(900 + ((j*31+r*17)%4000)*1)
				total += a
				rooms = append(rooms, roomID, id, r+1, realty.RoomTypes[(j+r)%len(realty.RoomTypes)], "", a, r%3, "")
				rn++
				if (j+r)%3 == 0 {
					feats = append(feats, roomID, features[(j+r)%len(features)])
					fn++
				}
			}
			var tr, price, status any = nil, nil, "available"
			switch j % 3 {
			case 0:
				tr, price = "sale", realty.Price((80_000+(j*7919)%900_000)*100)
			case 1:
				tr, price = "rent", realty.Price((400+(j*37)%2600)*100)
			}
			if tr != nil && j%9 == 0 {
				status = "under_offer"
			}
			desc := words[j%len(words)] + " " + words[(j/7)%len(words)] + " " + words[(j/49)%len(words)]
			at := base.Add(time.Duration(j) * time.Minute)
			props = append(props, id, owner, fmt.Sprintf("Bien %07d %s", j, words[(j/3)%len(words)]), desc, typ, city,
				realty.CityKey(city), at, at, nRooms, total, tr, price, "EUR", status)
			pn++
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for _, stmt := range []struct {
			q    string
			n, c int
			args []any
		}{
			{`INSERT INTO properties (id, owner_id, name, description, type, city, city_key, created_at, updated_at,
				room_count, total_area, transaction_type, price, currency, status, version) VALUES `, pn, 15, props},
			{`INSERT INTO rooms (id, property_id, position, type, name, area, level, description) VALUES `, rn, 8, rooms},
			{`INSERT INTO room_features (room_id, feature) VALUES `, fn, 2, feats},
		} {
			if stmt.n == 0 {
				continue
			}
			row := "(" + strings.TrimSuffix(strings.Repeat("?, ", stmt.c), ", ") + ")"
			if strings.Contains(stmt.q, "version") {
				row = "(" + strings.TrimSuffix(strings.Repeat("?, ", stmt.c), ", ") + ", 1)"
			}
			q := stmt.q + strings.TrimSuffix(strings.Repeat(row+", ", stmt.n), ", ")
			if _, err := tx.ExecContext(ctx, q, stmt.args...); err != nil {
				tx.Rollback()
				return err
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		if (i/batch)%200 == 0 {
			log.Printf("%d properties, %.0f/s", i+batch, float64(i+batch-int(have))/time.Since(start).Seconds())
		}
	}
	log.Printf("seeded in %s", time.Since(start).Round(time.Second))
	// The words of the new properties: the store's own backfill, as after
	// the migration that added the word index (0007), from the first new id.
	start = time.Now()
	if _, err := db.ExecContext(ctx, "INSERT INTO search_backfill (name, next_id) VALUES ('property_words', ?)",
		maxID); err != nil {
		return err
	}
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	log.Printf("words indexed in %s", time.Since(start).Round(time.Second))
	for _, q := range []string{"ANALYZE", "ANALYZE TABLE properties, rooms, room_features, property_words"} {
		if _, err := db.ExecContext(ctx, q); err == nil {
			break
		}
	}
	return nil
}

// rawDB opens the database without the store, for the seeding's
// multi-row INSERTs of explicit ids.
func rawDB(dbURL string) (*sql.DB, error) {
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		return sql.Open("sqlite", strings.TrimPrefix(path, "//")+"?_pragma=busy_timeout(10000)")
	}
	cfg, err := store.MySQLConfig(dbURL)
	if err != nil {
		return nil, err
	}
	return sql.Open("mysql", cfg.FormatDSN())
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
