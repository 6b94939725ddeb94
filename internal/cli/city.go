package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newCityCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "city",
		Aliases: []string{"cities"},
		Short:   "See the cities that have properties",
		Args:    noArgs,
	}
	cmd.AddCommand(&cobra.Command{
		Use:     "list",
		Short:   "List the cities that have properties, with their counts",
		Long:    "List every city that has at least one property, with how many, in alphabetical order.",
		Example: "  realty city list\n  realty city list --jq '.[] | select(.count > 10) | .city'",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, err := f.Service(cmd.Context())
			if err != nil {
				return err
			}
			cities, err := svc.Cities(cmd.Context())
			if err != nil {
				return err
			}
			if f.machine() {
				return f.printJSON(cities)
			}
			t := newTable(f.IO, "CITY", "PROPERTIES")
			for _, c := range cities {
				t.add(c.City, fmt.Sprint(c.Count))
			}
			return t.print()
		},
	})
	return cmd
}
