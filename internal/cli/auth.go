package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/realtyhq/realty/pkg/realty"
)

func newAuthCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "Log in, log out, and see who you are",
		Long: `Log in to the current backend (the local database, or the one --db names) and
keep the token in the credentials file, readable by you only, one entry per
backend. REALTY_TOKEN overrides the stored token, for scripts.`,
		Args: noArgs,
	}
	cmd.AddCommand(newAuthLoginCmd(f), newAuthLogoutCmd(f), newAuthStatusCmd(f))
	return cmd
}

func newAuthLoginCmd(f *Factory) *cobra.Command {
	var email string
	var passwordStdin bool
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Log in and store a token for this backend",
		Long: `Log in with your email and password. The token is stored in the credentials
file (mode 0600); the password is never stored. Without --email and
--password-stdin, realty asks on the terminal (the password without echo).`,
		Example: `  realty auth login --email alice@example.com
  echo "$PASSWORD" | realty auth login --email alice@example.com --password-stdin`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if email == "" {
				var err error
				if email, err = f.IO.Prompt("Email", "--email"); err != nil {
					return err
				}
			}
			password, err := readPassword(f.IO, passwordStdin, "Password")
			if err != nil {
				return err
			}
			s, err := loginAndStore(ctx, f, email, password)
			if err != nil {
				return err
			}
			key, _ := f.BackendKey(ctx)
			if f.Print.Machine() {
				return f.Print.JSONOut(struct {
					User      realty.User `json:"user"`
					Backend   string      `json:"backend"`
					ExpiresAt time.Time   `json:"expires_at"`
				}{s.User, key, s.ExpiresAt})
			}
			f.Print.Status("Logged in to %s as %s %s <%s> until %s.", key, s.User.FirstName, s.User.LastName,
				s.User.Email, s.ExpiresAt.Format(time.DateOnly))
			return nil
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "your email address")
	cmd.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	return cmd
}

// loginAndStore checks credentials and stores the token for this backend:
// 'realty auth login' and the TUI's log-in both come here.
func loginAndStore(ctx context.Context, f *Factory, email, password string) (realty.Session, error) {
	anon, err := f.ServiceFor(ctx, "")
	if err != nil {
		return realty.Session{}, err
	}
	s, err := anon.Login(ctx, realty.Credentials{Email: email, Password: password})
	if errors.Is(err, realty.ErrUnauthenticated) {
		return realty.Session{}, withHint(err, "check the email and password, or register with 'realty user register'")
	}
	if err != nil {
		return realty.Session{}, err
	}
	c := credential{Token: s.Token, UserID: s.User.ID, Email: s.User.Email, ExpiresAt: s.ExpiresAt}
	key, err := f.BackendKey(ctx)
	if err != nil {
		return s, err
	}
	return s, f.Creds.Set(key, c)
}

func newAuthLogoutCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "logout",
		Short:   "Revoke this backend's token and forget it",
		Long:    "Revoke the stored token of the current backend, so that it stops working everywhere, and remove it from the credentials file.",
		Example: "  realty auth logout",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			key, err := logoutAndForget(cmd.Context(), f)
			if err != nil {
				return err
			}
			f.Print.Status("Logged out of %s.", key)
			return nil
		},
	}
}

// logoutAndForget revokes the stored token of the current backend and
// removes it from the credentials file; it returns the backend's key.
func logoutAndForget(ctx context.Context, f *Factory) (string, error) {
	key, err := f.BackendKey(ctx)
	if err != nil {
		return "", err
	}
	c, err := f.Creds.Get(key)
	if err != nil {
		return "", err
	}
	if c.Token == "" {
		return "", fmt.Errorf("not logged in to %s: %w", key, realty.ErrUnauthenticated)
	}
	svc, err := f.ServiceFor(ctx, c.Token)
	if err != nil {
		return "", err
	}
	err = svc.Logout(ctx)
	if err != nil && !errors.Is(err, realty.ErrUnauthenticated) {
		return "", err // keep the token: it may still work, and logout can be retried
	}
	return key, f.Creds.Set(key, credential{})
}

func newAuthStatusCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "status",
		Short:   "Say who you are logged in as, and where",
		Long:    "Check the stored token (or REALTY_TOKEN) against the current backend and say whose it is. Exits with 4 when not logged in.",
		Example: "  realty auth status\n  realty auth status --jq .user.email",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			token, err := f.token(ctx)
			if err != nil {
				return err
			}
			if token == "" { // say so without opening the backend
				return fmt.Errorf("not logged in: %w", realty.ErrUnauthenticated)
			}
			svc, err := f.Service(ctx)
			if err != nil {
				return err
			}
			key, _ := f.BackendKey(ctx)
			me, err := svc.Me(ctx)
			if err != nil {
				return err
			}
			c, _ := f.Creds.Get(key)
			source := "credentials file"
			if f.IO.Env("REALTY_TOKEN") != "" {
				source, c.ExpiresAt = "REALTY_TOKEN", time.Time{}
			}
			if f.Print.Machine() {
				return f.Print.JSONOut(struct {
					User    realty.User `json:"user"`
					Backend string      `json:"backend"`
					Source  string      `json:"token_source"`
				}{me, key, source})
			}
			pairs := [][2]string{{"Backend", key}, {"User", me.FirstName + " " + me.LastName + " <" + me.Email + ">"},
				{"User id", itoa(me.ID)}, {"Token", "from the " + source}}
			if !c.ExpiresAt.IsZero() {
				pairs = append(pairs, [2]string{"Expires", c.ExpiresAt.Format(time.RFC3339)})
			}
			return f.Print.Fields(pairs...)
		},
	}
}
