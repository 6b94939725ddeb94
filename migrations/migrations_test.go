package migrations

import (
	"strings"
	"testing"
)

// TestDialectsMatch: both dialects have the same versions and names, so a
// database of either kind is described by one version number.
func TestDialectsMatch(t *testing.T) {
	lite, err := Load(SQLite)
	if err != nil {
		t.Fatal(err)
	}
	my, err := Load(MySQL)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || len(lite) != len(my) {
		t.Fatalf("%d SQLite migrations, %d MySQL", len(lite), len(my))
	}
	for i := range lite {
		if lite[i].Version != my[i].Version || lite[i].Name != my[i].Name {
			t.Errorf("migration %d: sqlite %04d_%s, mysql %04d_%s", i, lite[i].Version, lite[i].Name, my[i].Version, my[i].Name)
		}
	}
	if _, err := Load("postgres"); err == nil {
		t.Error("Load(postgres) succeeded")
	}
}

// TestMySQLIsPortable: MySQL 8 rejects what MariaDB alone accepts, and a
// MySQL migration must be re-runnable since its DDL is not transactional.
func TestMySQLIsPortable(t *testing.T) {
	ms, _ := Load(MySQL)
	for _, m := range ms {
		for _, stmt := range m.Statements() {
			up := strings.ToUpper(stmt)
			for _, bad := range []string{"RETURNING", "SEQUENCE", "NEXTVAL"} {
				if strings.Contains(up, bad) {
					t.Errorf("%04d: MariaDB-only %s", m.Version, bad)
				}
			}
			if strings.HasPrefix(up, "CREATE TABLE") && !strings.HasPrefix(up, "CREATE TABLE IF NOT EXISTS") {
				t.Errorf("%04d: not re-runnable: %.60s", m.Version, stmt)
			}
		}
	}
}

func TestStatements(t *testing.T) {
	m := Migration{SQL: "-- comment\nCREATE TABLE a (x INT);\n\nCREATE TABLE b (\n  y INT\n);\n-- tail\n"}
	got := m.Statements()
	if len(got) != 2 || got[0] != "CREATE TABLE a (x INT)" || !strings.HasPrefix(got[1], "CREATE TABLE b (") {
		t.Errorf("statements = %q", got)
	}
}
