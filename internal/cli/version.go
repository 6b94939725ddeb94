package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=v1.2.3";
// otherwise it comes from the module's build information.
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

func newVersionCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print realty's version",
		Long:    "Print the version of this realty binary, and with --json the Go version it was built with.",
		Example: "  realty version\n  realty version --jq .version",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.Print.Machine() {
				return f.Print.JSONOut(struct {
					Version string `json:"version"`
					Go      string `json:"go"`
				}{version(), runtime.Version()})
			}
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "realty %s\n", version())
			return err
		},
	}
}
