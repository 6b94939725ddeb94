package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/realtyhq/realty/internal/testdb"
)

// binDir holds the realty binary built for these tests: the end-to-end tests
// run the real program, as a user's shell does.
var binDir string

// coverDir receives the built binary's coverage under 'go test -cover'.
var coverDir string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "realty-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	args := []string{"build", "-buildvcs=false", "-o", filepath.Join(dir, "realty")}
	// Under 'go test -cover' the binary is built with coverage and writes
	// it where the test binary does, so that what the scripts run counts in
	// the coverage of every package (Go's integration-test coverage).
	flag.Parse()
	if f := flag.Lookup("test.gocoverdir"); f != nil && f.Value.String() != "" {
		coverDir = f.Value.String()
		args = append(args, "-cover", "-coverpkg=github.com/realtyhq/realty/...")
	}
	build := exec.Command("go", append(args, ".")...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build realty:", err)
		return 1
	}
	binDir = dir
	return m.Run()
}

// params are the scripts' settings. "exits CODE realty ..." checks an exact
// exit code; the condition [remote] holds when the CLI works through a server.
func params(remote bool, setup func(*testscript.Env) error) testscript.Params {
	return testscript.Params{Dir: "testdata/script", RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", binDir+string(os.PathListSeparator)+env.Getenv("PATH"))
			env.Setenv("GOCOVERDIR", coverDir)
			home := filepath.Join(env.WorkDir, "home")
			env.Setenv("HOME", home)
			for _, k := range []string{"XDG_DATA_HOME", "XDG_CONFIG_HOME", "REALTY_CONFIG_DIR", "REALTY_DB",
				"REALTY_TOKEN", "REALTY_SERVER", "NO_COLOR"} {
				env.Setenv(k, "")
			}
			if err := os.MkdirAll(home, 0o700); err != nil {
				return err
			}
			return setup(env)
		},
		Condition: func(cond string) (bool, error) {
			if cond == "remote" {
				return remote, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"exits": exits, "cmpids": cmpIDs,
			"cmpcrlf": cmpCRLF}}
}

// cmpCRLF checks that every line of a file ends in CRLF (as RFC 4180 has
// CSV lines end) and that, with LF ends, it is the other file.
func cmpCRLF(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cmpcrlf GOT WANT")
	}
	got := ts.ReadFile(args[0])
	if strings.Count(got, "\n") != strings.Count(got, "\r\n") {
		ts.Fatalf("%s has lines that do not end in CRLF", args[0])
	}
	if lf := strings.ReplaceAll(got, "\r\n", "\n"); lf != ts.ReadFile(args[1]) {
		ts.Fatalf("%s differs from %s:\n%s", args[0], args[1], lf)
	}
}

// cmpIDs compares two exports but for their ids: a CSV line's first cell
// of digits, a JSON object's "id" member.
func cmpIDs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cmpids FILE1 FILE2")
	}
	ids := regexp.MustCompile(`(?m)^[0-9]+,|"id":[0-9]+,`)
	a, b := ids.ReplaceAllString(ts.ReadFile(args[0]), ""), ids.ReplaceAllString(ts.ReadFile(args[1]), "")
	if a != b {
		ts.Fatalf("%s and %s differ beyond their ids:\n%s\n---\n%s", args[0], args[1], a, b)
	}
}

func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

// mysqlDB gives the script a fresh MySQL database, dropped at its end.
func mysqlDB(t *testing.T, env *testscript.Env) (string, error) {
	u, drop, err := testdb.CreateMySQL(os.Getenv(testdb.EnvMySQL))
	if err != nil {
		return "", err
	}
	env.Defer(func() {
		if err := drop(); err != nil {
			t.Log("drop test database:", err)
		}
	})
	return u, nil
}

func skipWithoutMySQL(t *testing.T) {
	if os.Getenv(testdb.EnvMySQL) == "" {
		t.Skip(testdb.EnvMySQL + " is not set: skipping MySQL end-to-end scripts")
	}
}

// TestScriptsLocalSQLite: the scripts on the default local database, with a fresh HOME.
func TestScriptsLocalSQLite(t *testing.T) {
	testscript.Run(t, params(false, func(*testscript.Env) error { return nil }))
}

// TestScriptsLocalMySQL: the scripts with REALTY_DB naming a fresh MySQL database.
func TestScriptsLocalMySQL(t *testing.T) {
	skipWithoutMySQL(t)
	testscript.Run(t, params(false, func(env *testscript.Env) error {
		u, err := mysqlDB(t, env)
		env.Setenv("REALTY_DB", u)
		return err
	}))
}

// TestScriptsRemoteSQLite: the scripts through `realty serve` on SQLite.
func TestScriptsRemoteSQLite(t *testing.T) {
	testscript.Run(t, params(true, func(env *testscript.Env) error {
		return serveForScript(env, "sqlite:"+filepath.Join(env.WorkDir, "server.db"))
	}))
}

// TestScriptsRemoteMySQL: the scripts through `realty serve` on MySQL.
func TestScriptsRemoteMySQL(t *testing.T) {
	skipWithoutMySQL(t)
	testscript.Run(t, params(true, func(env *testscript.Env) error {
		u, err := mysqlDB(t, env)
		if err != nil {
			return err
		}
		return serveForScript(env, u)
	}))
}

func serveForScript(env *testscript.Env, dbURL string) error {
	srv, err := startServer(dbURL)
	if err != nil {
		return err
	}
	env.Defer(func() { _ = srv.stop() })
	env.Setenv("REALTY_SERVER", srv.url)
	return nil
}
