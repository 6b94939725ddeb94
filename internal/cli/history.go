package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/realtyhq/realty/pkg/realty"
)

// newPropertyHistoryCmd builds 'realty property history'.
func newPropertyHistoryCmd(f *Factory) *cobra.Command {
	var (
		filter realty.HistoryFilter
		all    bool
	)
	cmd := &cobra.Command{
		Use:   "history PROPERTY_ID",
		Short: "Show who changed a property, what and when",
		Long: `Show the history of a property, newest first, a page at a time (20 by default,
at most 100): every write to the property or its rooms since history was kept,
with its version, author, time, kind (created, imported, updated, room_added,
room_updated, room_removed) and the members it changed, old value -> new value.
Anybody who can see the property can see its history. Deleting a property
deletes its history.`,
		Example: `  realty property history 42
  realty property history 42 --all --json --jq '.items[] | select(.kind == "updated") | .changes'`,
		Args:              exactArgs("PROPERTY_ID"),
		ValidArgsFunction: completeProperties(f, false),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("PROPERTY_ID", args[0])
			if err != nil {
				return err
			}
			if err := checkLimit(filter.Limit); err != nil {
				return err
			}
			svc, err := f.Service(cmd.Context())
			if err != nil {
				return err
			}
			return propertyHistoryRun(cmd.Context(), f.Print, svc, id, filter, all)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&filter.Limit, "limit", realty.DefaultPageSize, "page size, 1 to 100")
	fl.StringVar(&filter.Cursor, "cursor", "", "continue after the page that printed this cursor")
	fl.BoolVar(&all, "all", false, "show every page")
	return cmd
}

func propertyHistoryRun(ctx context.Context, pr *Printer, svc realty.Service, id int64, f realty.HistoryFilter, all bool) error {
	page, err := pages(f.Cursor, all, func(cursor string) (realty.Page[realty.PropertyEvent], error) {
		f.Cursor = cursor
		return svc.PropertyHistory(ctx, id, f)
	})
	if err != nil {
		return renameFields(err, map[string]string{"cursor": "--cursor"})
	}
	if pr.Machine() {
		return pr.JSONOut(page)
	}
	t := newTable(pr.IO, "AT", "VERSION", "KIND", "ROOM", "BY", "CHANGES")
	for _, e := range page.Items {
		room := "-"
		if e.RoomID != nil {
			room = itoa(*e.RoomID)
		}
		t.add(e.At.Local().Format("2006-01-02 15:04:05"), itoa(e.Version), string(e.Kind), room,
			e.Actor.FirstName+" "+e.Actor.LastName, e.ChangesText())
	}
	if err := t.print(); err != nil {
		return err
	}
	if len(page.Items) == 0 && pr.IO.OutTTY {
		pr.Status("No history: the property was written before history was kept.")
	}
	if page.NextCursor != "" {
		pr.Status("More: add --cursor %s (or --all)", page.NextCursor)
	}
	return nil
}
