package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/pkg/realty"
)

// TestStorageFull: a database that cannot grow answers ErrStorageFull (507),
// not an internal error, and Writable (readiness) fails meanwhile. The
// SQLite database is capped with max_page_count, which fails as a full disk
// does (SQLITE_FULL); MySQL's "table is full" is injected at COMMIT.
func TestStorageFull(t *testing.T) {
	t.Parallel()
	st := testdb.Open(t, "sqlite")
	owner, err := st.CreateUser(ctx, user("full@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Writable(ctx); err != nil {
		t.Fatalf("a fresh database is not writable: %v", err)
	}
	if err := st.ExecWriter("PRAGMA max_page_count = 1"); err != nil { // clamps to the current size
		t.Fatal(err)
	}
	big := strings.Repeat("x", 3000)
	for i := 0; ; i++ {
		err = st.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.InsertProperty(ctx, store.PropertyRow{OwnerID: owner, Name: "P", Description: big, Type: "house", City: "Lyon", CityKey: "lyon"})
			return err
		})
		if err != nil || i > 100 {
			break
		}
	}
	if !errors.Is(err, realty.ErrStorageFull) {
		t.Fatalf("write to a full database: %v; want ErrStorageFull", err)
	}
	if err := st.Writable(ctx); !errors.Is(err, realty.ErrStorageFull) {
		t.Errorf("Writable after a full write: %v", err)
	}
	if _, err := st.UserByID(ctx, owner); err != nil {
		t.Errorf("reads must still work: %v", err)
	}

	my := testdb.Open(t, "sqlite")
	my.SetBeforeCommit(func(*store.Tx) error { return &mysql.MySQLError{Number: 1114, Message: "The table 'rooms' is full"} })
	if err := my.InTx(ctx, func(*store.Tx) error { return nil }); !errors.Is(err, realty.ErrStorageFull) {
		t.Errorf("MySQL table full: %v; want ErrStorageFull", err)
	}
	if err := my.Writable(ctx); !errors.Is(err, realty.ErrStorageFull) {
		t.Errorf("Writable after MySQL's table full: %v", err)
	}
}
