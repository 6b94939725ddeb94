package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/realtyhq/realty/pkg/realty"
)

func newPropertyCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "property",
		Aliases: []string{"properties", "prop"},
		Short:   "Register, browse, edit and delete properties",
		Long:    "Register properties with their rooms, browse and filter them (anybody can), and edit or delete your own.",
		Args:    noArgs,
	}
	cmd.AddCommand(NewCmdPropertyList(f, nil), newPropertyShowCmd(f), NewCmdPropertyCreate(f, nil),
		NewCmdPropertyUpdate(f, nil), newPropertyDeleteCmd(f), newPropertyHistoryCmd(f), newPropertyExportCmd(f),
		newPropertyImportCmd(f))
	return cmd
}

// PropertyListOptions is what 'realty property list' works with.
type PropertyListOptions struct {
	Service func(context.Context) (realty.Service, error)
	Print   *Printer
	Filter  realty.PropertyFilter
	Types   []string // --type, any spelling of a type (repeatable)
	Owner   string   // --owner: a user id or "me"
	All     bool
	// The listing filters, as typed: parsed by propertyListRun.
	Statuses                                                 []string
	MinPrice, MaxPrice, MinRooms, MaxRooms, MinArea, MaxArea string
}

// NewCmdPropertyList builds 'realty property list'; runF, when not nil,
// replaces propertyListRun (tests check the options it is given).
func NewCmdPropertyList(f *Factory, runF func(context.Context, *PropertyListOptions) error) *cobra.Command {
	opts := &PropertyListOptions{Service: f.Service, Print: f.Print}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List properties, optionally of one city, type or owner, or with some words",
		Long: `List properties, oldest first (or in --sort's order), a page at a time (20 by
default, at most 100).
--city ignores case, accents and hyphens: "saint etienne" finds "Saint-Étienne".
--search finds the properties whose name or description has every word given,
at the start of one of its words, case and accents ignored: "terr sud" finds
"Grande terrasse plein Sud". Words under 3 letters are left out.
Follow the printed --cursor for the next page, or pass --all for every page.`,
		Example: `  realty property list --city paris
  realty property list --city lyon --transaction sale --max-price 400000 --min-rooms 3 --sort price
  realty property list --type house --type villa --feature garden --status available
  realty property list --search "terrasse sud" --city lyon
  realty property list --type apartment --owner me
  realty property list --all --json --jq '.items[].name'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return propertyListRun(cmd.Context(), opts)
		},
	}
	addListFilterFlags(cmd, f, opts)
	fl := cmd.Flags()
	fl.IntVar(&opts.Filter.Limit, "limit", realty.DefaultPageSize, "page size, 1 to 100")
	fl.StringVar(&opts.Filter.Cursor, "cursor", "", "continue after the page that printed this cursor")
	fl.BoolVar(&opts.All, "all", false, "list every page")
	return cmd
}

// addListFilterFlags adds the filters and the order of property list (and
// of property export) to cmd.
func addListFilterFlags(cmd *cobra.Command, f *Factory, opts *PropertyListOptions) {
	fl := cmd.Flags()
	fl.StringVar(&opts.Filter.City, "city", "", "only properties in this city (case and accents ignored)")
	fl.StringArrayVar(&opts.Types, "type", nil, "only properties of this type (repeatable: any of them)")
	fl.StringVar(&opts.Owner, "owner", "", `only properties of this owner: a user id, or "me"`)
	fl.StringVar(&opts.Filter.Search, "search", "", "only properties whose name or description has these words")
	fl.StringArrayVar(&opts.Statuses, "status", nil, "only properties with this listing status (repeatable: any of them)")
	fl.StringVar((*string)(&opts.Filter.Transaction), "transaction", "", "only properties for sale or for rent")
	fl.StringVar(&opts.MinPrice, "min-price", "", "only properties priced at least this (properties without a price are left out)")
	fl.StringVar(&opts.MaxPrice, "max-price", "", "only properties priced at most this")
	fl.StringVar(&opts.MinRooms, "min-rooms", "", "only properties with at least this many rooms")
	fl.StringVar(&opts.MaxRooms, "max-rooms", "", "only properties with at most this many rooms")
	fl.StringVar(&opts.MinArea, "min-area", "", "only properties of at least this many m² in all")
	fl.StringVar(&opts.MaxArea, "max-area", "", "only properties of at most this many m² in all")
	fl.StringVar((*string)(&opts.Filter.Sort), "sort", "id", "order: "+strings.Join(realty.Names(realty.Sorts), ", ")+
		` ("-": largest first; no price last)`)
	fl.StringArrayVar(&opts.Filter.Features, "feature", nil, "only properties with a room that has this feature (repeatable: all of them)")
	_ = cmd.RegisterFlagCompletionFunc("city", completeCities(f))
	_ = cmd.RegisterFlagCompletionFunc("type", completeValues(realty.Names(realty.PropertyTypes)))
	_ = cmd.RegisterFlagCompletionFunc("owner", completeValues([]string{"me"}))
	_ = cmd.RegisterFlagCompletionFunc("status", completeValues(realty.Names(realty.Statuses)))
	_ = cmd.RegisterFlagCompletionFunc("transaction", completeValues(realty.Names(realty.Transactions)))
	_ = cmd.RegisterFlagCompletionFunc("sort", completeValues(realty.Names(realty.Sorts)))
}

// resolve opens the service and makes the filter of the flags: typed
// bounds parsed, --owner me resolved.
func (opts *PropertyListOptions) resolve(ctx context.Context) (realty.Service, realty.PropertyFilter, error) {
	filter := opts.Filter
	svc, err := opts.Service(ctx)
	if err != nil {
		return nil, filter, err
	}
	if err := opts.parseFilters(&filter); err != nil {
		return nil, filter, err
	}
	filter.OwnerID, err = resolveOwner(ctx, svc, opts.Owner)
	return svc, filter, err
}

func propertyListRun(ctx context.Context, opts *PropertyListOptions) error {
	if err := checkLimit(opts.Filter.Limit); err != nil {
		return err
	}
	svc, filter, err := opts.resolve(ctx)
	if err != nil {
		return err
	}
	page, err := listPages(ctx, svc, filter, opts.All)
	if err != nil {
		return renameFields(err, listFlags)
	}
	if opts.Print.Machine() {
		return opts.Print.JSONOut(page)
	}
	// New columns go last: scripts that read the piped columns by position
	// keep working.
	t := newTable(opts.Print.IO, "ID", "NAME", "TYPE", "CITY", "ROOMS", "AREA", "OWNER", "PRICE", "STATUS")
	for _, p := range page.Items {
		status := "-"
		if p.Transaction != nil || p.Status != realty.DefaultStatus {
			status = string(p.Status)
		}
		t.add(itoa(p.ID), p.Name, string(p.Type), p.City, fmt.Sprint(p.RoomCount), realty.AreaText(&p.TotalArea),
			p.Owner.FirstName+" "+p.Owner.LastName, p.PriceText(), status)
	}
	if err := t.print(); err != nil {
		return err
	}
	if len(page.Items) == 0 && opts.Print.IO.OutTTY {
		opts.Print.Status("No properties match.")
	}
	if page.NextCursor != "" {
		opts.Print.Status("More: add --cursor %s (or --all)", page.NextCursor)
	}
	return nil
}

// listFlags are the flags of property list whose names are not the API's.
var listFlags = map[string]string{"q": "--search", "type": "--type", "status": "--status",
	"transaction": "--transaction", "feature": "--feature", "min_price": "--min-price", "max_price": "--max-price",
	"min_rooms": "--min-rooms", "max_rooms": "--max-rooms", "min_area": "--min-area", "max_area": "--max-area",
	"sort": "--sort", "cursor": "--cursor"}

// parseFilters reads the typed listing filters into f; every problem at
// once, named by its flag.
func (opts *PropertyListOptions) parseFilters(f *realty.PropertyFilter) error {
	var bad realty.Problems
	for _, t := range opts.Types {
		pt, err := parsePropertyTypeFlag(t, "--type")
		bad.Merge("", err)
		f.Types = append(f.Types, pt)
	}
	for _, st := range opts.Statuses {
		f.Statuses = append(f.Statuses, realty.ListingStatus(realty.NormalizeEnum(st)))
	}
	f.Transaction = realty.Transaction(realty.NormalizeEnum(string(f.Transaction)))
	bad.Merge("", realty.Bounds{MinPrice: opts.MinPrice, MaxPrice: opts.MaxPrice, MinRooms: opts.MinRooms,
		MaxRooms: opts.MaxRooms, MinArea: opts.MinArea, MaxArea: opts.MaxArea}.Parse(f))
	return renameFields(bad.Err(), listFlags)
}

// renameFields gives the members of a validation error the names of the
// flags that set them, where those differ (the API's q is --search).
func renameFields(err error, flags map[string]string) error {
	var ve *realty.ValidationError
	if errors.As(err, &ve) {
		for i, f := range ve.Fields {
			if flag, ok := flags[f.Field]; ok {
				ve.Fields[i].Field = flag
			}
		}
	}
	return err
}

// listPages returns one page, or with all every page joined.
func listPages(ctx context.Context, svc realty.Service, f realty.PropertyFilter, all bool) (realty.Page[realty.PropertySummary], error) {
	return pages(f.Cursor, all, func(cursor string) (realty.Page[realty.PropertySummary], error) {
		f.Cursor = cursor
		return svc.Properties(ctx, f)
	})
}

// pages fetches the page at cursor, or with all it and every page after,
// joined.
func pages[T any](cursor string, all bool, fetch func(cursor string) (realty.Page[T], error)) (realty.Page[T], error) {
	page, err := fetch(cursor)
	for all && err == nil && page.NextCursor != "" {
		var next realty.Page[T]
		next, err = fetch(page.NextCursor)
		page.Items, page.NextCursor = append(page.Items, next.Items...), next.NextCursor
	}
	return page, err
}

// resolveOwner reads --owner: a user id, or "me".
func resolveOwner(ctx context.Context, svc realty.Service, owner string) (int64, error) {
	switch owner {
	case "":
		return 0, nil
	case "me":
		u, err := svc.Me(ctx)
		return u.ID, err
	}
	id, err := parseID("--owner", owner)
	if err != nil {
		return 0, usageErrorf("--owner must be a user id or me, got %q", owner)
	}
	return id, nil
}

func parsePropertyTypeFlag(s, flag string) (realty.PropertyType, error) {
	if s == "" {
		return "", nil
	}
	t, err := realty.ParsePropertyType(s)
	if err != nil {
		return "", realty.Invalid(strings.TrimPrefix(flag, "--"), "%v", err)
	}
	return t, nil
}

// printProperty shows one property with its rooms.
func printProperty(pr *Printer, p realty.Property) error {
	if pr.Machine() {
		return pr.JSONOut(p)
	}
	desc := p.Description
	if desc == "" {
		desc = "-"
	}
	if err := pr.Fields([2]string{"ID", itoa(p.ID)}, [2]string{"Name", p.Name}, [2]string{"Type", string(p.Type)},
		[2]string{"City", p.City}, [2]string{"Owner", fmt.Sprintf("%s %s (user %d)", p.Owner.FirstName, p.Owner.LastName, p.Owner.ID)},
		[2]string{"Description", desc}, [2]string{"Listing", p.ListingText()},
		[2]string{"Rooms", fmt.Sprintf("%d, %s in all", p.RoomCount, realty.AreaText(&p.TotalArea))},
		[2]string{"Version", itoa(p.Version)}, [2]string{"Updated", p.UpdatedAt.Format(time.RFC3339)}); err != nil {
		return err
	}
	if len(p.Rooms) == 0 {
		return nil
	}
	if pr.IO.OutTTY {
		fmt.Fprintln(pr.IO.Out)
	}
	t := newTable(pr.IO, "ROOM", "TYPE", "NAME", "AREA", "LEVEL", "FEATURES")
	if !pr.IO.OutTTY {
		t = newTable(pr.IO) // piped: rows start with "room" so that they stand apart from the fields
	}
	for _, r := range p.Rooms {
		cells := []string{itoa(r.ID), string(r.Type), r.Name, realty.AreaText(r.Area), realty.LevelText(r.Level), strings.Join(r.Features, ", ")}
		if !pr.IO.OutTTY {
			cells = append([]string{"room"}, cells...)
		}
		t.add(cells...)
	}
	return t.print()
}

func newPropertyShowCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:               "show PROPERTY_ID",
		Short:             "Show a property and its rooms",
		Long:              "Show every field of a property, and its rooms in order.",
		Example:           "  realty property show 42\n  realty property show 42 --jq '.rooms[] | select(.type == \"bedroom\") | .area'",
		Args:              exactArgs("PROPERTY_ID"),
		ValidArgsFunction: completeProperties(f, false),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("PROPERTY_ID", args[0])
			if err != nil {
				return err
			}
			svc, err := f.Service(cmd.Context())
			if err != nil {
				return err
			}
			p, err := svc.Property(cmd.Context(), id)
			if err != nil {
				return err
			}
			return printProperty(f.Print, p)
		},
	}
}

// PropertyCreateOptions is what 'realty property create' works with.
type PropertyCreateOptions struct {
	Service func(context.Context) (realty.Service, error)
	Print   *Printer
	In      realty.NewProperty // --name, --city, --description
	Type    string             // --type, any spelling of a type
	Rooms   []string           // --room specs
	Terms   termsFlags         // --transaction, --price, --currency, --status
	File    string             // --file, - for standard input
	Changed func(flag string) bool
}

// NewCmdPropertyCreate builds 'realty property create'; runF, when not nil,
// replaces propertyCreateRun.
func NewCmdPropertyCreate(f *Factory, runF func(context.Context, *PropertyCreateOptions) error) *cobra.Command {
	opts := &PropertyCreateOptions{Service: f.Service, Print: f.Print}
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Register a property, with its rooms",
		Long: `Register a property that you own. Give it with flags, with one --room per room
(type first, then key=value pairs: name, area in m², level, description,
feature), or whole from a JSON file in the API's shape (--file, - for stdin).
On a terminal, a missing name, type or city is asked for.

Property types: ` + strings.Join(realty.Names(realty.PropertyTypes), ", ") + `
Room types: ` + strings.Join(realty.Names(realty.RoomTypes), ", "),
		Example: `  realty property create --name "Loft Croix-Rousse" --type loft --city Lyon \
      --description "Bright loft near the market" --transaction sale --price 385000 \
      --room "living_room,area=32.5,level=3,feature=fireplace,feature=south-facing" \
      --room "bedroom,name=Master bedroom,area=12.5,level=3"
  realty property create --file loft.json
  cat loft.json | realty property create --file -`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Changed = cmd.Flags().Changed
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return propertyCreateRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.In.Name, "name", "", "name, 1 to 120 characters")
	fl.StringVar(&opts.Type, "type", "", "property type")
	fl.StringVar(&opts.In.City, "city", "", "city")
	fl.StringVar(&opts.In.Description, "description", "", "description, up to 4000 characters")
	fl.StringArrayVar(&opts.Rooms, "room", nil, `a room: TYPE,name=N,area=M2,level=L,feature=F,... (repeatable; quote a value with a comma: name="Big, bright")`)
	opts.Terms.register(fl, false)
	fl.StringVarP(&opts.File, "file", "f", "", "read the whole property as JSON from FILE (- for standard input)")
	_ = cmd.RegisterFlagCompletionFunc("type", completeValues(realty.Names(realty.PropertyTypes)))
	_ = cmd.RegisterFlagCompletionFunc("city", completeCities(f))
	_ = cmd.RegisterFlagCompletionFunc("room", completeValues(realty.Names(realty.RoomTypes)))
	opts.Terms.complete(cmd)
	return cmd
}

func propertyCreateRun(ctx context.Context, opts *PropertyCreateOptions) error {
	var in realty.NewProperty
	var err error
	if opts.File != "" {
		in, err = readPropertyFile(opts.Print.IO, opts.Changed, opts.File)
	} else {
		in, err = propertyFromFlags(opts.Print.IO, opts.Changed, opts.In, opts.Type, opts.Rooms)
		if err == nil {
			var terms realty.PropertyPatch
			err = opts.Terms.patch(opts.Changed, &terms)
			in.Transaction, in.Price = terms.Transaction.Ptr(), terms.Price.Ptr()
			if terms.Currency != nil {
				in.Currency = *terms.Currency
			}
			if terms.Status != nil {
				in.Status = *terms.Status
			}
		}
	}
	if err != nil {
		return err
	}
	svc, err := opts.Service(ctx)
	if err != nil {
		return err
	}
	p, err := svc.CreateProperty(ctx, in)
	if err != nil {
		return err
	}
	if !opts.Print.Machine() {
		opts.Print.Status("Created property %d.", p.ID)
	}
	return printProperty(opts.Print, p)
}

func readPropertyFile(io *IO, changed func(string) bool, file string) (realty.NewProperty, error) {
	for _, name := range []string{"name", "type", "city", "description", "room"} {
		if changed(name) {
			return realty.NewProperty{}, usageErrorf("--file gives the whole property: --%s cannot go with it", name)
		}
	}
	if file == "-" {
		return DecodeProperty(io.In)
	}
	fh, err := os.Open(file)
	if err != nil {
		return realty.NewProperty{}, err
	}
	defer fh.Close()
	return DecodeProperty(fh)
}

// propertyFromFlags builds the property from flags, prompting on a terminal
// for required flags that were not given (a flag given empty is sent as is,
// for validation to report).
func propertyFromFlags(io *IO, changed func(string) bool, in realty.NewProperty, typ string, rooms []string) (realty.NewProperty, error) {
	err := promptMissing(io, changed, []prompted{{&in.Name, "name", "Name", "name"},
		{&typ, "type", "Type (" + strings.Join(realty.Names(realty.PropertyTypes), ", ") + ")", "type"}, {&in.City, "city", "City", "city"}})
	if err != nil {
		return in, err
	}
	in.Type = realty.PropertyType(realty.NormalizeEnum(typ))
	// Every problem at once: a bad --room does not hide a bad --name.
	var bad, roomProblems realty.Problems
	for i, spec := range rooms {
		r, err := ParseRoomSpec(spec)
		if err != nil { // the whole spec: rooms[i]
			roomProblems.Merge(fmt.Sprintf("rooms[%d]", i), err)
			continue
		}
		in.Rooms = append(in.Rooms, r)
		roomProblems.Merge(fmt.Sprintf("rooms[%d].", i), r.Normalized().Validate())
	}
	if roomProblems.Err() == nil {
		return in, nil
	}
	bare := in
	bare.Rooms = nil
	bad.Merge("", bare.Normalized().Validate())
	bad.Merge("", roomProblems.Err())
	return in, bad.Err()
}

// termsFlags are the listing-term flags of property create and update.
type termsFlags struct {
	transaction, price, currency, status string
}

func (t *termsFlags) register(fl *pflag.FlagSet, update bool) {
	none := ""
	if update {
		none = `; "none" to unlist`
	}
	fl.StringVar(&t.transaction, "transaction", "", "how it is offered: sale or rent"+none)
	priceNone := ""
	if update {
		priceNone = `; "none" to remove it`
	}
	fl.StringVar(&t.price, "price", "", "price in the currency's unit, at most 2 decimals (a rent: per month)"+priceNone)
	fl.StringVar(&t.currency, "currency", "", "ISO 4217 currency code (default EUR)")
	fl.StringVar(&t.status, "status", "", "listing status: "+strings.Join(realty.Names(realty.Statuses), ", "))
}

func (t *termsFlags) complete(cmd *cobra.Command) {
	_ = cmd.RegisterFlagCompletionFunc("transaction", completeValues([]string{"sale", "rent", "none"}))
	_ = cmd.RegisterFlagCompletionFunc("status", completeValues(realty.Names(realty.Statuses)))
	_ = cmd.RegisterFlagCompletionFunc("currency", completeValues([]string{"EUR", "CHF", "GBP", "USD"}))
}

// patch turns the flags given into a patch's terms; a price that is not an
// amount is a problem on price, listed with the others.
func (t *termsFlags) patch(changed func(string) bool, p *realty.PropertyPatch) error {
	if changed("transaction") {
		if v := realty.NormalizeEnum(t.transaction); v == "none" {
			p.Transaction = realty.Null[realty.Transaction]()
		} else {
			p.Transaction = realty.Value(realty.Transaction(v))
		}
	}
	if changed("price") {
		if strings.EqualFold(strings.TrimSpace(t.price), "none") {
			p.Price = realty.Null[realty.Price]()
		} else {
			v, err := realty.ParsePrice(t.price)
			if err != nil {
				return realty.Invalid("price", "must be an amount such as 250000 or 1150.50, or none")
			}
			p.Price = realty.Value(v)
		}
	}
	if changed("currency") {
		p.Currency = &t.currency
	}
	if changed("status") {
		st := realty.ListingStatus(realty.NormalizeEnum(t.status))
		p.Status = &st
	}
	return nil
}

// PropertyUpdateOptions is what 'realty property update' works with.
type PropertyUpdateOptions struct {
	Service   func(context.Context) (realty.Service, error)
	Print     *Printer
	ID        int64
	Patch     realty.PropertyPatch // the members whose flags were given
	IfVersion int64
}

// NewCmdPropertyUpdate builds 'realty property update'; runF, when not nil,
// replaces propertyUpdateRun.
func NewCmdPropertyUpdate(f *Factory, runF func(context.Context, *PropertyUpdateOptions) error) *cobra.Command {
	opts := &PropertyUpdateOptions{Service: f.Service, Print: f.Print}
	var name, typ, city, desc string
	var terms termsFlags
	cmd := &cobra.Command{
		Use:   "update PROPERTY_ID",
		Short: "Rename or change a property of yours",
		Long: `Change the fields given by flags; the others stay as they are. Only the owner
can. With --if-version, the change is refused (exit 6) if the property changed
since you read that version: nobody's edit is silently overwritten.`,
		Example: `  realty property update 42 --name "Loft Croix-Rousse, top floor"
  realty property update 42 --city Villeurbanne --type apartment --if-version 3
  realty property update 42 --transaction sale --price 385000
  realty property update 42 --status sold --if-version 4`,
		Args:              exactArgs("PROPERTY_ID"),
		ValidArgsFunction: completeProperties(f, true),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.ID, err = parseID("PROPERTY_ID", args[0]); err != nil {
				return err
			}
			fl := cmd.Flags()
			opts.Patch = realty.PropertyPatch{}
			if fl.Changed("name") {
				opts.Patch.Name = &name
			}
			if fl.Changed("description") {
				opts.Patch.Description = &desc
			}
			if fl.Changed("city") {
				opts.Patch.City = &city
			}
			if fl.Changed("type") {
				t := realty.PropertyType(realty.NormalizeEnum(typ))
				opts.Patch.Type = &t
			}
			if err := terms.patch(fl.Changed, &opts.Patch); err != nil {
				return err
			}
			if opts.Patch.Empty() {
				return usageErrorf("nothing to change: pass --name, --type, --city, --description, --transaction, " +
					"--price, --currency or --status")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return propertyUpdateRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&name, "name", "", "new name")
	fl.StringVar(&typ, "type", "", "new property type")
	fl.StringVar(&city, "city", "", "new city")
	fl.StringVar(&desc, "description", "", "new description")
	terms.register(fl, true)
	fl.Int64Var(&opts.IfVersion, "if-version", 0, "only if the property is still at this version")
	_ = cmd.RegisterFlagCompletionFunc("type", completeValues(realty.Names(realty.PropertyTypes)))
	_ = cmd.RegisterFlagCompletionFunc("city", completeCities(f))
	terms.complete(cmd)
	return cmd
}

func propertyUpdateRun(ctx context.Context, opts *PropertyUpdateOptions) error {
	svc, err := opts.Service(ctx)
	if err != nil {
		return err
	}
	out, err := svc.UpdateProperty(ctx, opts.ID, opts.Patch, opts.IfVersion)
	if err != nil {
		return err
	}
	if !opts.Print.Machine() {
		opts.Print.Status("Updated property %d (now version %d).", out.ID, out.Version)
	}
	return printProperty(opts.Print, out)
}

func newPropertyDeleteCmd(f *Factory) *cobra.Command {
	var yes bool
	var ifVersion int64
	cmd := &cobra.Command{
		Use:               "delete PROPERTY_ID",
		Aliases:           []string{"rm"},
		Short:             "Delete a property of yours, with its rooms",
		Long:              "Delete a property and all its rooms. Only the owner can. On a terminal, realty asks first unless --yes; elsewhere --yes is required.",
		Example:           "  realty property delete 42\n  realty property delete 42 --yes",
		Args:              exactArgs("PROPERTY_ID"),
		ValidArgsFunction: completeProperties(f, true),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("PROPERTY_ID", args[0])
			if err != nil {
				return err
			}
			svc, err := f.Service(cmd.Context())
			if err != nil {
				return err
			}
			if !yes {
				p, err := svc.Property(cmd.Context(), id)
				if err != nil {
					return err
				}
				ok, err := f.IO.Confirm(fmt.Sprintf("Delete property %d %q and its %d rooms?", p.ID, p.Name, p.RoomCount))
				if err != nil || !ok {
					if err == nil {
						f.Print.Status("Nothing deleted.")
					}
					return err
				}
			}
			if err := svc.DeleteProperty(cmd.Context(), id, ifVersion); err != nil {
				return err
			}
			f.Print.Status("Deleted property %d.", id)
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	cmd.Flags().Int64Var(&ifVersion, "if-version", 0, "only if the property is still at this version")
	return cmd
}
