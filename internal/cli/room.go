package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/realtyhq/realty/pkg/realty"
)

func newRoomCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "room",
		Aliases: []string{"rooms"},
		Short:   "Add, change and remove the rooms of your properties",
		Long: `Add, change and remove rooms of a property you own. Each change increases the
property's version. Room types: ` + strings.Join(realty.Names(realty.RoomTypes), ", ") + `.`,
		Args: noArgs,
	}
	cmd.AddCommand(newRoomAddCmd(f), newRoomUpdateCmd(f), newRoomRemoveCmd(f))
	return cmd
}

// roomFlags are the flags of room add and room update.
type roomFlags struct {
	typ, name, area, level, desc string
	features                     []string
	noFeatures                   bool
	ifVersion                    int64
}

func (r *roomFlags) register(cmd *cobra.Command, update bool) {
	fl := cmd.Flags()
	fl.StringVar(&r.typ, "type", "", "room type")
	fl.StringVar(&r.name, "name", "", "name, up to 80 characters")
	fl.StringVar(&r.area, "area", "", "area in m², up to 2 decimals")
	fl.StringVar(&r.level, "level", "", "level (floor), -5 to 200")
	fl.StringVar(&r.desc, "description", "", "description, up to 1000 characters")
	fl.StringArrayVar(&r.features, "feature", nil, "a feature such as balcony or fireplace (repeatable)")
	fl.Int64Var(&r.ifVersion, "if-version", 0, "only if the property is still at this version")
	if update {
		fl.Lookup("area").Usage += ` ("" removes it)`
		fl.Lookup("level").Usage += ` ("" removes it)`
		fl.Lookup("feature").Usage += "; replaces all the room's features"
		fl.BoolVar(&r.noFeatures, "no-features", false, "remove all the room's features")
	}
	_ = cmd.RegisterFlagCompletionFunc("type", completeValues(realty.Names(realty.RoomTypes)))
}

// parseArea and parseLevel read optional flags; "" means "none".
func parseArea(s string) (*realty.Area, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	a, err := realty.ParseArea(s)
	if err != nil {
		return nil, realty.Invalid("area", "%v", err)
	}
	return &a, nil
}

func parseLevel(s string) (*int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var l int
	if _, err := fmt.Sscanf(strings.TrimSpace(s), "%d", &l); err != nil || fmt.Sprint(l) != strings.TrimSpace(s) {
		return nil, realty.Invalid("level", "%q is not a whole number", s)
	}
	return &l, nil
}

func printRoom(pr *Printer, propertyID int64, r realty.Room) error {
	if pr.Machine() {
		return pr.JSONOut(r)
	}
	return pr.Fields([2]string{"Room", itoa(r.ID)}, [2]string{"Property", itoa(propertyID)}, [2]string{"Type", string(r.Type)},
		[2]string{"Name", r.Name}, [2]string{"Area", realty.AreaText(r.Area)}, [2]string{"Level", realty.LevelText(r.Level)},
		[2]string{"Description", r.Description}, [2]string{"Features", strings.Join(r.Features, ", ")})
}

func newRoomAddCmd(f *Factory) *cobra.Command {
	var rf roomFlags
	cmd := &cobra.Command{
		Use:   "add PROPERTY_ID --type TYPE",
		Short: "Add a room to a property of yours",
		Long:  "Add a room after the property's last one. Only the owner can.",
		Example: `  realty room add 42 --type bedroom --name "Guest room" --area 9.5 --level 1
  realty room add 42 --type terrace --area 20 --feature south-facing --feature view`,
		Args:              exactArgs("PROPERTY_ID"),
		ValidArgsFunction: completeProperties(f, true),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("PROPERTY_ID", args[0])
			if err != nil {
				return err
			}
			if rf.typ == "" {
				if rf.typ, err = f.IO.Prompt("Room type ("+strings.Join(realty.Names(realty.RoomTypes), ", ")+")", "--type"); err != nil {
					return err
				}
			}
			in := realty.NewRoom{Type: realty.RoomType(realty.NormalizeEnum(rf.typ)), Name: rf.name, Description: rf.desc, Features: rf.features}
			areaErr, levelErr := error(nil), error(nil)
			in.Area, areaErr = parseArea(rf.area)
			in.Level, levelErr = parseLevel(rf.level)
			if err := joinInvalid(areaErr, levelErr); err != nil {
				return err
			}
			svc, err := f.Service(cmd.Context())
			if err != nil {
				return err
			}
			r, err := svc.AddRoom(cmd.Context(), id, in, rf.ifVersion)
			if err != nil {
				return err
			}
			if !f.Print.Machine() {
				f.Print.Status("Added room %d to property %d.", r.ID, id)
			}
			return printRoom(f.Print, id, r)
		},
	}
	rf.register(cmd, false)
	return cmd
}

// joinInvalid merges flag validation errors into one ValidationError.
func joinInvalid(errs ...error) error {
	var bad realty.Problems
	for _, err := range errs {
		bad.Merge("", err)
	}
	return bad.Err()
}

func newRoomUpdateCmd(f *Factory) *cobra.Command {
	var rf roomFlags
	cmd := &cobra.Command{
		Use:   "update PROPERTY_ID ROOM_ID",
		Short: "Change a room of a property of yours",
		Long:  "Change the room fields given by flags; the others stay as they are. --feature replaces the whole set of features. Only the owner can.",
		Example: `  realty room update 42 7 --name "Master bedroom" --area 14.2
  realty room update 42 7 --level "" --feature balcony --feature quiet`,
		Args:              exactArgs("PROPERTY_ID", "ROOM_ID"),
		ValidArgsFunction: completePropertyAndRoom(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, roomID, err := parseRoomArgs(args)
			if err != nil {
				return err
			}
			p, err := rf.patch(cmd)
			if err != nil {
				return err
			}
			svc, err := f.Service(cmd.Context())
			if err != nil {
				return err
			}
			r, err := svc.UpdateRoom(cmd.Context(), id, roomID, p, rf.ifVersion)
			if err != nil {
				return err
			}
			if !f.Print.Machine() {
				f.Print.Status("Updated room %d of property %d.", r.ID, id)
			}
			return printRoom(f.Print, id, r)
		},
	}
	rf.register(cmd, true)
	return cmd
}

func (rf *roomFlags) patch(cmd *cobra.Command) (realty.RoomPatch, error) {
	var p realty.RoomPatch
	fl := cmd.Flags()
	if fl.Changed("type") {
		t := realty.RoomType(realty.NormalizeEnum(rf.typ))
		p.Type = &t
	}
	if fl.Changed("name") {
		p.Name = &rf.name
	}
	if fl.Changed("description") {
		p.Description = &rf.desc
	}
	var areaErr, levelErr error
	if fl.Changed("area") {
		var a *realty.Area
		a, areaErr = parseArea(rf.area)
		p.Area = realty.Nullable[realty.Area]{Set: true, Valid: a != nil}
		if a != nil {
			p.Area.V = *a
		}
	}
	if fl.Changed("level") {
		var l *int
		l, levelErr = parseLevel(rf.level)
		p.Level = realty.Nullable[int]{Set: true, Valid: l != nil}
		if l != nil {
			p.Level.V = *l
		}
	}
	if err := joinInvalid(areaErr, levelErr); err != nil {
		return p, err
	}
	switch {
	case rf.noFeatures && fl.Changed("feature"):
		return p, usageErrorf("--feature and --no-features cannot go together")
	case rf.noFeatures:
		p.Features = &[]string{}
	case fl.Changed("feature"):
		p.Features = &rf.features
	}
	if p.Empty() {
		return p, usageErrorf("nothing to change: pass --type, --name, --area, --level, --description or --feature")
	}
	return p, nil
}

func newRoomRemoveCmd(f *Factory) *cobra.Command {
	var yes bool
	var ifVersion int64
	cmd := &cobra.Command{
		Use:               "remove PROPERTY_ID ROOM_ID",
		Aliases:           []string{"rm"},
		Short:             "Remove a room from a property of yours",
		Long:              "Remove a room. Only the owner can. On a terminal, realty asks first unless --yes; elsewhere --yes is required.",
		Example:           "  realty room remove 42 7 --yes",
		Args:              exactArgs("PROPERTY_ID", "ROOM_ID"),
		ValidArgsFunction: completePropertyAndRoom(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, roomID, err := parseRoomArgs(args)
			if err != nil {
				return err
			}
			svc, err := f.Service(cmd.Context())
			if err != nil {
				return err
			}
			if !yes {
				ok, err := f.IO.Confirm(fmt.Sprintf("Remove room %d of property %d?", roomID, id))
				if err != nil || !ok {
					if err == nil {
						f.Print.Status("Nothing removed.")
					}
					return err
				}
			}
			version, err := svc.RemoveRoom(cmd.Context(), id, roomID, ifVersion)
			if err != nil {
				return err
			}
			f.Print.Status("Removed room %d of property %d, now version %d.", roomID, id, version)
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	cmd.Flags().Int64Var(&ifVersion, "if-version", 0, "only if the property is still at this version")
	return cmd
}

// parseRoomArgs reads the PROPERTY_ID ROOM_ID arguments.
func parseRoomArgs(args []string) (id, roomID int64, err error) {
	if id, err = parseID("PROPERTY_ID", args[0]); err != nil {
		return 0, 0, err
	}
	roomID, err = parseID("ROOM_ID", args[1])
	return id, roomID, err
}
