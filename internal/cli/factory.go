package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/pkg/realty"
)

// Factory turns global flags, environment and stored credentials into the
// realty.Service commands use. It is the only place that chooses and opens
// a backend; commands never see the store.
type Factory struct {
	IO    *IO
	DBURL string // --db
	JSON  bool   // --json
	JQ    string // --jq

	st   *store.Store
	core *service.Core
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

// Store opens the database without migrating it (for 'realty migrate').
func (f *Factory) Store(ctx context.Context) (*store.Store, error) {
	if f.st != nil {
		return f.st, nil
	}
	u, err := f.dbURL()
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, u)
	if err != nil {
		return nil, err
	}
	f.st = st
	return st, nil
}

// backend opens the local database, migrating it on first use.
func (f *Factory) backend(ctx context.Context) (*service.Core, error) {
	if f.core != nil {
		return f.core, nil
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
	f.core = core
	return core, nil
}

// BackendKey names the backend in the credentials file and in messages.
func (f *Factory) BackendKey(ctx context.Context) (string, error) {
	st, err := f.Store(ctx)
	if err != nil {
		return "", err
	}
	return st.String(), nil
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
	core, err := f.backend(ctx)
	if err != nil {
		return nil, err
	}
	return core.For(token), nil
}

func (f *Factory) token(ctx context.Context) (string, error) {
	if t := f.IO.Env("REALTY_TOKEN"); t != "" {
		return t, nil
	}
	c, _, err := f.credential(ctx)
	return c.Token, err
}

// credential returns the stored log-in of this backend (zero if none).
func (f *Factory) credential(ctx context.Context) (credential, string, error) {
	key, err := f.BackendKey(ctx)
	if err != nil {
		return credential{}, "", err
	}
	dir, err := configDir(f.IO.Env)
	if err != nil {
		return credential{}, key, err
	}
	cf, err := loadCredentials(dir)
	return cf.Backends[key], key, err
}

// saveCredential stores (or, with a zero credential, forgets) this backend's log-in.
func (f *Factory) saveCredential(ctx context.Context, c credential) error {
	key, err := f.BackendKey(ctx)
	if err != nil {
		return err
	}
	dir, err := configDir(f.IO.Env)
	if err != nil {
		return err
	}
	cf, err := loadCredentials(dir)
	if err != nil {
		return err
	}
	if c.Token == "" {
		delete(cf.Backends, key)
	} else {
		cf.Backends[key] = c
	}
	return cf.save(dir)
}

// Close releases the backend.
func (f *Factory) Close() error {
	if f.st == nil {
		return nil
	}
	return f.st.Close()
}
