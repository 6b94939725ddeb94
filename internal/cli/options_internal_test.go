package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/realtyhq/realty/pkg/realty"
)

func testFactory() (*Factory, *bytes.Buffer) {
	var out bytes.Buffer
	return NewFactory(&IO{In: strings.NewReader(""), Out: &out, Err: &bytes.Buffer{}, Env: func(string) string { return "" }}), &out
}

// execute runs one command built by a NewCmdX with args.
func execute(t *testing.T, cmd *cobra.Command, args ...string) {
	t.Helper()
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
}

// TestCommandsParseIntoOptions: the long commands follow gh's shape, so a
// test checks what the flags become without running anything.
func TestCommandsParseIntoOptions(t *testing.T) {
	f, _ := testFactory()
	var list *PropertyListOptions
	execute(t, NewCmdPropertyList(f, func(_ context.Context, o *PropertyListOptions) error { list = o; return nil }),
		"--city", "Saint-Étienne", "--type", "Loft", "--owner", "me", "--limit", "5", "--all",
		"--search", "terrasse sud")
	if list.Filter.City != "Saint-Étienne" || len(list.Types) != 1 || list.Types[0] != "Loft" || list.Owner != "me" || list.Filter.Limit != 5 ||
		!list.All || list.Filter.Search != "terrasse sud" {
		t.Errorf("property list options: %+v", list)
	}
	var update *PropertyUpdateOptions
	execute(t, NewCmdPropertyUpdate(f, func(_ context.Context, o *PropertyUpdateOptions) error { update = o; return nil }),
		"42", "--name", "Top floor", "--type", "Living-Room", "--if-version", "3")
	if update.ID != 42 || *update.Patch.Name != "Top floor" || *update.Patch.Type != "living_room" || update.Patch.City != nil || update.IfVersion != 3 {
		t.Errorf("property update options: %+v", update)
	}
	var create *PropertyCreateOptions
	execute(t, NewCmdPropertyCreate(f, func(_ context.Context, o *PropertyCreateOptions) error { create = o; return nil }),
		"--name", "Loft", "--type", "loft", "--city", "Lyon", "--room", "bedroom,area=12.5", "--room", "kitchen")
	if create.In.Name != "Loft" || len(create.Rooms) != 2 || !create.Changed("city") || create.Changed("file") {
		t.Errorf("property create options: %+v", create)
	}
	var user *UserUpdateOptions
	execute(t, NewCmdUserUpdate(f, func(_ context.Context, o *UserUpdateOptions) error { user = o; return nil }),
		"--birth-date", "", "--first-name", "Alicia")
	if *user.Patch.FirstName != "Alicia" || !user.Patch.BirthDate.Set || user.Patch.BirthDate.Valid || user.Patch.Email != nil {
		t.Errorf("user update options: %+v", user)
	}
	var cities *CityListOptions
	execute(t, NewCmdCityList(f, func(_ context.Context, o *CityListOptions) error { cities = o; return nil }), "--prefix", "sai")
	if cities.Filter.Prefix != "sai" || cities.Filter.Limit != realty.DefaultPageSize {
		t.Errorf("city list options: %+v", cities)
	}
	var serve *ServeOptions
	execute(t, NewCmdServe(f, func(_ context.Context, o *ServeOptions) error { serve = o; return nil }),
		"--addr", "127.0.0.1:9000", "--write-limit", "0", "--hash-memory", "128", "--request-timeout", "3s")
	if serve.Addr != "127.0.0.1:9000" || serve.Limits.Writes.PerMinute != 0 || serve.HashMemoryMiB != 128 ||
		serve.RequestTimeout != 3*time.Second || !serve.Migrate || serve.Server.LoginPerEmailAddress != 10 {
		t.Errorf("serve options: %+v", serve)
	}
	var demo *DemoOptions
	execute(t, NewCmdDemo(f, func(_ context.Context, o *DemoOptions) error { demo = o; return nil }), "--properties", "7")
	if demo.Properties != 7 {
		t.Errorf("demo options: %+v", demo)
	}
}

// cityLister answers one fixed page of cities.
type cityLister struct {
	realty.Service
	got realty.CityFilter
}

func (c *cityLister) Cities(_ context.Context, f realty.CityFilter) (realty.Page[realty.CityCount], error) {
	c.got = f
	return realty.Page[realty.CityCount]{Items: []realty.CityCount{{City: "Saint-Étienne", Count: 3}}}, nil
}

// TestRunFunctionsWithoutCobra: a run function is called with options and
// a service of the test's own, no command line involved.
func TestRunFunctionsWithoutCobra(t *testing.T) {
	f, out := testFactory()
	svc := &cityLister{}
	opts := &CityListOptions{Print: f.Print, Filter: realty.CityFilter{Prefix: "saint", Limit: 5},
		Service: func(context.Context) (realty.Service, error) { return svc, nil }}
	if err := cityListRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if svc.got.Prefix != "saint" || svc.got.Limit != 5 || out.String() != "Saint-Étienne\t3\n" {
		t.Errorf("asked %+v, printed %q", svc.got, out.String())
	}
	for _, limit := range []int{0, -1, realty.MaxPageSize + 1} {
		opts.Filter.Limit = limit
		if err := cityListRun(context.Background(), opts); ExitCode(err) != ExitUsage {
			t.Errorf("--limit %d: %v, want a usage error", limit, err)
		}
	}
}
