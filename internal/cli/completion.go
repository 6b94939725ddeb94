package cli

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

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
// is typed, ignoring case, accents and hyphens as --city does: one page of
// the server's prefix search, however many cities exist. A shell keeps only
// the candidates that start with the typed word, so a city is offered with
// that word as its start ("sai" offers "saint-Étienne").
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
			desc := fmt.Sprintf("%d properties", c.Count)
			if c.Count == 1 {
				desc = "1 property"
			}
			out[i] = cobra.CompletionWithDesc(asTyped(c.City, prefix), desc)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// asTyped returns city starting with the typed prefix instead of its own
// first characters, when they differ only as --city ignores.
func asTyped(city, prefix string) string {
	if strings.HasPrefix(city, prefix) {
		return city
	}
	rs, n := []rune(city), utf8.RuneCountInString(prefix)
	if n > len(rs) {
		return city
	}
	return prefix + string(rs[n:])
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

// maxCompletions bounds the candidates offered: enough for a prompt.
const maxCompletions = 100

// propertyCompletions offers the ids that start with prefix, your own
// properties first (only those when mine). Ids with a decimal prefix form
// ranges ("12": 12, 120-129, 1200-1299...): each range is one indexed
// page from its start, so a million properties cost a few queries, never a
// scan of the first thousand.
func propertyCompletions(f *Factory, cmd *cobra.Command, mine bool, prefix string) ([]cobra.Completion, cobra.ShellCompDirective) {
	ctx := cmd.Context()
	if prefix != "" && !digitsOnly(prefix) {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	svc, err := f.Service(ctx)
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var owners []int64
	if me, err := svc.Me(ctx); err == nil {
		owners = append(owners, me.ID)
	}
	if !mine || len(owners) == 0 {
		owners = append(owners, 0) // 0: anybody's
	}
	seen := map[int64]bool{}
	var out []cobra.Completion
	for _, owner := range owners {
		err := idsWithPrefix(ctx, svc, owner, prefix, maxCompletions-len(out), func(p realty.PropertySummary) {
			if !seen[p.ID] {
				seen[p.ID] = true
				out = append(out, cobra.CompletionWithDesc(itoa(p.ID), p.Name+" ("+p.City+")"))
			}
		})
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
}

// idsWithPrefix calls fn for up to n properties (of owner, 0 for anybody)
// whose id starts with prefix, shortest ids first.
func idsWithPrefix(ctx context.Context, svc realty.Service, owner int64, prefix string, n int, fn func(realty.PropertySummary)) error {
	lo, hi := int64(1), int64(9) // no prefix: 1-9, 10-99, 100-999...
	if prefix != "" {
		v, err := strconv.ParseInt(prefix, 10, 64)
		if err != nil || v == 0 {
			return nil
		}
		lo, hi = v, v
	}
	for n > 0 && lo > 0 {
		page, err := svc.Properties(ctx, realty.PropertyFilter{OwnerID: owner, Cursor: realty.IDCursor(lo - 1),
			Limit: int(min(int64(min(n, realty.MaxPageSize)), hi-lo+1))})
		if err != nil {
			return err
		}
		if len(page.Items) == 0 {
			return nil // no id from lo on: none in the longer ranges either
		}
		for _, p := range page.Items {
			if p.ID <= hi {
				fn(p)
				n--
			}
		}
		if hi > (math.MaxInt64-9)/10 {
			return nil
		}
		if prefix == "" {
			lo, hi = hi+1, hi*10+9
		} else {
			lo, hi = lo*10, hi*10+9
		}
	}
	return nil
}

func digitsOnly(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
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
