package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/realtyhq/realty/internal/cli"
	"github.com/realtyhq/realty/internal/testdb"
)

// TestMain lets the scripts run this binary's own main as "realty": each
// "exec realty ..." is a separate process, exactly as a user's shell runs it.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"realty": func() { os.Exit(cli.Main()) }})
}

// setup gives every script a fresh HOME (nothing configured, nothing
// logged in) and a clean environment.
func setup(env *testscript.Env) error {
	home := filepath.Join(env.WorkDir, "home")
	env.Setenv("HOME", home)
	for _, k := range []string{"XDG_DATA_HOME", "XDG_CONFIG_HOME", "REALTY_CONFIG_DIR", "REALTY_DB", "REALTY_TOKEN", "NO_COLOR"} {
		env.Setenv(k, "")
	}
	return os.MkdirAll(home, 0o700)
}

// params are the scripts' settings; "exits CODE realty ..." checks an exact exit code.
func params(setup func(*testscript.Env) error) testscript.Params {
	return testscript.Params{Dir: "testdata/script", Setup: setup, RequireExplicitExec: true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"exits": exits}}
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

// TestScriptsSQLite runs the end-to-end scripts on the default local database.
func TestScriptsSQLite(t *testing.T) {
	testscript.Run(t, params(setup))
}

// TestScriptsMySQL runs the same scripts with REALTY_DB naming a fresh MySQL database.
func TestScriptsMySQL(t *testing.T) {
	base := os.Getenv(testdb.EnvMySQL)
	if base == "" {
		t.Skip(testdb.EnvMySQL + " is not set: skipping MySQL end-to-end scripts")
	}
	testscript.Run(t, params(func(env *testscript.Env) error {
		if err := setup(env); err != nil {
			return err
		}
		url, drop, err := testdb.CreateMySQL(base)
		if err != nil {
			return err
		}
		env.Defer(func() {
			if err := drop(); err != nil {
				env.T().Log("drop test database:", err)
			}
		})
		env.Setenv("REALTY_DB", url)
		return nil
	}))
}
