package cli

import (
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/realtyhq/realty/pkg/realty"
)

// noArgs, exactArgs: cobra's validators, but failing with a usage error (exit 2).
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments, got %q", cmd.CommandPath(), args)
	}
	return nil
}

func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != len(names) {
			return usageErrorf("%s needs %s", cmd.CommandPath(), strings.Join(names, " and "))
		}
		return nil
	}
}

// parseID reads a positional id argument.
func parseID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return 0, usageErrorf("%s must be a positive number, got %q", what, s)
	}
	return id, nil
}

// checkLimit refuses a --limit outside 1 to realty.MaxPageSize: a usage
// error, rather than a page silently capped at the maximum.
func checkLimit(n int) error {
	if n < 1 || n > realty.MaxPageSize {
		return usageErrorf("--limit must be from 1 to %d, got %d", realty.MaxPageSize, n)
	}
	return nil
}
