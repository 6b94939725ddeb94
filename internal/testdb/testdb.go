// Package testdb opens migrated, throw-away databases for tests: an SQLite
// file in the test's temporary directory, or a uniquely named MySQL database
// (dropped when the test ends) on the server named by REALTY_TEST_MYSQL_URL.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/realtyhq/realty/internal/store"
)

// EnvMySQL names the variable that enables MySQL tests,
// e.g. mysql://root@127.0.0.1:3306/
const EnvMySQL = "REALTY_TEST_MYSQL_URL"

// Dialects lists the dialects tests run on: SQLite always, MySQL when enabled.
var Dialects = []string{"sqlite", "mysql"}

// URL returns the URL of a fresh, empty database of the dialect; MySQL tests
// are skipped without REALTY_TEST_MYSQL_URL.
func URL(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == "sqlite" {
		return "sqlite:" + filepath.Join(t.TempDir(), "realty.db")
	}
	return MySQLURL(t)
}

// Open returns a migrated store on a fresh database of the dialect.
func Open(t testing.TB, dialect string) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, URL(t, dialect))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}

// MySQLURL creates a uniquely named database on the test server and returns
// its URL; the database is dropped when the test ends.
func MySQLURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvMySQL)
	if base == "" {
		t.Skip(EnvMySQL + " is not set (e.g. mysql://root@127.0.0.1:3306/): skipping MySQL test")
	}
	u, drop, err := CreateMySQL(base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	return u
}

// CreateMySQL creates a uniquely named database on the server at base and
// returns its URL and a function that drops it.
func CreateMySQL(base string) (dbURL string, drop func() error, err error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %v", EnvMySQL, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "realty_test_" + hex.EncodeToString(b)
	admin, err := openAdmin(base)
	if err != nil {
		return "", nil, err
	}
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create test database: %w", err)
	}
	drop = func() error {
		defer admin.Close()
		_, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name)
		return err
	}
	u.Path = "/" + name
	return u.String(), drop, nil
}

func openAdmin(base string) (*sql.DB, error) {
	cfg, err := store.MySQLConfig(strings.TrimSuffix(base, "/") + "/")
	if err != nil {
		return nil, err
	}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(conn)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s is set but the server does not answer: %w", EnvMySQL, err)
	}
	return db, nil
}
