package cli

import (
	"context"
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
	cmd.AddCommand(NewCmdCityList(f, nil))
	return cmd
}

// CityListOptions is what 'realty city list' works with.
type CityListOptions struct {
	Service func(context.Context) (realty.Service, error)
	Print   *Printer
	Filter  realty.CityFilter
	All     bool
}

// NewCmdCityList builds 'realty city list'; runF, when not nil, replaces
// cityListRun.
func NewCmdCityList(f *Factory, runF func(context.Context, *CityListOptions) error) *cobra.Command {
	opts := &CityListOptions{Service: f.Service, Print: f.Print}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the cities that have properties, with their counts",
		Long: `List the cities that have at least one property, with how many, in
alphabetical order of their keys (case and accents ignored), a page at a time
(20 by default, at most 100). --prefix keeps the cities whose name starts
with it. Follow the printed --cursor for the next page, or pass --all.`,
		Example: `  realty city list
  realty city list --prefix saint
  realty city list --all --jq '.items[] | select(.count > 10) | .city'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return cityListRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Filter.Prefix, "prefix", "", "only cities whose name starts with this (case and accents ignored)")
	fl.IntVar(&opts.Filter.Limit, "limit", realty.DefaultPageSize, "page size, 1 to 100")
	fl.StringVar(&opts.Filter.Cursor, "cursor", "", "continue after the page that printed this cursor")
	fl.BoolVar(&opts.All, "all", false, "list every page")
	return cmd
}

func cityListRun(ctx context.Context, opts *CityListOptions) error {
	if err := checkLimit(opts.Filter.Limit); err != nil {
		return err
	}
	svc, err := opts.Service(ctx)
	if err != nil {
		return err
	}
	filter := opts.Filter
	page, err := pages(filter.Cursor, opts.All, func(cursor string) (realty.Page[realty.CityCount], error) {
		filter.Cursor = cursor
		return svc.Cities(ctx, filter)
	})
	if err != nil {
		return err
	}
	if opts.Print.Machine() {
		return opts.Print.JSONOut(page)
	}
	t := newTable(opts.Print.IO, "CITY", "PROPERTIES")
	for _, c := range page.Items {
		t.add(c.City, fmt.Sprint(c.Count))
	}
	if err := t.print(); err != nil {
		return err
	}
	if page.NextCursor != "" {
		opts.Print.Status("More: add --cursor %s (or --all)", page.NextCursor)
	}
	return nil
}
