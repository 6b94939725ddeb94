package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/migrations"
	"github.com/realtyhq/realty/pkg/client"
	"github.com/realtyhq/realty/pkg/realty"
)

// Factory turns global flags, environment and stored credentials into the
// realty.Service commands use. It is the only place that chooses and opens
// a backend, local or remote; commands never see the store or the client.
type Factory struct {
	IO     *IO
	Print  *Printer
	Creds  *Logins
	DBURL  string // --db
	Server string // --server
	// Create lets the command create the local database when it does not
	// exist; otherwise a missing SQLite file is an error (see creators).
	Create bool

	st *store.Store
	be tokenServices
}

// NewFactory returns the factory of a command run on these streams.
func NewFactory(s *IO) *Factory {
	return &Factory{IO: s, Print: &Printer{IO: s}, Creds: NewLogins(s.Env)}
}

// tokenServices makes Service values for tokens: the local service on a
// database (*service.Core), or the HTTP client of a server.
type tokenServices interface {
	For(token string) realty.Service
}

type remoteServices struct{ c *client.Client }

func (b remoteServices) For(token string) realty.Service { return b.c.ForToken(token) }

// serverURL is --server, else REALTY_SERVER; empty means local mode.
func (f *Factory) serverURL() string {
	if f.Server != "" {
		return f.Server
	}
	return f.IO.Env("REALTY_SERVER")
}

// dbURL resolves the database: --db, then REALTY_DB, then the default SQLite
// file under the data directory. A bare path means an SQLite file.
func (f *Factory) dbURL() (string, error) {
	u := f.DBURL
	if u == "" {
		u = f.IO.Env("REALTY_DB")
	}
	if u == "" {
		dir, err := dataDir(f.IO.Env)
		if err != nil {
			return "", err
		}
		return "sqlite:" + filepath.Join(dir, "realty.db"), nil
	}
	if !strings.Contains(u, ":") {
		u = "sqlite:" + u
	}
	if p, ok := strings.CutPrefix(u, "sqlite:"); ok {
		abs, err := filepath.Abs(strings.TrimPrefix(p, "//"))
		if err != nil {
			return "", err
		}
		u = "sqlite:" + abs
	}
	return u, nil
}

// Store opens the database without migrating it (for 'realty migrate' and
// 'realty serve'); it is a usage error in remote mode.
func (f *Factory) Store(ctx context.Context) (*store.Store, error) {
	if f.st != nil {
		return f.st, nil
	}
	if f.serverURL() != "" {
		return nil, usageErrorf("this command works on a database (--db), not through a server (--server or REALTY_SERVER)")
	}
	u, err := f.dbURL()
	if err != nil {
		return nil, err
	}
	open := store.OpenExisting
	if f.Create {
		open = store.Open
	}
	st, err := open(ctx, u)
	var missing *store.MissingError
	if errors.As(err, &missing) {
		return nil, withHint(err, "check --db or REALTY_DB; 'realty user register', 'realty demo' or 'realty migrate up' create it")
	}
	if err != nil {
		return nil, err
	}
	f.st = st
	return st, nil
}

// backend opens the backend once: the server's client in remote mode, else
// the local database, migrated on first use.
func (f *Factory) backend(ctx context.Context) (tokenServices, error) {
	if f.be != nil {
		return f.be, nil
	}
	if u := f.serverURL(); u != "" {
		if f.DBURL != "" {
			return nil, usageErrorf("--db and --server cannot go together: the server has its own database")
		}
		if p, err := url.Parse(u); err == nil && strings.HasSuffix(strings.TrimSuffix(p.Path, "/"), "/v1") {
			return nil, usageErrorf("--server is the server's address, without the API's path: %s, not %s",
				strings.TrimSuffix(strings.TrimSuffix(u, "/"), "/v1"), u)
		}
		c, err := client.New(u, client.WithUserAgent("realty-cli/"+version()))
		if err != nil {
			return nil, usageErrorf("%v", err)
		}
		f.be = remoteServices{c: c}
		return f.be, nil
	}
	st, err := f.Store(ctx)
	if err != nil {
		return nil, err
	}
	current, err := st.SchemaCurrent(ctx)
	if err != nil {
		return nil, err
	}
	if !current {
		if _, err := st.Migrate(ctx); err != nil {
			return nil, fmt.Errorf("prepare the database %s: %w", st, err)
		}
	}
	core, err := service.New(st)
	if err != nil {
		return nil, err
	}
	f.be = core
	return f.be, nil
}

// BackendKey names the backend in the credentials file and in messages.
func (f *Factory) BackendKey(ctx context.Context) (string, error) {
	if u := f.serverURL(); u != "" {
		if p, err := url.Parse(strings.TrimSuffix(u, "/")); err == nil {
			return p.String(), nil
		}
		return u, nil
	}
	if f.st != nil {
		return f.st.String(), nil
	}
	u, err := f.dbURL()
	if err != nil {
		return "", err
	}
	return store.Location(u) // without opening: a missing database has no log-in
}

// Service returns a realty.Service acting for the stored log-in of this
// backend (or REALTY_TOKEN), or for nobody when there is none.
func (f *Factory) Service(ctx context.Context) (realty.Service, error) {
	token, err := f.token(ctx)
	if err != nil {
		return nil, err
	}
	return f.ServiceFor(ctx, token)
}

// ServiceFor returns a realty.Service acting for a token ("" for nobody).
func (f *Factory) ServiceFor(ctx context.Context, token string) (realty.Service, error) {
	b, err := f.backend(ctx)
	if err != nil {
		return nil, err
	}
	return b.For(token), nil
}

func (f *Factory) token(ctx context.Context) (string, error) {
	if t := f.IO.Env("REALTY_TOKEN"); t != "" {
		return t, nil
	}
	key, err := f.BackendKey(ctx)
	if err != nil {
		return "", err
	}
	c, err := f.Creds.Get(key)
	return c.Token, err
}

// Close releases the backend.
func (f *Factory) Close() error {
	if f.st == nil {
		return nil
	}
	return f.st.Close()
}

// MigrationStatus lists the migrations of the database; a missing SQLite
// file (which 'migrate status' does not create) has every one pending.
func (f *Factory) MigrationStatus(ctx context.Context) ([]migrations.Status, error) {
	st, err := f.Store(ctx)
	var missing *store.MissingError
	if errors.As(err, &missing) {
		all, err := migrations.Load(migrations.SQLite)
		list := make([]migrations.Status, len(all))
		for i, m := range all {
			list[i] = migrations.Status{Migration: m}
		}
		return list, err
	}
	if err != nil {
		return nil, err
	}
	return st.Migrations(ctx)
}

// loginHint says why a command found itself not logged in, when the cause
// is not the usual one: REALTY_TOKEN set but not valid here, or a log-in
// stored for the same server under another name (localhost, 127.0.0.1).
func (f *Factory) loginHint(ctx context.Context) string {
	if f.IO.Env("REALTY_TOKEN") != "" {
		return "REALTY_TOKEN is set but not valid here (expired, revoked, or from another backend): " +
			"unset it, or set it to a token of this backend"
	}
	key, err := f.BackendKey(ctx)
	if err != nil {
		return ""
	}
	if c, err := f.Creds.Get(key); err != nil || c.Token != "" {
		return "" // logged in here: the token expired or was revoked
	}
	for _, other := range f.Creds.Keys() {
		if sameServer(key, other) {
			return fmt.Sprintf("you are logged in at %s, the same server under another name: use --server %s, "+
				"or log in here with 'realty auth login'", other, other)
		}
	}
	return ""
}

// sameServer reports whether two server URLs name the same server on this
// machine under different names (localhost, 127.0.0.1, [::1]).
func sameServer(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	if errA != nil || errB != nil || a == b || ua.Host == "" || ub.Host == "" {
		return false
	}
	loopback := func(h string) bool { return h == "localhost" || h == "::1" || strings.HasPrefix(h, "127.") }
	return ua.Scheme == ub.Scheme && ua.Port() == ub.Port() && ua.Path == ub.Path &&
		loopback(ua.Hostname()) && loopback(ub.Hostname())
}
