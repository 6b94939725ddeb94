package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/realtyhq/realty/pkg/realty"
)

func newCityCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "city",
		Aliases: []string{"cities"},
		Short:   "See the cities that have properties",
		Args:    noArgs,
	}
	cmd.AddCommand(newCityListCmd(f))
	return cmd
}

func newCityListCmd(f *Factory) *cobra.Command {
	var filter realty.CityFilter
	var all bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the cities that have properties, with their counts",
		Long: `List the cities that have at least one property, with how many, in
alphabetical order of their keys (case and accents ignored), a page at a time
(20 by default, at most 100). --prefix keeps the cities whose name starts
with it. Follow the printed --cursor for the next page, or pass --all.`,
		Example: `  realty city list
  realty city list --prefix saint
  realty city list --all --jq '.items[] | select(.count > 10) | .city'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			svc, err := f.Service(ctx)
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("limit") && filter.Limit < 1 {
				return realty.Invalid("limit", "must be at least 1")
			}
			page, err := pages(filter.Cursor, all, func(cursor string) (realty.Page[realty.CityCount], error) {
				filter.Cursor = cursor
				return svc.Cities(ctx, filter)
			})
			if err != nil {
				return err
			}
			if f.Print.Machine() {
				return f.Print.JSONOut(page)
			}
			t := newTable(f.IO, "CITY", "PROPERTIES")
			for _, c := range page.Items {
				t.add(c.City, fmt.Sprint(c.Count))
			}
			if err := t.print(); err != nil {
				return err
			}
			if page.NextCursor != "" {
				f.Print.Status("More: add --cursor %s (or --all)", page.NextCursor)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&filter.Prefix, "prefix", "", "only cities whose name starts with this (case and accents ignored)")
	fl.IntVar(&filter.Limit, "limit", realty.DefaultPageSize, "page size, 1 to 100")
	fl.StringVar(&filter.Cursor, "cursor", "", "continue after the page that printed this cursor")
	fl.BoolVar(&all, "all", false, "list every page")
	return cmd
}
