package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/realtyhq/realty/internal/ratelimit"
	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/migrations"
	"github.com/realtyhq/realty/pkg/realty"
)

var ctx = context.Background()

func user(email string) store.UserRow {
	now := time.Now().UTC().Truncate(time.Microsecond)
	return store.UserRow{Email: email, PasswordHash: "$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA", FirstName: "A",
		LastName: "B", CreatedAt: now, UpdatedAt: now}
}

func eachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	for _, d := range testdb.Dialects {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}

func TestMigrateTwiceAndConcurrently(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		url := testdb.URL(t, dialect)
		const n = 4
		applied := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				st, err := store.Open(ctx, url)
				if err != nil {
					t.Error(err)
					return
				}
				defer st.Close()
				done, err := st.Migrate(ctx)
				if err != nil {
					t.Error(err)
				}
				applied[i] = len(done)
			})
		}
		wg.Wait()
		latest, _ := migrations.Latest(dialect)
		total := 0
		for _, a := range applied {
			total += a
		}
		if total != latest {
			t.Errorf("%d processes applied %d migrations in all, want %d (each once)", n, total, latest)
		}
		st, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		status, err := st.Migrations(ctx)
		if err != nil || len(status) != latest || status[0].AppliedAt.IsZero() {
			t.Errorf("status = %+v, %v", status, err)
		}
		if ok, err := st.SchemaCurrent(ctx); !ok || err != nil {
			t.Errorf("SchemaCurrent = %v, %v", ok, err)
		}
	})
}

func TestFreshDatabaseStatus(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		st, err := store.Open(ctx, testdb.URL(t, dialect))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		status, err := st.Migrations(ctx)
		if err != nil || len(status) == 0 || !status[0].AppliedAt.IsZero() {
			t.Errorf("fresh status = %+v, %v", status, err)
		}
		if ok, _ := st.SchemaCurrent(ctx); ok {
			t.Error("a fresh database reports a current schema")
		}
	})
}

// TestDatabaseEnforcesConstraints bypasses Go validation: the schema itself
// refuses bad rows and dangling references, on every connection of the pool.
func TestDatabaseEnforcesConstraints(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		st := testdb.Open(t, dialect)
		id, err := st.CreateUser(ctx, user("a@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateUser(ctx, user("a@example.com")); !errors.Is(err, realty.ErrConflict) {
			t.Errorf("duplicate email: %v, want conflict", err)
		}
		bad := []store.PropertyRow{
			{OwnerID: id, Name: "", Type: "house", City: "Lyon", CityKey: "lyon"},
			{OwnerID: id, Name: "X", Type: "castle", City: "Lyon", CityKey: "lyon"},
			{OwnerID: id, Name: strings.Repeat("x", 121), Type: "house", City: "Lyon", CityKey: "lyon"},
		}
		for i, p := range bad {
			p.At = time.Now().UTC()
			err := st.InTx(ctx, func(tx *store.Tx) error { _, err := tx.InsertProperty(ctx, p); return err })
			if err == nil {
				t.Errorf("bad property %d was stored", i)
			}
		}
		// Foreign keys hold on every connection (SQLite turns them on per
		// connection: the pragma must be in the DSN).
		for i := range 8 {
			err := st.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.InsertProperty(ctx, store.PropertyRow{OwnerID: id + 1000, Name: "X", Type: "house",
					City: "Lyon", CityKey: "lyon", At: time.Now().UTC()})
				return err
			})
			if !errors.Is(err, realty.ErrNotFound) {
				t.Errorf("attempt %d: property of a missing owner: %v, want not found", i, err)
			}
		}
		var pid int64
		if err := st.InTx(ctx, func(tx *store.Tx) error {
			var err error
			pid, err = tx.InsertProperty(ctx, store.PropertyRow{OwnerID: id, Name: "X", Type: "house", City: "Lyon", CityKey: "lyon", At: time.Now().UTC()})
			if err != nil {
				return err
			}
			zero := realty.Area(0)
			_, err = tx.InsertRooms(ctx, pid, 0, []realty.NewRoom{{Type: "bedroom", Area: &zero}})
			return err
		}); err == nil {
			t.Error("a room of 0 m² was stored")
		}
		if _, err := st.Property(ctx, pid); !errors.Is(err, realty.ErrNotFound) {
			t.Errorf("the transaction was not rolled back: %v", err)
		}
	})
}

// TestConcurrentWriters: many goroutines writing at once all succeed; on
// SQLite the single writer connection queues them (no SQLITE_BUSY).
func TestConcurrentWriters(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		st := testdb.Open(t, dialect)
		const n = 40
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, err := st.CreateUser(ctx, user(fmt.Sprintf("u%d@example.com", i)))
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
	})
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	if _, err := store.Open(ctx, "postgres://u:secret@h/db"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("unsupported URL: %v (the password must not be shown)", err)
	}
	_, err := store.Open(ctx, "mysql://u:hunter22@127.0.0.1:1/db")
	if !errors.Is(err, realty.ErrUnavailable) || strings.Contains(err.Error(), "hunter22") {
		t.Errorf("unreachable MySQL: %v; want unavailable, without the password", err)
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"mysql://root:pw@127.0.0.1:3306/realty": "mysql://root:xxxxx@127.0.0.1:3306/realty",
		"mysql://root@127.0.0.1:3306/realty":    "mysql://root@127.0.0.1:3306/realty",
		"sqlite:/tmp/realty.db":                 "sqlite:/tmp/realty.db",
	} {
		if got := store.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSQLiteFileIsPrivate: the database holds password hashes, emails and
// birth dates; other local users cannot read it, nor its WAL.
func TestSQLiteFileIsPrivate(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "new", "realty")
	path := filepath.Join(dir, "realty.db")
	st, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]os.FileMode{dir: 0o700, path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s has mode %v, want %v", filepath.Base(name), got, want)
		}
	}
}

// TestInsertProperties: a bulk insert gives each property its own id, rooms
// and features, in order, across statement blocks, after rows deleted at
// the end of the tables (ids are never reused), and a bad row rolls back
// everything.
func TestInsertProperties(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		st := testdb.Open(t, dialect)
		owner, err := st.CreateUser(ctx, user("bulk@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		at := time.Now().UTC().Truncate(time.Microsecond)
		row := func(i int) store.NewPropertyRow {
			p := store.NewPropertyRow{PropertyRow: store.PropertyRow{OwnerID: owner, Name: fmt.Sprint("P", i),
				Type: "house", City: "Lyon", CityKey: "lyon", At: at}}
			for j := range i % 4 { // 0 to 3 rooms: some properties have none
				area, level := realty.Area(100*(i+1)+j), j
				p.Rooms = append(p.Rooms, realty.NewRoom{Type: "bedroom", Name: fmt.Sprintf("R%d.%d", i, j),
					Area: &area, Level: &level, Features: []string{fmt.Sprintf("f%d.%d", i, j), "z"}[:j%3]})
			}
			return p
		}
		insert := func(rows []store.NewPropertyRow) (ids []int64, err error) {
			err = st.InTx(ctx, func(tx *store.Tx) error {
				ids, err = tx.InsertProperties(ctx, rows)
				return err
			})
			return ids, err
		}
		// Leave a deleted property (with rooms) at the end of each table.
		first, err := insert([]store.NewPropertyRow{row(3)})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteProperty(ctx, first[0]) }); err != nil {
			t.Fatal(err)
		}
		rows := make([]store.NewPropertyRow, 1234) // more than one block of properties and of rooms
		for i := range rows {
			rows[i] = row(i)
		}
		ids, err := insert(rows)
		if err != nil || len(ids) != len(rows) {
			t.Fatalf("insert: %d ids, %v", len(ids), err)
		}
		for i, id := range ids {
			if i > 0 && id <= ids[i-1] || id <= first[0] {
				t.Fatalf("ids not increasing past the deleted one: %v", ids[max(0, i-1):i+1])
			}
			if i%97 != 0 && i != len(ids)-1 {
				continue
			}
			p, err := st.Property(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			want := row(i)
			if p.Name != want.Name || len(p.Rooms) != len(want.Rooms) {
				t.Fatalf("property %d is %q with %d rooms, want %q with %d", id, p.Name, len(p.Rooms), want.Name, len(want.Rooms))
			}
			for j, r := range p.Rooms {
				w := want.Rooms[j]
				if r.Name != w.Name || *r.Area != *w.Area || *r.Level != *w.Level || fmt.Sprint(r.Features) != fmt.Sprint(w.Features) {
					t.Errorf("property %d room %d: %+v, want %+v", id, j, r, w)
				}
			}
		}
		before, _ := st.Properties(ctx, store.ListFilter{OwnerID: owner, Limit: 2000})
		bad := []store.NewPropertyRow{row(1), row(2)}
		zero := realty.Area(0)
		bad[1].Rooms[0].Area = &zero
		if _, err := insert(bad); err == nil {
			t.Error("a room of 0 m² was stored")
		}
		if after, _ := st.Properties(ctx, store.ListFilter{OwnerID: owner, Limit: 2000}); len(after) != len(before) {
			t.Errorf("a failed bulk insert left %d properties", len(after)-len(before))
		}
	})
}

// TestFailedTransactionsLeaveNothingOpen: a transaction whose function fails
// after writing, or whose context ends while it writes, is rolled back, and
// its connection never goes back to the pool with it still open (MySQL runs
// transactions on connections whose autocommit is off). More failures than
// the pool has connections, then a write that must see none of them.
func TestFailedTransactionsLeaveNothingOpen(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		st := testdb.Open(t, dialect)
		owner, err := st.CreateUser(ctx, user("rollback@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		insert := func(ctx context.Context, tx *store.Tx) error {
			_, err := tx.InsertProperty(ctx, store.PropertyRow{OwnerID: owner, Name: "P", Type: "house", City: "Lyon",
				CityKey: "lyon", At: time.Now().UTC()})
			return err
		}
		oops := errors.New("oops")
		for i := range 40 {
			err := st.InTx(ctx, func(tx *store.Tx) error {
				if err := insert(ctx, tx); err != nil {
					return err
				}
				return oops
			})
			if !errors.Is(err, oops) {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		for i := range 10 {
			cctx, cancel := context.WithCancel(ctx)
			_ = st.InTx(cctx, func(tx *store.Tx) error {
				if err := insert(cctx, tx); err != nil {
					return err
				}
				cancel()
				return insert(cctx, tx)
			})
			cancel()
			if i == 0 && ctx.Err() != nil {
				t.Fatal(ctx.Err())
			}
		}
		if err := st.InTx(ctx, func(tx *store.Tx) error { return insert(ctx, tx) }); err != nil {
			t.Fatal(err)
		}
		rows, err := st.Properties(ctx, store.ListFilter{OwnerID: owner, Limit: 100})
		if err != nil || len(rows) != 1 {
			t.Errorf("%d properties after 50 failed transactions and one that worked, want 1 (%v)", len(rows), err)
		}
	})
}

// TestPoolStatsNameEveryPool: /metrics reports each pool the store opens,
// MySQL's transaction pool included.
func TestPoolStatsNameEveryPool(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		st := testdb.Open(t, dialect)
		var names []string
		for name := range st.PoolStats() {
			names = append(names, name)
		}
		slices.Sort(names)
		want := map[string]string{"sqlite": "read write", "mysql": "main tx"}[dialect]
		if got := strings.Join(names, " "); got != want {
			t.Errorf("pools %q, want %q", got, want)
		}
	})
}

// TestSearchMigrationIndexesExistingProperties: properties stored before
// the word index (migration 0007) are found once Migrate has run: it writes
// their words, a batch per transaction from the recorded position, and then
// forgets the position.
func TestSearchMigrationIndexesExistingProperties(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		st := testdb.Open(t, dialect)
		owner, err := st.CreateUser(ctx, user("old@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		rows := make([]store.NewPropertyRow, 2500) // three batches
		for i := range rows {
			rows[i] = store.NewPropertyRow{PropertyRow: store.PropertyRow{OwnerID: owner, Name: fmt.Sprint("Maison ", i),
				Description: "Pierres et poutres d'époque", Type: "house", City: "Lyon", CityKey: "lyon", At: time.Now().UTC()}}
		}
		rows[1234].Description = "Grange à rénover"
		var ids []int64
		if err := st.InTx(ctx, func(tx *store.Tx) (err error) { ids, err = tx.InsertProperties(ctx, rows); return err }); err != nil {
			t.Fatal(err)
		}
		// As 0007 leaves a database whose properties have no words yet.
		for _, q := range []string{"DELETE FROM property_words",
			"INSERT INTO search_backfill (name, next_id) VALUES ('property_words', 0)"} {
			if err := st.ExecWriter(q); err != nil {
				t.Fatal(err)
			}
		}
		find := func(q string) []realty.PropertySummary {
			t.Helper()
			got, err := st.Properties(ctx, store.ListFilter{Words: realty.SearchWords(q), Limit: 3000})
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := find("grange"); len(got) != 0 {
			t.Fatalf("found %d before the backfill", len(got))
		}
		if done, err := st.Migrate(ctx); err != nil || len(done) != 0 {
			t.Fatalf("migrate = %v, %v; want nothing applied", done, err)
		}
		if got := find("GRANGE renover"); len(got) != 1 || got[0].ID != ids[1234] {
			t.Errorf("search after the backfill = %v; want property %d", got, ids[1234])
		}
		if got := find("EPOQUE poutre"); len(got) != 2499 {
			t.Errorf("%d properties of the other words; want 2499", len(got))
		}
		// A backfill stopped midway goes on from its position, and forgets
		// it at the end: the next Migrate indexes nothing.
		for _, q := range []string{"DELETE FROM property_words",
			fmt.Sprint("INSERT INTO search_backfill (name, next_id) VALUES ('property_words', ", ids[1999], ")")} {
			if err := st.ExecWriter(q); err != nil {
				t.Fatal(err)
			}
		}
		for range 2 {
			if _, err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if got := find("poutres"); len(got) != 500 || got[0].ID != ids[2000] {
				t.Fatalf("%d properties found after resuming past the 2000th; want the last 500", len(got))
			}
		}
	})
}

// TestMigrationLockLeftByADeadProcess: the MySQL migration lock is a row; a
// row whose holder died (expired) is taken over, not waited on forever.
func TestMigrationLockLeftByADeadProcess(t *testing.T) {
	t.Parallel()
	st := testdb.Open(t, migrations.MySQL)
	if err := st.ExecWriter("INSERT INTO schema_lock (id, holder, expires_at) " +
		"VALUES (1, 'dead:1:0', UTC_TIMESTAMP(6) - INTERVAL 1 SECOND)"); err != nil {
		t.Fatal(err)
	}
	// A held lock would make Migrate fail after a minute's wait.
	done, err := st.Migrate(ctx)
	if err != nil || len(done) != 0 {
		t.Fatalf("migrate past a dead process's lock = %v, %v", done, err)
	}
	if err := st.ExecWriter("INSERT INTO schema_lock (id, holder, expires_at) VALUES (1, 'x', UTC_TIMESTAMP(6))"); err != nil {
		t.Errorf("the lock was not released: %v", err)
	}
}

// TestBucketsDecideAsTheProcess: rate limits kept in the database (one
// statement for one bucket, a transaction for several) decide as the
// buckets of one process do, on both dialects.
func TestBucketsDecideAsTheProcess(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		shared := ratelimit.Shared{Buckets: testdb.Open(t, dialect)}
		set := ratelimit.New(ratelimit.DefaultMaxKeys)
		a := ratelimit.Rule{Key: "a", Limit: ratelimit.Limit{PerMinute: 10, Burst: 3}}
		b := ratelimit.Rule{Key: "login:b@example.com\x00192.0.2.1", Limit: ratelimit.Limit{PerMinute: 60, Burst: 5}}
		now := time.Now().Truncate(time.Microsecond) // the database keeps microseconds
		for i, step := range []struct {
			after time.Duration
			cost  int
			rules []ratelimit.Rule
		}{
			{0, 1, []ratelimit.Rule{a}}, {0, 2, []ratelimit.Rule{a}}, {time.Second, 1, []ratelimit.Rule{a}},
			{0, 1, []ratelimit.Rule{a, b}}, {6 * time.Second, 1, []ratelimit.Rule{a, b}}, {0, 4, []ratelimit.Rule{b}},
			{0, 2, []ratelimit.Rule{b}}, {time.Minute, 3, []ratelimit.Rule{a}}, {0, 1, []ratelimit.Rule{a, b}},
		} {
			now = now.Add(step.after)
			want := set.Allow(now, step.cost, step.rules...)
			got, err := shared.Take(ctx, now, step.cost, step.rules...)
			if err != nil {
				t.Fatal(err)
			}
			if got.OK != want.OK || got.Remaining != want.Remaining || got.Limit != want.Limit ||
				(got.Wait-want.Wait).Abs() > time.Millisecond || (got.Reset-want.Reset).Abs() > time.Millisecond {
				t.Errorf("step %d: database %+v, process %+v", i, got, want)
			}
		}
	})
}

// TestWordAndFeaturePlansAgree: a page met by checking each candidate's
// words and features, and one driven by the matches of the rarest of them,
// list the same properties in the same order, page after page, for every
// order and with other filters.
func TestWordAndFeaturePlansAgree(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		walk, drive := testdb.Open(t, dialect), testdb.Open(t, dialect)
		walk.SetRareMatches(0)
		drive.SetRareMatches(1 << 30)
		descs := []string{"terrasse plein sud", "balcon et terrasses", "jardin calme", "Terrassé", "cave voûtée"}
		feats := []string{"balcony", "garden", "view"}
		for _, st := range []*store.Store{walk, drive} {
			owner, err := st.CreateUser(ctx, user("plans@example.com"))
			if err != nil {
				t.Fatal(err)
			}
			rows := make([]store.NewPropertyRow, 300)
			at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			for i := range rows {
				price := realty.Price((i * 7919) % 50000 * 100)
				r := store.NewPropertyRow{PropertyRow: store.PropertyRow{OwnerID: owner, Name: fmt.Sprint("Bien ", i),
					Description: descs[i%len(descs)], Type: "house", City: []string{"Lyon", "Paris"}[i%2],
					CityKey: []string{"lyon", "paris"}[i%2], At: at.Add(time.Duration(i%17) * time.Hour)}}
				if i%4 != 0 {
					sale := realty.Transaction("sale")
					r.Transaction, r.Price = &sale, &price
				}
				for j := range i % 4 {
					area := realty.Area(1000 + (i*31+j)%5000)
					r.Rooms = append(r.Rooms, realty.NewRoom{Type: "bedroom", Area: &area,
						Features: []string{feats[(i+j/2)%len(feats)]}}) // two rooms may share one
				}
				r.RoomCount, r.TotalArea = realty.RoomTotals(r.Rooms)
				rows[i] = r
			}
			if err := st.InTx(ctx, func(tx *store.Tx) error { _, err := tx.InsertProperties(ctx, rows); return err }); err != nil {
				t.Fatal(err)
			}
		}
		list := func(st *store.Store, f store.ListFilter) []int64 {
			t.Helper()
			var ids []int64
			f.Limit = 7
			for range 100 {
				page, err := st.Properties(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range page {
					ids = append(ids, p.ID)
				}
				if len(page) < f.Limit {
					return ids
				}
				sort := f.After.Sort
				f.After = realty.KeyOf(sort, page[len(page)-1])
				f.After.Sort = sort
			}
			t.Fatal("more than 100 pages")
			return nil
		}
		for _, sort := range []realty.Sort{"", "price", "-price", "-area", "newest", "rooms"} {
			for name, f := range map[string]store.ListFilter{
				"q":                {Words: realty.SearchWords("terrass")},
				"q two words":      {Words: realty.SearchWords("terrasse sud")},
				"q, city":          {Words: realty.SearchWords("terrasse"), CityKey: "paris"},
				"feature":          {Features: []string{"balcony"}},
				"features":         {Features: []string{"balcony", "view"}},
				"q, feature, city": {Words: realty.SearchWords("jardin"), Features: []string{"garden"}, CityKey: "lyon"},
			} {
				f.After.Sort = sort
				got, want := list(walk, f), list(drive, f)
				if len(want) == 0 || !slices.Equal(got, want) {
					t.Errorf("%s by %q: walking the order gives %v, driving by the matches %v", name, sort, got, want)
				}
			}
		}
	})
}

// TestBulkLoadDropsAndRebuildsIndexes: a large load on SQLite runs without
// the secondary indexes of the tables it writes, which are there again
// after it, whether it succeeded or failed, and after a start that follows
// a load that never finished; a small load, or one smaller than the data
// already there, keeps them. The CHECK constraints the load skips hold
// again after it, failed or not.
func TestBulkLoadDropsAndRebuildsIndexes(t *testing.T) {
	t.Parallel()
	st := testdb.Open(t, migrations.SQLite)
	st.SetBulkMinRows(10)
	indexes := func() int {
		t.Helper()
		var n int
		if err := st.Read().QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
			AND tbl_name IN ('properties', 'rooms', 'room_features', 'property_words', 'property_events')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	all := indexes()
	if all < 10 {
		t.Fatalf("%d indexes to begin with", all)
	}
	owner, err := st.CreateUser(ctx, user("bulk@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	load := func(n int, fail error) func() error {
		return func() error {
			rows := make([]store.NewPropertyRow, n)
			for i := range rows {
				rows[i] = store.NewPropertyRow{PropertyRow: store.PropertyRow{OwnerID: owner, Name: "Bulk", Type: "house",
					City: "Lyon", CityKey: "lyon", At: time.Now().UTC()}}
			}
			err := st.InTx(ctx, func(tx *store.Tx) error { _, err := tx.InsertProperties(ctx, rows); return err })
			if err != nil {
				return err
			}
			return fail
		}
	}
	during := -1
	err = st.Bulk(ctx, 20, func() error { during = indexes(); return load(20, nil)() })
	if err != nil || during != 0 || indexes() != all {
		t.Fatalf("bulk load: %v; %d indexes during it, %d after (of %d)", err, during, indexes(), all)
	}
	checked := func(when string) {
		t.Helper()
		err := st.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.InsertProperty(ctx, store.PropertyRow{OwnerID: owner, Name: "X", Type: "castle", City: "Lyon",
				CityKey: "lyon", At: time.Now().UTC()})
			return err
		})
		if err == nil {
			t.Errorf("%s: a property of type castle was stored", when)
		}
	}
	checked("after a bulk load")
	boom := errors.New("boom")
	if err := st.Bulk(ctx, 30, load(30, boom)); !errors.Is(err, boom) || indexes() != all {
		t.Fatalf("failed bulk load: %v; %d indexes after (of %d)", err, indexes(), all)
	}
	checked("after a failed bulk load")
	for _, n := range []int{5, 40} { // too small; smaller than the 50 there
		if err := st.Bulk(ctx, n, func() error { during = indexes(); return nil }); err != nil || during != all {
			t.Errorf("load of %d: %v; %d indexes during it (of %d)", n, err, during, all)
		}
	}
	// A load that never ended: the next start builds the indexes again.
	if err := st.DropIndexes(); err != nil || indexes() != 0 {
		t.Fatalf("drop: %v, %d left", err, indexes())
	}
	if _, err := st.Migrate(ctx); err != nil || indexes() != all {
		t.Fatalf("migrate after an unfinished load: %v; %d indexes (of %d)", err, indexes(), all)
	}
}

// TestBulkLoadOnMySQLWritesPartsInOrder: the parts of a batch that a bulk
// load writes at once on MySQL give what one transaction after another
// would: ids in the items' order, and, when a part fails, the items before
// it stored and none after, even those of a part that succeeded.
func TestBulkLoadOnMySQLWritesPartsInOrder(t *testing.T) {
	t.Parallel()
	st := testdb.Open(t, migrations.MySQL)
	st.SetBulkMinRows(10)
	owner, err := st.CreateUser(ctx, user("parts@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	const n = 1200 // two parts of 600, each a full block of 500 and 100
	area := realty.Area(1000)
	rows := func(name string) []store.NewPropertyRow {
		rows := make([]store.NewPropertyRow, n)
		for i := range rows {
			rows[i] = store.NewPropertyRow{PropertyRow: store.PropertyRow{OwnerID: owner, Name: fmt.Sprint(name, " ", i),
				Type: "house", City: "Lyon", CityKey: "lyon", At: time.Now().UTC()},
				Rooms: []realty.NewRoom{{Type: "bedroom", Area: &area}, {Type: "kitchen", Features: []string{"oven"}}}}
		}
		return rows
	}
	count := func(name string) int {
		t.Helper()
		var c int
		if err := st.Read().QueryRow("SELECT COUNT(*) FROM properties WHERE name LIKE ?", name+" %").Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	// load imports rows; a part ends with after(its first item) once it has
	// inserted its properties (nil: no error).
	load := func(rows []store.NewPropertyRow, after func(from int) error) ([]int64, int, error) {
		ids := make([]int64, n)
		var done int
		err := st.Bulk(ctx, n, func() error {
			var err error
			done, err = st.InChunks(ctx, n, func(int) int { return 3 }, func(tx *store.Tx, from, to int) error {
				got, err := tx.InsertProperties(ctx, rows[from:to])
				copy(ids[from:], got)
				if err == nil && after != nil {
					err = after(from)
				}
				return err
			})
			return err
		})
		return ids, done, err
	}
	failAt := func(part int) func(int) error {
		return func(from int) error {
			if from == part {
				return errors.New("boom")
			}
			return nil
		}
	}
	inOrder := func(name string, ids []int64) {
		t.Helper()
		for i := 1; i < n; i++ {
			if ids[i] <= ids[i-1] {
				t.Fatalf("%s: property %d has id %d, after %d", name, i, ids[i], ids[i-1])
			}
		}
		p, err := st.Property(ctx, ids[n-1])
		if err != nil || p.Name != fmt.Sprint(name, " ", n-1) || len(p.Rooms) != 2 || p.Rooms[1].Features[0] != "oven" {
			t.Fatalf("%s: the last property: %+v, %v", name, p, err)
		}
	}
	ids, done, err := load(rows("Ordered"), nil)
	if err != nil || done != n || count("Ordered") != n {
		t.Fatalf("import: %v; %d done, %d stored", err, done, count("Ordered"))
	}
	inOrder("Ordered", ids)

	// A deadlock in the first part, once the second has its ids: the batch
	// is run again, not the first part alone after the second.
	var deadlocked atomic.Bool
	secondInserted := make(chan struct{})
	var once sync.Once
	ids, done, err = load(rows("Retried"), func(from int) error {
		if from == n/2 {
			once.Do(func() { close(secondInserted) })
		}
		if from != 0 || deadlocked.Swap(true) {
			return nil
		}
		select {
		case <-secondInserted:
		case <-time.After(time.Minute): // only if the second part never inserts
		}
		return &mysql.MySQLError{Number: 1213, Message: "Deadlock found when trying to get lock"}
	})
	if err != nil || done != n || count("Retried") != n || !deadlocked.Load() {
		t.Fatalf("import with a deadlock: %v; %d done, %d stored", err, done, count("Retried"))
	}
	inOrder("Retried", ids)
	if _, done, err := load(rows("Second fails"), failAt(n/2)); err == nil || done != n/2 || count("Second fails") != n/2 {
		t.Errorf("second part failing: %v; %d done, %d stored, want %d", err, done, count("Second fails"), n/2)
	}
	if _, done, err := load(rows("First fails"), failAt(0)); err == nil || done != 0 || count("First fails") != 0 {
		t.Errorf("first part failing: %v; %d done, %d stored, want none", err, done, count("First fails"))
	}
}

// TestImportsReuseTheirStatements: full batches of an import are written by
// prepared statements (on SQLite once, after the first transaction that met
// them; on MySQL once per transaction); the rows and their ids are the same
// either way.
func TestImportsReuseTheirStatements(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		st := testdb.Open(t, dialect)
		owner, err := st.CreateUser(ctx, user("batches@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		area := realty.Area(900)
		rows := make([]store.NewPropertyRow, 1100)
		for i := range rows {
			rows[i] = store.NewPropertyRow{PropertyRow: store.PropertyRow{OwnerID: owner, Name: fmt.Sprint("Batch ", i),
				Description: "terrasse", Type: "house", City: "Lyon", CityKey: "lyon", At: time.Now().UTC()},
				Rooms: []realty.NewRoom{{Type: "bedroom", Area: &area, Features: []string{"quiet"}}}}
		}
		var ids []int64
		for range 3 { // the second and third imports run prepared statements
			_, err := st.InChunks(ctx, 1, func(int) int { return 1 }, func(tx *store.Tx, _, _ int) error {
				got, err := tx.InsertProperties(ctx, rows)
				ids = append(ids, got...)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		for i, id := range ids {
			p, err := st.Property(ctx, id)
			if err != nil || p.Name != fmt.Sprint("Batch ", i%1100) || len(p.Rooms) != 1 || p.Rooms[0].Features[0] != "quiet" {
				t.Fatalf("property %d (the %dth): %+v, %v", id, i, p, err)
			}
		}
		got, err := st.Properties(ctx, store.ListFilter{Words: []string{"terrasse"}, Features: []string{"quiet"}, Limit: 5000})
		if err != nil || len(got) != 3300 {
			t.Fatalf("%d found by word and feature, %v", len(got), err)
		}
	})
}

// TestImportOfSeveralOwners: a block whose properties have different owners
// or times (which MySQL cannot read the ids of by owner and time) is
// written a property at a time there, with the same result.
func TestImportOfSeveralOwners(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		st := testdb.Open(t, dialect)
		var owners []int64
		for _, email := range []string{"one@example.com", "two@example.com"} {
			id, err := st.CreateUser(ctx, user(email))
			if err != nil {
				t.Fatal(err)
			}
			owners = append(owners, id)
		}
		at := time.Now().UTC().Truncate(time.Microsecond)
		rows := make([]store.NewPropertyRow, 7)
		for i := range rows {
			rows[i] = store.NewPropertyRow{PropertyRow: store.PropertyRow{OwnerID: owners[i%2], Name: fmt.Sprint("Mixed ", i),
				Type: "house", City: "Lyon", CityKey: "lyon", At: at.Add(time.Duration(i/3) * time.Second)},
				Rooms: []realty.NewRoom{{Type: "bedroom"}, {Type: "kitchen", Features: []string{"view"}}}}
		}
		var ids []int64
		if err := st.InTx(ctx, func(tx *store.Tx) (err error) { ids, err = tx.InsertProperties(ctx, rows); return err }); err != nil {
			t.Fatal(err)
		}
		for i, id := range ids {
			p, err := st.Property(ctx, id)
			if err != nil || p.Name != fmt.Sprint("Mixed ", i) || p.Owner.ID != owners[i%2] || !p.CreatedAt.Equal(rows[i].At) ||
				len(p.Rooms) != 2 || p.Rooms[1].Features[0] != "view" {
				t.Errorf("property %d (the %dth): %+v, %v", id, i, p, err)
			}
		}
	})
}

// TestIdempotencyKeys: a key is kept once per user (the second is
// ErrKeyTaken), and the keys past a time are deleted a thousand at a time,
// the newer ones kept.
func TestIdempotencyKeys(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		st := testdb.Open(t, dialect)
		alice, err := st.CreateUser(ctx, user("keys@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		old, now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)
		err = st.InTx(ctx, func(tx *store.Tx) error {
			for i := range 1500 {
				if err := tx.KeepKey(ctx, store.KeyRow{UserID: alice, Key: fmt.Sprint("old-", i), Request: "r",
					Result: []byte("[1]"), CreatedAt: old}); err != nil {
					return err
				}
			}
			return tx.KeepKey(ctx, store.KeyRow{UserID: alice, Key: "new", Request: "r", Result: []byte("[2]"), CreatedAt: now})
		})
		if err != nil {
			t.Fatal(err)
		}
		err = st.InTx(ctx, func(tx *store.Tx) error {
			return tx.KeepKey(ctx, store.KeyRow{UserID: alice, Key: "new", Request: "other", Result: []byte("[3]"), CreatedAt: now})
		})
		if !errors.Is(err, store.ErrKeyTaken) {
			t.Errorf("the same key again: %v, want ErrKeyTaken", err)
		}
		for i, want := range []bool{true, false} {
			if more, err := st.ForgetOldKeys(ctx, now.Add(-time.Hour)); err != nil || more != want {
				t.Errorf("sweep %d: more %v, %v; want %v", i+1, more, err, want)
			}
		}
		if _, err := st.Key(ctx, alice, "old-1499"); !errors.Is(err, realty.ErrNotFound) {
			t.Errorf("an old key after the sweeps: %v", err)
		}
		if k, err := st.Key(ctx, alice, "new"); err != nil || string(k.Result) != "[2]" || !k.CreatedAt.Equal(now) {
			t.Errorf("the new key: %+v, %v", k, err)
		}
	})
}

// TestDeleteUser: a user is deleted with every property of theirs, past
// one transaction's chunk, if their password hash is still the one
// checked; nobody else's property goes.
func TestDeleteUser(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		st := testdb.Open(t, dialect)
		alice, err := st.CreateUser(ctx, user("gone@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		bob, err := st.CreateUser(ctx, user("stays@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		rows := func(owner int64, n int) []store.NewPropertyRow {
			out := make([]store.NewPropertyRow, n)
			for i := range out {
				out[i] = store.NewPropertyRow{PropertyRow: store.PropertyRow{OwnerID: owner, Name: fmt.Sprint("P", i),
					Type: "house", City: "Lyon", CityKey: "lyon", At: time.Now().UTC()},
					Rooms: []realty.NewRoom{{Type: "bedroom", Features: []string{"quiet"}}}}
			}
			return out
		}
		err = st.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.InsertProperties(ctx, rows(alice, 1200)); err != nil {
				return err
			}
			_, err := tx.InsertProperties(ctx, rows(bob, 3))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		hash := user("gone@example.com").PasswordHash
		count := func() (props, rooms int) {
			t.Helper()
			if err := st.Read().QueryRow("SELECT COUNT(*), (SELECT COUNT(*) FROM rooms) FROM properties").Scan(&props, &rooms); err != nil {
				t.Fatal(err)
			}
			return props, rooms
		}
		if err := st.DeleteUser(ctx, alice, "another hash"); !errors.Is(err, store.ErrCredentialsChanged) {
			t.Errorf("with a changed password: %v", err)
		}
		if props, _ := count(); props != 1203 {
			t.Errorf("%d properties after a refused deletion, want all 1203", props)
		}
		if err := st.DeleteUser(ctx, alice, hash); err != nil {
			t.Fatal(err)
		}
		props, rooms := count()
		if _, err := st.UserByID(ctx, alice); !errors.Is(err, realty.ErrNotFound) || props != 3 || rooms != 3 {
			t.Errorf("after: user %v, %d properties and %d rooms left, want bob's 3 and 3", err, props, rooms)
		}
	})
}
