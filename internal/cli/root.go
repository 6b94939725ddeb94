// Package cli is realty's command line: cobra commands over a realty.Service
// that the Factory provides, with tables for people, JSON for scripts,
// prompts only on a terminal, and exit codes that say what went wrong.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/realtyhq/realty/pkg/realty"
)

// Main runs realty with the process's arguments and streams and returns the
// exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, os.Args[1:], SystemIO())
}

// Run runs realty with args on the given streams and returns the exit code.
func Run(ctx context.Context, args []string, s *IO) int {
	f := NewFactory(s)
	defer f.Close()
	root := NewRootCmd(f)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	msg, hint := describe(err, f.serverURL() != "")
	var h *hinted
	if realty.KindOf(err).Code == "unauthenticated" && !errors.As(err, &h) {
		if better := f.loginHint(ctx); better != "" {
			hint = better
		}
	}
	fmt.Fprintf(s.Err, "error: %s\n", msg)
	if hint != "" {
		fmt.Fprintf(s.Err, "hint: %s\n", hint)
	}
	var ue *usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		fmt.Fprintf(s.Err, "Run '%s --help' for usage.\n", commandPath(root, args))
	}
	return ExitCode(err)
}

// commandPath returns the path of the command args name, for help hints.
func commandPath(root *cobra.Command, args []string) string {
	if c, _, err := root.Find(args); err == nil {
		return c.CommandPath()
	}
	return root.Name()
}

// NewRootCmd builds the whole command tree around a Factory.
func NewRootCmd(f *Factory) *cobra.Command {
	if f.Print == nil || f.Creds == nil { // a Factory literal, as tests build
		*f = *NewFactory(f.IO)
	}
	root := &cobra.Command{
		Use:   "realty",
		Short: "Manage real-estate properties, their rooms and their owners",
		Long: `realty registers properties with their rooms, lets anybody browse them and filter
them by city, lets owners edit their own properties, and keeps each user's
personal information.

It works on a local SQLite database by default (under $XDG_DATA_HOME/realty,
created by 'user register', 'demo', 'tui', 'serve' or 'migrate up'; the other
commands never create one), on MySQL with --db mysql://user:pass@host:3306/name,
or through a server started with 'realty serve' with --server URL: the
commands behave the same in every mode.`,
		Example: `  realty user register --email alice@example.com --first-name Alice --last-name Martin
  realty auth login --email alice@example.com
  realty property create --name "Loft Croix-Rousse" --type loft --city Lyon \
      --room "living_room,area=32.5,feature=fireplace" --room "bedroom,name=Master,area=12"
  realty property list --city lyon
  realty property show 1 --json`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.Err)
	root.SetIn(f.IO.In)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{msg: err.Error()} })
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		for _, name := range meaningless[cmd.CommandPath()] {
			if cmd.Flags().Changed(name) {
				return usageErrorf("--%s means nothing for %s", name, cmd.CommandPath())
			}
		}
		f.Create = creators[cmd.CommandPath()]
		return nil
	}
	help := root.HelpFunc()
	root.SetHelpFunc(func(cmd *cobra.Command, args []string) {
		// The global flags a command ignores are not listed in its help.
		for _, name := range meaningless[cmd.CommandPath()] {
			if fl := cmd.Flags().Lookup(name); fl != nil {
				fl.Hidden = true
				defer func() { fl.Hidden = false }()
			}
		}
		help(cmd, args)
	})

	pf := root.PersistentFlags()
	pf.StringVar(&f.DBURL, "db", "", "database URL: sqlite:PATH or mysql://user:pass@host:3306/name (env REALTY_DB)")
	pf.StringVar(&f.Server, "server", "", "work through the realty server at this URL instead of a database (env REALTY_SERVER)")
	pf.BoolVar(&f.Print.JSON, "json", false, "print JSON, in the same shape as the REST API")
	pf.StringVar(&f.Print.JQ, "jq", "", "filter the JSON output with a jq expression (implies --json)")

	root.AddGroup(&cobra.Group{ID: "data", Title: "Properties and people:"},
		&cobra.Group{ID: "admin", Title: "Setup and tools:"})
	for _, c := range []*cobra.Command{newAuthCmd(f), newUserCmd(f), newPropertyCmd(f), newRoomCmd(f), newCityCmd(f), newTUICmd(f)} {
		c.GroupID = "data"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{NewCmdServe(f, nil), NewCmdDemo(f, nil), newMigrateCmd(f), newHealthcheckCmd(f),
		newCompletionCmd(), newVersionCmd(f)} {
		c.GroupID = "admin"
		root.AddCommand(c)
	}
	root.SetHelpCommandGroupID("admin")
	refuseUnknownSubcommands(root)
	return root
}

// creators are the commands that create the local database when it does
// not exist: those that can do something on an empty one. The others, and
// completion, only open an existing database, so that a mistyped --db is
// an error rather than a new empty file.
var creators = map[string]bool{"realty serve": true, "realty migrate up": true, "realty demo": true,
	"realty tui": true, "realty user register": true}

// meaningless lists, per command, the global flags it has no use for: they
// are left out of its help, and giving one is a usage error.
var meaningless = map[string][]string{
	"realty tui":         {"json", "jq"},
	"realty completion":  {"json", "jq", "db", "server"},
	"realty serve":       {"json", "jq", "server"},
	"realty version":     {"db", "server"},
	"realty healthcheck": {"json", "jq", "db", "server"},
	"realty demo":        {"json", "jq"},
	"realty migrate up":  {"json", "jq"},
}

// refuseUnknownSubcommands makes every command group (realty property,
// realty user...) fail on an unknown subcommand, as the root does: cobra
// would print the group's help and exit 0, and blame the subcommand's
// flags (realty property lsit --city lyon: "unknown flag --city").
func refuseUnknownSubcommands(c *cobra.Command) {
	for _, sub := range c.Commands() {
		refuseUnknownSubcommands(sub)
	}
	if !c.HasParent() || !c.HasSubCommands() || c.Runnable() {
		return
	}
	c.Args = cobra.ArbitraryArgs
	c.FParseErrWhitelist.UnknownFlags = true
	c.SuggestionsMinimumDistance = 2
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += fmt.Sprintf("; did you mean %q?", s[0])
		}
		return usageErrorf("%s", msg)
	}
}
