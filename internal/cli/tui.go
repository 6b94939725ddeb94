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
open one to see its rooms and, logged in, create properties and edit your own.
It works on the same backend as the other commands: the local database, --db,
or a server with --server.

Keys: arrows or j/k move, enter opens, / filters by city, t by type, x clears
the filters, n creates a property, e edits, a adds a room, d removes one, D
deletes the property, L logs in, r reloads, ? shows every key, esc/q goes back.`,
		Example: "  realty demo && realty tui\n  realty tui --server http://localhost:8080",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !f.IO.InTTY || !f.IO.OutTTY {
				return usageErrorf("realty tui needs a terminal; for scripts, use the other commands")
			}
			b, err := f.tuiBackend(cmd.Context())
			if err != nil {
				return err
			}
			return tui.Run(cmd.Context(), b, f.IO.In, f.IO.Out)
		},
	}
}

// tuiBackend gives the TUI the current backend and a log-in that stores the
// token exactly as 'realty auth login' does.
func (f *Factory) tuiBackend(ctx context.Context) (tui.Config, error) {
	svc, err := f.Service(ctx)
	if err != nil {
		return tui.Config{}, err
	}
	where, err := f.BackendKey(ctx)
	if err != nil {
		return tui.Config{}, err
	}
	return tui.Config{Service: svc, Where: where, Login: f.login}, nil
}

// login checks credentials, stores the token for this backend and returns a
// Service acting for it.
func (f *Factory) login(ctx context.Context, email, password string) (realty.Service, error) {
	s, err := f.loginAndStore(ctx, email, password)
	if err != nil {
		return nil, err
	}
	return f.ServiceFor(ctx, s.Token)
}
