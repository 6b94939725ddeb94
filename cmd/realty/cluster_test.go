package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/realtyhq/realty/internal/contract"
	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/migrations"
	"github.com/realtyhq/realty/pkg/client"
	"github.com/realtyhq/realty/pkg/realty"
)

// cluster is a Galera cluster started by scripts/cluster/up.sh.
type cluster struct {
	dir string
	env map[string]string
}

// startCluster runs up.sh in a new directory and tears it down at the end.
// The limits are lifted: the suite registers and logs in hundreds of users
// from one address.
func startCluster(t *testing.T) *cluster {
	t.Helper()
	dir, err := os.MkdirTemp("", "realty-cluster-")
	if err != nil {
		t.Fatal(err)
	}
	up := exec.Command("../../scripts/cluster/up.sh", dir)
	up.Env = append(os.Environ(), "REALTY_SERVE_FLAGS=--signup-limit 0 --login-limit 0 --login-limit-email 0 "+
		"--login-limit-address 0 --write-limit 0")
	var out bytes.Buffer
	up.Stdout, up.Stderr = &out, os.Stderr
	err = up.Run()
	t.Cleanup(func() {
		down := exec.Command("../../scripts/cluster/down.sh", dir)
		down.Stdout, down.Stderr = os.Stderr, os.Stderr
		if err := down.Run(); err != nil {
			t.Errorf("down.sh: %v", err)
		}
	})
	if err != nil {
		t.Fatalf("up.sh: %v", err)
	}
	c := &cluster{dir: dir, env: map[string]string{}}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			t.Fatalf("up.sh printed %q on stdout: want KEY=VALUE lines only", sc.Text())
		}
		c.env[k] = v
	}
	for _, k := range []string{"LB", "DIR", "NODE1", "NODE2", "NODE3", "NODE1_PID", "NODE2_PID", "NODE3_PID",
		"SERVER1", "SERVER2", "SERVER3", "SERVER1_PID", "SERVER2_PID", "SERVER3_PID"} {
		if c.env[k] == "" {
			t.Errorf("up.sh did not print %s", k)
		}
	}
	return c
}

// root is a connection to node n as root, through its socket.
func (c *cluster) root(t *testing.T, n string) *sql.DB {
	t.Helper()
	cfg := mysql.NewConfig()
	cfg.User, cfg.Net, cfg.Addr, cfg.MultiStatements = "root", "unix", c.dir+"/node"+n+"/mysqld.sock", true
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func exec1(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// TestGaleraCluster starts a 3-node MariaDB Galera cluster, 3 servers and
// HAProxy (scripts/cluster/up.sh), and checks what the product must do there.
// It runs with REALTY_TEST_CLUSTER=1, as root (up.sh installs galera-4,
// rsync and haproxy with apt when missing); about a minute.
func TestGaleraCluster(t *testing.T) {
	if os.Getenv("REALTY_TEST_CLUSTER") == "" {
		t.Skip("REALTY_TEST_CLUSTER is not set: the Galera cluster test needs root and a minute")
	}
	c := startCluster(t)
	ctx := context.Background()
	latest, err := migrations.Latest(migrations.MySQL)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("ServersStartingTogetherMigrateOnce", func(t *testing.T) {
		// up.sh started the three servers at once, one per node, on the
		// empty database.
		var rows, versions int
		err := c.root(t, "2").QueryRow("SELECT COUNT(*), COUNT(DISTINCT version) FROM realty.schema_migrations").
			Scan(&rows, &versions)
		if err != nil || rows != latest || versions != latest {
			t.Errorf("schema_migrations: %d rows, %d versions, %v; want %d of each", rows, versions, err, latest)
		}
		migrated := 0
		for _, n := range []string{"1", "2", "3"} {
			log, err := os.ReadFile(c.dir + "/server" + n + ".log")
			if err != nil {
				t.Fatal(err)
			}
			migrated += strings.Count(string(log), `"msg":"migrated"`)
		}
		if migrated != latest {
			t.Errorf("the servers logged %d migrations in all, want %d (each once)", migrated, latest)
		}
		// Again on a new empty database, with one store per node at once.
		root := c.root(t, "1")
		exec1(t, root, "CREATE DATABASE realty_once")
		exec1(t, root, "GRANT ALL ON realty_once.* TO 'realty'@'127.0.0.1'")
		defer exec1(t, root, "DROP DATABASE realty_once")
		applied := make([]int, 3)
		var wg sync.WaitGroup
		for i, n := range []string{"NODE1", "NODE2", "NODE3"} {
			wg.Go(func() {
				st, err := store.Open(ctx, strings.TrimSuffix(c.env[n], "/realty")+"/realty_once")
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
		if applied[0]+applied[1]+applied[2] != latest {
			t.Errorf("three stores on three nodes applied %v migrations, want %d in all", applied, latest)
		}
	})

	t.Run("ReadYourWritesAcrossNodes", func(t *testing.T) {
		st, err := store.Open(ctx, c.env["NODE1"])
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if !st.Galera() {
			t.Error("the store does not see a Galera node")
		}
		writer, _ := login(t, c.env["SERVER1"], "Writer")
		readers := []*client.Client{}
		for _, s := range []string{"SERVER2", "SERVER3"} {
			r, err := client.New(c.env[s], client.WithRetries(0, 0))
			if err != nil {
				t.Fatal(err)
			}
			readers = append(readers, r)
		}
		for i := range 200 {
			p, err := writer.CreateProperty(ctx, realty.NewProperty{Name: "Causal", Type: "loft", City: "Lyon"})
			if err != nil {
				t.Fatal(err)
			}
			name := "Causal, renamed"
			if _, err := writer.UpdateProperty(ctx, p.ID, realty.PropertyPatch{Name: &name}, p.Version); err != nil {
				t.Fatal(err)
			}
			got, err := readers[i%2].Property(ctx, p.ID)
			if err != nil || got.Version != 2 || got.Name != name {
				t.Fatalf("write through server 1, read through another: version %d %q, %v", got.Version, got.Name, err)
			}
		}
	})

	t.Run("UnsyncedNodeIsNotReady", func(t *testing.T) {
		root := c.root(t, "3")
		ready := func(url string) int {
			res, err := http.Get(url + "/readyz")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		exec1(t, root, "SET GLOBAL wsrep_desync = ON")
		if got := ready(c.env["SERVER3"]); got != http.StatusServiceUnavailable {
			t.Errorf("server 3 on a desynced node: /readyz %d, want 503", got)
		}
		if got := ready(c.env["SERVER1"]); got != http.StatusOK {
			t.Errorf("server 1: /readyz %d, want 200", got)
		}
		exec1(t, root, "SET GLOBAL wsrep_desync = OFF")
		// The node goes back to Synced once it has caught up: wait for it
		// (the database's state, not a time).
		for state := ""; state != "Synced"; {
			var name string
			if err := root.QueryRow("SHOW STATUS LIKE 'wsrep_local_state_comment'").Scan(&name, &state); err != nil {
				t.Fatal(err)
			}
		}
		if got := ready(c.env["SERVER3"]); got != http.StatusOK {
			t.Errorf("server 3 on a synced node again: /readyz %d, want 200", got)
		}
	})

	t.Run("ContractThroughTheLoadBalancer", func(t *testing.T) {
		// One database behind the load balancer: each case empties it and
		// has it to itself until it ends.
		root := c.root(t, "1")
		var mu sync.Mutex
		contract.Run(t, func(t *testing.T) contract.ServiceFor {
			mu.Lock()
			t.Cleanup(mu.Unlock)
			for _, table := range []string{"room_features", "rooms", "properties", "auth_tokens", "users"} {
				exec1(t, root, "DELETE FROM realty."+table)
			}
			cl, err := client.New(c.env["LB"], client.WithRetries(0, 0))
			if err != nil {
				t.Fatal(err)
			}
			return func(token string) realty.Service { return cl.ForToken(token) }
		})
	})
}
