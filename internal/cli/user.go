package cli

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/realtyhq/realty/pkg/realty"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func newUserCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Register, and keep your personal information up to date",
		Long:  "Register an account, see and update your personal information (names, birth date, email), change your password, see other users' public profiles, and delete your account.",
		Args:  noArgs,
	}
	cmd.AddCommand(newUserRegisterCmd(f), newUserMeCmd(f), newUserShowCmd(f), NewCmdUserUpdate(f, nil), newUserPasswdCmd(f),
		newUserDeleteCmd(f))
	return cmd
}

func newUserRegisterCmd(f *Factory) *cobra.Command {
	var in realty.NewUser
	var birth string
	var passwordStdin bool
	cmd := &cobra.Command{
		Use:   "register",
		Short: "Create an account",
		Long: `Create an account with an email, a password (8 to 128 characters), first and
last names and, optionally, a birth date. Missing values are asked on a
terminal; scripts pass them as flags and the password with --password-stdin.`,
		Example: `  realty user register --email alice@example.com --first-name Alice --last-name Martin
  echo "$PASSWORD" | realty user register --email bob@example.com --first-name Bob \
      --last-name Durand --birth-date 1990-05-17 --password-stdin`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			err := promptMissing(f.IO, cmd.Flags().Changed, []prompted{{&in.Email, "email", "Email", "email"},
				{&in.FirstName, "first-name", "First name", "first_name"}, {&in.LastName, "last-name", "Last name", "last_name"}})
			if err != nil {
				return err
			}
			if in.BirthDate, err = parseBirthDate(birth); err != nil {
				return err
			}
			if in.Password, err = newPassword(f.IO, passwordStdin); err != nil {
				return err
			}
			svc, err := f.ServiceFor(cmd.Context(), "")
			if err != nil {
				return err
			}
			u, err := svc.Register(cmd.Context(), in)
			if err != nil {
				return err
			}
			if f.Print.Machine() {
				return f.Print.JSONOut(u)
			}
			f.Print.Status("Registered %s (user %d). Log in with: realty auth login --email %s", u.Email, u.ID, u.Email)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.Email, "email", "", "email address (your login)")
	fl.StringVar(&in.FirstName, "first-name", "", "first name")
	fl.StringVar(&in.LastName, "last-name", "", "last name")
	fl.StringVar(&birth, "birth-date", "", "birth date, YYYY-MM-DD (optional)")
	fl.BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	return cmd
}

// parseBirthDate reads an optional --birth-date.
func parseBirthDate(s string) (*realty.Date, error) {
	if s == "" {
		return nil, nil
	}
	d, err := realty.ParseDate(s)
	if err != nil {
		return nil, realty.Invalid("birth_date", "%v", err)
	}
	return &d, nil
}

func printUser(pr *Printer, u realty.User) error {
	if pr.Machine() {
		return pr.JSONOut(u)
	}
	birth := "-"
	if u.BirthDate != nil {
		birth = u.BirthDate.String()
	}
	return pr.Fields([2]string{"ID", itoa(u.ID)}, [2]string{"Email", u.Email}, [2]string{"First name", u.FirstName},
		[2]string{"Last name", u.LastName}, [2]string{"Birth date", birth},
		[2]string{"Registered", u.CreatedAt.Format(time.RFC3339)}, [2]string{"Updated", u.UpdatedAt.Format(time.RFC3339)})
}

func newUserMeCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "me",
		Short:   "Show your personal information",
		Long:    "Show your full profile: only you can see your email and birth date.",
		Example: "  realty user me\n  realty user me --jq .birth_date",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, err := f.Service(cmd.Context())
			if err != nil {
				return err
			}
			u, err := svc.Me(cmd.Context())
			if err != nil {
				return err
			}
			return printUser(f.Print, u)
		},
	}
}

func newUserShowCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "show USER_ID",
		Short:   "Show a user's public profile",
		Long:    "Show what anybody may see of a user: id, first and last name.",
		Example: "  realty user show 7",
		Args:    exactArgs("USER_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("USER_ID", args[0])
			if err != nil {
				return err
			}
			svc, err := f.Service(cmd.Context())
			if err != nil {
				return err
			}
			u, err := svc.User(cmd.Context(), id)
			if err != nil {
				return err
			}
			if f.Print.Machine() {
				return f.Print.JSONOut(u)
			}
			return f.Print.Fields([2]string{"ID", itoa(u.ID)}, [2]string{"First name", u.FirstName}, [2]string{"Last name", u.LastName})
		},
	}
}

// UserUpdateOptions is what 'realty user update' works with.
type UserUpdateOptions struct {
	Service       func(context.Context) (realty.Service, error)
	Print         *Printer
	Patch         realty.UserPatch // the members whose flags were given
	PasswordStdin bool
}

// NewCmdUserUpdate builds 'realty user update'; runF, when not nil,
// replaces userUpdateRun.
func NewCmdUserUpdate(f *Factory, runF func(context.Context, *UserUpdateOptions) error) *cobra.Command {
	opts := &UserUpdateOptions{Service: f.Service, Print: f.Print}
	var email, first, last, birth string
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Change your names, birth date or email",
		Long: `Change the personal information given by flags; the others stay as they are.
An empty --birth-date removes it. Changing the email, which you log in with,
asks for your current password (on a terminal, or the first line of standard
input with --password-stdin).`,
		Example: `  realty user update --first-name Alicia --birth-date 1985-02-03
  realty user update --birth-date ""
  echo "$PASSWORD" | realty user update --email alicia@example.org --password-stdin`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p := realty.UserPatch{}
			fl := cmd.Flags()
			if fl.Changed("email") {
				p.Email = &email
			}
			if fl.Changed("first-name") {
				p.FirstName = &first
			}
			if fl.Changed("last-name") {
				p.LastName = &last
			}
			if fl.Changed("birth-date") {
				d, err := parseBirthDate(birth)
				if err != nil {
					return err
				}
				p.BirthDate = realty.Null[realty.Date]()
				if d != nil {
					p.BirthDate = realty.Value(*d)
				}
			}
			if p.Empty() {
				return usageErrorf("nothing to change: pass --first-name, --last-name, --birth-date or --email")
			}
			opts.Patch = p
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return userUpdateRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&email, "email", "", "new email address")
	fl.StringVar(&first, "first-name", "", "new first name")
	fl.StringVar(&last, "last-name", "", "new last name")
	fl.StringVar(&birth, "birth-date", "", `new birth date, YYYY-MM-DD ("" removes it)`)
	fl.BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the current password (needed to change the email) from standard input")
	return cmd
}

func userUpdateRun(ctx context.Context, opts *UserUpdateOptions) error {
	p := opts.Patch
	if p.Email != nil { // the log-in name: the current password confirms it is you
		var err error
		if p.CurrentPassword, err = readPassword(opts.Print.IO, opts.PasswordStdin, "Current password"); err != nil {
			return err
		}
	}
	svc, err := opts.Service(ctx)
	if err != nil {
		return err
	}
	u, err := svc.UpdateMe(ctx, p)
	if err != nil {
		return err
	}
	return printUser(opts.Print, u)
}

func newUserPasswdCmd(f *Factory) *cobra.Command {
	var passwordStdin bool
	cmd := &cobra.Command{
		Use:   "passwd",
		Short: "Change your password",
		Long: `Change your password. Your other sessions are logged out; this one stays.
With --password-stdin, the first line of standard input is the current
password and the second the new one.`,
		Example: `  realty user passwd
  printf '%s\n%s\n' "$OLD" "$NEW" | realty user passwd --password-stdin`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			current, err := readPassword(f.IO, passwordStdin, "Current password")
			if err != nil {
				return err
			}
			next, err := newPassword(f.IO, passwordStdin)
			if err != nil {
				return err
			}
			svc, err := f.Service(cmd.Context())
			if err != nil {
				return err
			}
			if err := svc.ChangePassword(cmd.Context(), realty.PasswordChange{Current: current, New: next}); err != nil {
				return err
			}
			f.Print.Status("Password changed; your other sessions are logged out.")
			return nil
		},
	}
	cmd.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the current and the new password from standard input, one per line")
	return cmd
}

func newUserDeleteCmd(f *Factory) *cobra.Command {
	var passwordStdin, yes bool
	cmd := &cobra.Command{
		Use:   "delete",
		Short: "Delete your account and all that is yours",
		Long: `Delete your account, your properties with their rooms and history, and your
sessions: the right to erasure. It cannot be undone. It takes your password;
on a terminal realty asks for it, and asks to confirm unless --yes; elsewhere
--yes and --password-stdin are required. Your email can be registered again.`,
		Example: `  realty user delete
  echo "$PASSWORD" | realty user delete --yes --password-stdin`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, err := f.Service(cmd.Context())
			if err != nil {
				return err
			}
			me, err := svc.Me(cmd.Context())
			if err != nil {
				return err
			}
			if !yes {
				ok, err := f.IO.Confirm(fmt.Sprintf("Delete your account %s and all your properties, for good?", me.Email))
				if err != nil || !ok {
					if err == nil {
						f.Print.Status("Nothing deleted.")
					}
					return err
				}
			}
			password, err := readPassword(f.IO, passwordStdin, "Password")
			if err != nil {
				return err
			}
			if err := svc.DeleteAccount(cmd.Context(), realty.AccountDeletion{Password: password}); err != nil {
				return err
			}
			key, err := f.BackendKey(cmd.Context())
			if err == nil {
				err = f.Creds.Set(key, credential{}) // its token is gone with the account
			}
			if err != nil {
				return err
			}
			f.Print.Status("Deleted your account %s and all that was yours.", me.Email)
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	cmd.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from standard input")
	return cmd
}
