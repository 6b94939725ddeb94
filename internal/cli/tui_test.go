package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/realtyhq/realty/pkg/realty"
)

// TestTUILoginStoresTheTokenLikeAuthLogin: a log-in from the TUI is stored
// where and as 'realty auth login' stores it, so the next command uses it.
func TestTUILoginStoresTheTokenLikeAuthLogin(t *testing.T) {
	home := t.TempDir()
	env := func(k string) string {
		if k == "HOME" {
			return home
		}
		return ""
	}
	newFactory := func() *Factory {
		return NewFactory(&IO{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}, Env: env})
	}
	ctx := context.Background()
	f := newFactory()
	f.Create = true // as 'realty tui' may
	defer f.Close()
	anon, err := f.ServiceFor(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := anon.Register(ctx, realty.NewUser{Email: "alice@example.com", Password: "password-1", FirstName: "Alice", LastName: "Martin"}); err != nil {
		t.Fatal(err)
	}
	b, err := tuiConfig(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Login(ctx, "alice@example.com", "wrong password"); err == nil {
		t.Fatal("a wrong password logged in")
	}
	svc, err := b.Login(ctx, "alice@example.com", "password-1")
	if err != nil {
		t.Fatal(err)
	}
	if me, err := svc.Me(ctx); err != nil || me.Email != "alice@example.com" {
		t.Fatalf("the TUI's service after log-in: %+v, %v", me, err)
	}
	path := filepath.Join(home, ".config", "realty", credentialsName)
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file: %v, %v", info, err)
	}
	f2 := newFactory() // the next command
	defer f2.Close()
	svc2, err := f2.Service(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if me, err := svc2.Me(ctx); err != nil || me.Email != "alice@example.com" {
		t.Errorf("the next command is not logged in: %+v, %v", me, err)
	}
}

func TestTUINeedsATerminal(t *testing.T) {
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"tui"}, &IO{In: strings.NewReader(""), Out: &out, Err: &errb,
		Env: func(k string) string {
			if k == "HOME" {
				return t.TempDir()
			}
			return ""
		}})
	if code != ExitUsage || !strings.Contains(errb.String(), "needs a terminal") {
		t.Errorf("exit %d, %q", code, errb.String())
	}
}
