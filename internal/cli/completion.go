package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/realtyhq/realty/pkg/realty"
)

func newCompletionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script",
		Long: `Print the completion script for a shell. Property ids, room ids, cities and
types complete from the current backend.

  bash:        source <(realty completion bash)
  zsh:         realty completion zsh > "${fpath[1]}/_realty"
  fish:        realty completion fish > ~/.config/fish/completions/realty.fish
  powershell:  realty completion powershell | Out-String | Invoke-Expression`,
		Example:   "  realty completion bash > /etc/bash_completion.d/realty",
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		Args:      exactArgs("SHELL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return GenCompletion(cmd.Root(), args[0], cmd.OutOrStdout())
		},
	}
}

// GenCompletion writes the completion script of shell for the command tree.
func GenCompletion(root *cobra.Command, shell string, w interface{ Write([]byte) (int, error) }) error {
	switch shell {
	case "bash":
		return root.GenBashCompletionV2(w, true)
	case "zsh":
		return root.GenZshCompletion(w)
	case "fish":
		return root.GenFishCompletion(w, true)
	case "powershell":
		return root.GenPowerShellCompletionWithDesc(w)
	}
	return usageErrorf("unknown shell %q: bash, zsh, fish or powershell", shell)
}

type completeFunc = func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective)

func completeValues(values []string) completeFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeCities offers the cities that have properties and start with what
// is typed: one page of the server's prefix search, however many cities exist.
func completeCities(f *Factory) completeFunc {
	return func(cmd *cobra.Command, _ []string, prefix string) ([]cobra.Completion, cobra.ShellCompDirective) {
		svc, err := f.Service(cmd.Context())
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		page, err := svc.Cities(cmd.Context(), realty.CityFilter{Prefix: prefix, Limit: realty.MaxPageSize})
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		out := make([]cobra.Completion, len(page.Items))
		for i, c := range page.Items {
			out[i] = cobra.CompletionWithDesc(c.City, fmt.Sprintf("%d properties", c.Count))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeProperties offers property ids with their names (only your own
// when mine, and you are logged in).
func completeProperties(f *Factory, mine bool) completeFunc {
	return func(cmd *cobra.Command, args []string, prefix string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return propertyCompletions(f, cmd, mine, prefix)
	}
}

func propertyCompletions(f *Factory, cmd *cobra.Command, mine bool, prefix string) ([]cobra.Completion, cobra.ShellCompDirective) {
	ctx := cmd.Context()
	svc, err := f.Service(ctx)
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	filter := realty.PropertyFilter{Limit: realty.MaxPageSize}
	if mine {
		if me, err := svc.Me(ctx); err == nil {
			filter.OwnerID = me.ID
		}
	}
	var out []cobra.Completion
	for page := 0; page < 10; page++ { // at most 1000 candidates: enough for a prompt
		p, err := svc.Properties(ctx, filter)
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		for _, it := range p.Items {
			if id := itoa(it.ID); strings.HasPrefix(id, prefix) {
				out = append(out, cobra.CompletionWithDesc(id, it.Name+" ("+it.City+")"))
			}
		}
		if p.NextCursor == "" {
			break
		}
		filter.Cursor = p.NextCursor
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completePropertyAndRoom completes PROPERTY_ID, then that property's ROOM_IDs.
func completePropertyAndRoom(f *Factory) completeFunc {
	return func(cmd *cobra.Command, args []string, prefix string) ([]cobra.Completion, cobra.ShellCompDirective) {
		switch len(args) {
		case 0:
			return propertyCompletions(f, cmd, true, prefix)
		case 1:
			id, err := parseID("PROPERTY_ID", args[0])
			if err != nil {
				return nil, cobra.ShellCompDirectiveError
			}
			svc, err := f.Service(cmd.Context())
			if err != nil {
				return nil, cobra.ShellCompDirectiveError
			}
			p, err := svc.Property(cmd.Context(), id)
			if err != nil {
				return nil, cobra.ShellCompDirectiveError
			}
			var out []cobra.Completion
			for _, r := range p.Rooms {
				desc := string(r.Type)
				if r.Name != "" {
					desc += ": " + r.Name
				}
				out = append(out, cobra.CompletionWithDesc(itoa(r.ID), desc))
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}
