package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/realtyhq/realty/internal/tui"
	"github.com/realtyhq/realty/pkg/realty"
)

func newTUICmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "tui",
		Short: "Browse and edit properties in a terminal interface",
		Long: `Browse the properties (pages load as you scroll), filter them by city and type,
open one to see its rooms; register or log in, then create properties, edit
your own, and see and edit your personal information.
It works on the same backend as the other commands: the local database, --db,
or a server with --server.

Keys: arrows or j/k move, G goes to the last property, enter opens, / filters
by city, t by type, m keeps only yours, x or esc clears the filters, n
creates a property, e edits, a adds a room, d removes one, D deletes the
property, L logs in, R registers, p shows your profile (e edits it, P
changes the password, O logs out), r reloads, ? shows every key, esc goes
back, q or ctrl+c quits. Your own properties are marked ★ you. In forms,
types are picked with ←/→ or a letter, and every problem shows under its
field.`,
		Example: "  realty demo && realty tui\n  realty tui --server http://localhost:8080",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !f.IO.InTTY || !f.IO.OutTTY {
				return usageErrorf("realty tui needs a terminal; for scripts, use the other commands")
			}
			b, err := tuiConfig(cmd.Context(), f)
			if err != nil {
				return err
			}
			return tui.Run(cmd.Context(), b, f.IO.In, f.IO.Out)
		},
	}
}

// tuiBackend gives the TUI the current backend and a log-in that stores the
// token exactly as 'realty auth login' does.
func tuiConfig(ctx context.Context, f *Factory) (tui.Config, error) {
	svc, err := f.Service(ctx)
	if err != nil {
		return tui.Config{}, err
	}
	where, err := f.BackendKey(ctx)
	if err != nil {
		return tui.Config{}, err
	}
	login := func(ctx context.Context, email, password string) (realty.Service, error) {
		return tuiLogin(ctx, f, email, password)
	}
	logout := func(ctx context.Context) (realty.Service, error) {
		if _, err := logoutAndForget(ctx, f); err != nil {
			return nil, err
		}
		return f.ServiceFor(ctx, "")
	}
	return tui.Config{Service: svc, Where: where, Login: login, Logout: logout}, nil
}

// tuiLogin checks credentials, stores the token for this backend and
// returns a Service acting for it.
func tuiLogin(ctx context.Context, f *Factory, email, password string) (realty.Service, error) {
	s, err := loginAndStore(ctx, f, email, password)
	if err != nil {
		return nil, err
	}
	return f.ServiceFor(ctx, s.Token)
}
