package tui_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/realtyhq/realty/internal/server"
	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/internal/tui"
	"github.com/realtyhq/realty/pkg/client"
	"github.com/realtyhq/realty/pkg/realty"
)

// world is a backend with two users, Alice and Bob, in one mode.
type world struct {
	t          *testing.T
	svcFor     func(token string) realty.Service
	alice, bob string // tokens
	aliceID    int64
	logins     []string // emails the TUI logged in with
	logouts    int
	down       atomic.Bool
}

// eachMode runs fn on the local service and through pkg/client and the server.
func eachMode(t *testing.T, fn func(t *testing.T, w *world)) {
	for _, mode := range []string{"local", "remote"} {
		t.Run(mode, func(t *testing.T) {
			core, err := service.New(testdb.Open(t, "sqlite"))
			if err != nil {
				t.Fatal(err)
			}
			w := &world{t: t, svcFor: func(token string) realty.Service { return core.For(token) }}
			if mode == "remote" {
				ts := httptest.NewServer(server.New(core, server.Config{LoginPerEmail: 1000, LoginPerAddress: 1000}).Handler())
				t.Cleanup(ts.Close)
				c, err := client.New(ts.URL, client.WithRetries(0, 0))
				if err != nil {
					t.Fatal(err)
				}
				w.svcFor = func(token string) realty.Service { return c.ForToken(token) }
			}
			w.alice, w.aliceID = w.user("Alice")
			w.bob, _ = w.user("Bob")
			fn(t, w)
		})
	}
}

func (w *world) user(first string) (string, int64) {
	ctx := context.Background()
	email := strings.ToLower(first) + "@example.com"
	if _, err := w.svcFor("").Register(ctx, realty.NewUser{Email: email, Password: "password-" + first, FirstName: first, LastName: "Martin"}); err != nil {
		w.t.Fatal(err)
	}
	s, err := w.svcFor("").Login(ctx, realty.Credentials{Email: email, Password: "password-" + first})
	if err != nil {
		w.t.Fatal(err)
	}
	return s.Token, s.User.ID
}

// flaky wraps a Service: while the world is down, every call fails as an
// unreachable server does.
type flaky struct {
	realty.Service
	w *world
}

var errDown = fmt.Errorf("cannot reach the realty server at http://127.0.0.1:1: connection refused: %w", realty.ErrUnavailable)

func (f flaky) Properties(ctx context.Context, fl realty.PropertyFilter) (realty.Page[realty.PropertySummary], error) {
	if f.w.down.Load() {
		return realty.Page[realty.PropertySummary]{}, errDown
	}
	return f.Service.Properties(ctx, fl)
}

func (f flaky) Me(ctx context.Context) (realty.User, error) {
	if f.w.down.Load() {
		return realty.User{}, errDown
	}
	return f.Service.Me(ctx)
}

func (f flaky) Property(ctx context.Context, id int64) (realty.Property, error) {
	if f.w.down.Load() {
		return realty.Property{}, errDown
	}
	return f.Service.Property(ctx, id)
}

// open starts the TUI acting for token ("" for nobody) at 80×24.
func (w *world) open(token string) *driver {
	b := tui.Config{Service: flaky{w.svcFor(token), w}, Where: "test", Login: func(ctx context.Context, email, password string) (realty.Service, error) {
		s, err := w.svcFor("").Login(ctx, realty.Credentials{Email: email, Password: password})
		if err != nil {
			return nil, err
		}
		w.logins = append(w.logins, email)
		return flaky{w.svcFor(s.Token), w}, nil
	}, Logout: func(context.Context) (realty.Service, error) {
		w.logouts++
		return flaky{w.svcFor(""), w}, nil
	}}
	d := &driver{t: w.t, m: tui.New(context.Background(), b)}
	d.process(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.run(d.m.Init())
	return d
}

func (w *world) create(token, name, city string, rooms ...realty.NewRoom) realty.Property {
	p, err := w.svcFor(token).CreateProperty(context.Background(), realty.NewProperty{Name: name, Type: "house", City: city, Rooms: rooms})
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

// driver runs the real model synchronously: each command's message is fed
// back before the next key, so no test waits on time.
type driver struct {
	t    *testing.T
	m    *tui.Model
	quit bool
}

func (d *driver) process(msg tea.Msg) {
	_, cmd := d.m.Update(msg)
	d.run(cmd)
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil || blinks(cmd) {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	case tea.QuitMsg:
		d.quit = true
	default:
		d.process(msg)
	}
}

// blinks reports whether cmd is a text cursor's blink timer (huh's inputs
// start one on each key): the model drops its message, and running it here
// would only wait for the timer.
func blinks(cmd tea.Cmd) bool {
	return strings.HasPrefix(runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name(),
		"charm.land/bubbles/v2/cursor.(*Model).Blink")
}

var special = map[string]tea.Key{"enter": {Code: tea.KeyEnter}, "esc": {Code: tea.KeyEscape}, "tab": {Code: tea.KeyTab},
	"up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown}, "pgdown": {Code: tea.KeyPgDown}, "pgup": {Code: tea.KeyPgUp},
	"ctrl+s": {Code: 's', Mod: tea.ModCtrl}, "backspace": {Code: tea.KeyBackspace}, "ctrl+u": {Code: 'u', Mod: tea.ModCtrl},
	"ctrl+c": {Code: 'c', Mod: tea.ModCtrl}, "end": {Code: tea.KeyEnd}, "shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift}}

// keys presses keys: names of special keys, or characters (several
// characters arrive together, as in one read of a fast typist's input).
func (d *driver) keys(keys ...string) *driver {
	for _, k := range keys {
		if key, ok := special[k]; ok {
			d.process(tea.KeyPressMsg(key))
		} else {
			d.process(tea.KeyPressMsg{Code: []rune(k)[0], Text: k})
		}
	}
	return d
}

// burst delivers keys as one read of the terminal does: every key is
// handled before any command they start has run.
func (d *driver) burst(keys ...string) *driver {
	var cmds []tea.Cmd
	for _, k := range keys {
		msg := tea.KeyPressMsg{Code: []rune(k)[0], Text: k}
		if key, ok := special[k]; ok {
			msg = tea.KeyPressMsg(key)
		}
		_, cmd := d.m.Update(msg)
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		d.run(cmd)
	}
	return d
}

// typ types text into the focused field, a key at a time.
func (d *driver) typ(text string) *driver {
	for _, r := range text {
		d.process(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return d
}

// clear empties the focused field.
func (d *driver) clear() *driver { return d.keys("ctrl+u") }

// screen is what the terminal shows, without styles.
func (d *driver) screen() string { return ansi.Strip(d.m.View().Content) }

// want fails unless the screen shows every text.
func (d *driver) want(texts ...string) *driver {
	d.t.Helper()
	s := d.screen()
	for _, text := range texts {
		if !strings.Contains(s, text) {
			d.t.Errorf("the screen lacks %q:\n%s", text, s)
		}
	}
	return d
}

func (d *driver) wantNot(texts ...string) *driver {
	d.t.Helper()
	s := d.screen()
	for _, text := range texts {
		if strings.Contains(s, text) {
			d.t.Errorf("the screen shows %q:\n%s", text, s)
		}
	}
	return d
}

// checkSize fails unless the screen fits width×height exactly in lines.
func (d *driver) checkSize(width, height int) {
	d.t.Helper()
	lines := strings.Split(d.screen(), "\n")
	if len(lines) != height {
		d.t.Errorf("%d lines on a %d-line terminal", len(lines), height)
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > width {
			d.t.Errorf("line %d is %d wide on a %d-column terminal: %q", i, w, width, l)
		}
	}
}

func (w *world) importN(token string, n int, city func(i int) string) {
	var in []realty.NewProperty
	for i := 1; i <= n; i++ {
		in = append(in, realty.NewProperty{Name: fmt.Sprintf("Property %03d", i), Type: "studio", City: city(i)})
	}
	if _, err := w.svcFor(token).ImportProperties(context.Background(), in); err != nil {
		w.t.Fatal(err)
	}
}

func TestBrowseAndPage(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.importN(w.alice, 250, func(int) string { return "Lyon" })
		d := w.open("")
		d.want("ID NAME", "Property 001", "Property 019", "100+ properties", "not logged in")
		d.wantNot("Property 020")
		d.checkSize(80, 24)
		d.keys("pgdown", "pgdown", "pgdown", "pgdown", "pgdown") // 95 rows down: the next page is loaded ahead
		d.want("Property 096", "200+ properties")
		for range 10 {
			d.keys("pgdown")
		}
		d.want("Property 250", "250 properties")
		d.keys("g").want("Property 001")
	})
}

func TestFilterByCityAndType(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.importN(w.alice, 6, func(i int) string { return []string{"Paris", "Saint-Étienne", "Lyon"}[i%3] })
		w.create(w.alice, "Maison du Pilat", "Saint-Étienne")
		d := w.open("")
		d.keys("c").want("Filter by city", "Saint-Étienne", "3", "Paris")
		d.typ("saint et").want("Saint-Étienne")
		d.wantNot("Paris")
		d.keys("enter").want("City: Saint-Étienne · Type: any · 3 properties", "Maison du Pilat", "Property 001")
		d.wantNot("Property 002") // Lyon
		d.keys("t").want("Filter by type", "any type", "house")
		d.keys("down", "down", "enter").want("City: Saint-Étienne · Type: house · 1 property", "Maison du Pilat")
		d.wantNot("Property 001")
		d.keys("x").want("City: any · Type: any · 7 properties", "Property 002", "Filters cleared")
		d.keys("c").typ("Marseille").keys("enter").want("No properties match")
	})
}

// TestCityPickerPagesAndSearchesOnTheServer: the picker shows a page of
// cities, brings the next ones as the cursor goes down, and narrows by
// asking the server, not by holding every city.
func TestCityPickerPagesAndSearchesOnTheServer(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.importN(w.alice, 130, func(i int) string { return fmt.Sprintf("Ville %03d", i) })
		d := w.open("")
		d.keys("c").want("Filter by city", "Ville 001")
		for range 129 {
			d.keys("down")
		}
		d.want("Ville 130")
		d.typ("ville 12").want("Ville 120", "Ville 129")
		d.wantNot("Ville 119", "Ville 130")
		d.keys("down", "down", "enter").want("City: Ville 122 · Type: any · 1 property", "Property 122")
	})
}

func TestOpenProperty(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		a := realty.Area(1250)
		lvl := 1
		w.create(w.alice, "Maison du Pilat", "Saint-Étienne", realty.NewRoom{Type: "bedroom", Name: "Master", Area: &a, Level: &lvl,
			Features: []string{"balcony", "quiet"}}, realty.NewRoom{Type: "kitchen"})
		d := w.open("")
		d.keys("enter").want("Property 1", "Maison du Pilat", "Saint-Étienne", "Alice Martin", "2, 12.5 m² in all · version 1",
			"bedroom", "Master", "12.5 m²", "balcony, quiet", "kitchen")
		d.wantNot("edit") // not logged in: no edit keys offered
		d.keys("e").want("Only the owner can change this property")
		d.keys("esc").want("ID NAME", "Maison du Pilat")
	})
}

func TestLogInCreateAndEdit(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		d := w.open("")
		d.keys("n").want("Log in first")
		d.keys("L").want("Log in", "Email", "Password")
		d.typ("alice@example.com").keys("tab").typ("wrong-password").keys("enter").want("Wrong email or password", "Log in")
		d.clear().typ("password-Alice").keys("enter") // the password field keeps the focus
		d.want("Logged in as Alice Martin", "Alice Martin")
		d.wantNot("password-Alice")
		if len(w.logins) != 1 || w.logins[0] != "alice@example.com" {
			t.Errorf("logins through the backend = %v", w.logins)
		}

		// Create a property, then its room.
		d.keys("n").want("New property", "Type", "apartment") // the type is a select: every type, none cut off
		d.keys("ctrl+s").want("Invalid: fix the fields marked ↳", "New property")
		if n := strings.Count(d.screen(), "↳ "); n != 2 { // the name and the city, together
			t.Errorf("%d problems under the fields, want 2:\n%s", n, d.screen())
		}
		d.typ("Loft Croix-Rousse").keys("tab", "l").want("← loft →").keys("tab").typ("Lyon").keys("ctrl+s")
		d.want("Created property 1", "Property 1", "Loft Croix-Rousse", "Alice Martin (you)", "No rooms.", "a add room", "? help")
		d.keys("a").want("New room", "← living_room →", "←/→ or a letter picks the type")
		d.keys("b").want("← bedroom →").keys("tab").typ("Master").keys("tab").typ("12,5").keys("tab").typ("third").keys("ctrl+s")
		d.want("↳ must be a number of m² such as 12.5", "↳ must be a whole number") // both at once
		// The keys are on the first field to fix.
		d.clear().typ("12.5").keys("tab").clear().typ("3").keys("tab", "tab").typ("balcony, Quiet").keys("ctrl+s")
		d.want("Added room", "bedroom", "Master", "12.5 m²", "balcony, quiet", "version 2")

		// Edit the property and the room.
		d.keys("e").want("Edit property 1 (version 2)")
		d.clear().typ("Loft Croix-Rousse, top floor").keys("ctrl+s").want("Saved", "Loft Croix-Rousse, top floor", "version 3")
		d.keys("enter").want("Edit room")
		d.keys("tab", "tab").clear().keys("ctrl+s").want("Saved", "version 4")
		d.wantNot("12.5 m²")
		p, err := w.svcFor("").Property(context.Background(), 1)
		if err != nil || p.Name != "Loft Croix-Rousse, top floor" || p.Rooms[0].Area != nil || p.Version != 4 {
			t.Errorf("stored property = %+v, %v", p.PropertySummary, err)
		}
		// Remove the room, then delete the property, each with a confirmation.
		d.keys("d").want("Remove room").keys("n").want("Cancelled", "Master")
		d.keys("d", "y").want("Removed room", "No rooms.")
		d.keys("D").want("Delete \"Loft Croix-Rousse, top floor\"").keys("y").want("Deleted property 1", "ID NAME", "0 properties")
	})
}

func TestRefusedOnSomeoneElsesProperty(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.create(w.bob, "Bob's house", "Brest")
		d := w.open(w.alice)
		d.keys("enter").want("Bob's house", "Bob Martin")
		d.wantNot("e edit", "a add room", "(you)")
		for _, k := range []string{"e", "a", "d", "D"} {
			d.keys(k).want("Only the owner can change this property")
		}
		d.want("Property 1") // still the detail, no form
	})
}

func TestVersionConflict(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		p := w.create(w.alice, "Flat", "Paris")
		d := w.open(w.alice)
		d.keys("enter", "e").want("Edit property 1 (version 1)")
		// Meanwhile, another session of Alice renames it.
		other := "Renamed elsewhere"
		if _, err := w.svcFor(w.alice).UpdateProperty(context.Background(), p.ID, realty.PropertyPatch{Name: &other}, 0); err != nil {
			t.Fatal(err)
		}
		d.clear().typ("My edit").keys("ctrl+s")
		// The form stays, with what was typed, now over version 2.
		d.want("Someone changed this property meanwhile", "Edit property 1 (version 2)", "My edit")
		got, _ := w.svcFor("").Property(context.Background(), p.ID)
		if got.Name != other {
			t.Errorf("the stale edit overwrote the other one: %q", got.Name)
		}
		d.keys("ctrl+s").want("Saved", "My edit", "version 3")
	})
}

func TestServerErrorAndRecovery(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.create(w.alice, "Flat", "Paris")
		d := w.open("")
		w.down.Store(true)
		d.keys("r").want("Unavailable (r to retry): cannot reach the realty server")
		d.keys("enter") // nothing loaded: nothing to open, no crash
		d.checkSize(80, 24)
		w.down.Store(false)
		d.keys("r").want("Flat", "1 property")
		d.wantNot("Unavailable")
		d.keys("enter").want("Property 1")
		w.down.Store(true)
		d.keys("r").want("Unavailable", "Flat") // the property stays on screen
		w.down.Store(false)
		d.keys("r").wantNot("Unavailable")
	})
}

func TestResize(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.importN(w.alice, 60, func(int) string { return "Clermont-Ferrand" })
		d := w.open("")
		for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 12}, {40, 8}, {200, 60}} {
			d.process(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			d.checkSize(size[0], size[1])
		}
		d.want("OWNER", "Alice Martin", "AREA") // wide enough for every column
		d.process(tea.WindowSizeMsg{Width: 80, Height: 24})
		d.want("OWNER", "Alice Martin") // the area goes first
		d.wantNot("AREA")
		d.keys("G").want("Property 060")
		d.process(tea.WindowSizeMsg{Width: 80, Height: 10})
		d.want("Property 060") // the selection stays on screen when it shrinks
		d.keys("?").want("page up", "bottom")
		d.keys("q")
		if !d.quit {
			t.Error("q did not quit")
		}
	})
}

// hung never answers before its caller gives up.
type hung struct{ realty.Service }

func (hung) Properties(ctx context.Context, _ realty.PropertyFilter) (realty.Page[realty.PropertySummary], error) {
	<-ctx.Done()
	return realty.Page[realty.PropertySummary]{}, ctx.Err()
}

func (hung) Me(ctx context.Context) (realty.User, error) {
	<-ctx.Done()
	return realty.User{}, ctx.Err()
}

func TestTimeoutIsAnErrorNotAHang(t *testing.T) {
	t.Parallel()
	d := &driver{t: t, m: tui.New(context.Background(), tui.Config{Service: hung{}, Where: "test", Timeout: 20 * time.Millisecond})}
	d.process(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.run(d.m.Init())
	d.want("Unavailable (r to retry): context deadline exceeded")
	d.checkSize(80, 24)
}

// The items of issue 10's point 5, one test each, local and remote.

func TestEscGoesBackOrClearsBeforeItEverQuits(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.create(w.alice, "Flat", "Paris")
		d := w.open("")
		d.keys("c").typ("par").keys("enter").want("City: Paris")
		d.keys("esc").want("City: any", "Filters cleared")
		d.keys("esc").want("Press q to quit")
		if d.quit {
			t.Fatal("esc quit the TUI")
		}
		d.keys("enter", "esc").want("ID NAME")
		if d.quit {
			t.Fatal("esc on a property quit the TUI")
		}
		d.keys("ctrl+c")
		if !d.quit {
			t.Error("ctrl+c did not quit")
		}
	})
}

func TestStatusBelongsToItsScreen(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.create(w.bob, "Bob's house", "Brest")
		w.create(w.alice, "Alice's flat", "Paris")
		d := w.open(w.alice)
		d.keys("enter", "e").want("Only the owner can change this property")
		d.keys("esc").wantNot("Only the owner")
		d.keys("down", "enter").want("Alice's flat", "(you)").wantNot("Only the owner")
		d.keys("esc", "r").wantNot("Reloading")
		d.keys("enter", "r").want("Bob's house").wantNot("Reloading")
	})
}

func TestLogInFromTheDetailView(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.create(w.alice, "Flat", "Paris")
		d := w.open("")
		d.keys("enter", "L").want("Log in", "Email")
		d.typ("alice@example.com").keys("tab").typ("password-Alice").keys("enter")
		d.want("Logged in as Alice Martin", "Property 1", "e edit")
	})
}

func TestUnreachableIsNotLoggedOut(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.down.Store(true)
		d := w.open(w.alice)
		d.want("unreachable (r to retry)").wantNot("not logged in")
		w.down.Store(false)
		d.keys("r").want("Alice Martin").wantNot("unreachable")
	})
}

func TestOwnPropertiesMarkedAt80x24(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.create(w.bob, "Bob's house", "Brest")
		w.create(w.alice, "Alice's flat", "Paris")
		d := w.open(w.alice)
		d.want("OWNER", "Bob Martin", "★ you")
		d.checkSize(80, 24)
	})
}

func TestPickersAdvertiseOnlyWhatWorks(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.create(w.alice, "Flat", "Juvisy")
		d := w.open("")
		d.keys("c").want("↓ down").wantNot("j/")
		d.keys("j").want("City: j") // typed into the search, not a move
		d.keys("esc", "t").want("↓ down").wantNot("j/")
	})
}

func TestKeysArrivingTogether(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.importN(w.alice, 5, func(int) string { return "Lyon" })
		d := w.open("")
		d.keys("jjj", "enter").want("Property 004")
		d.keys("esc", "c").keys("lyo").want("City: lyo") // text where text is typed
		// A form filled by one write (a paste, a password manager): each
		// text lands in the field the tab before it moved to, though no
		// command has run in between.
		d.keys("esc", "esc", "L").burst("alice@example.com", "tab", "password-Alice", "enter")
		d.want("Logged in as Alice Martin")
		if len(w.logins) != 1 || w.logins[0] != "alice@example.com" {
			t.Errorf("logins = %v", w.logins)
		}
	})
}

func TestBottomLoadsEveryPage(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.importN(w.alice, 250, func(int) string { return "Lyon" })
		d := w.open("")
		d.want("100+ properties")
		d.keys("G").want("Property 250", "250 properties").wantNot("Loading every page")
	})
}

func TestHeaderCountsTheCity(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.importN(w.alice, 150, func(int) string { return "Lyon" })
		w.create(w.alice, "Flat", "Paris")
		d := w.open("")
		d.keys("c").typ("lyon").keys("enter").want("City: Lyon · Type: any · 150 properties")
		d.keys("esc", "c").typ("paris").keys("enter").want("City: Paris · Type: any · 1 property")
	})
}

func TestRegisterFromTheTUI(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		d := w.open("")
		d.want("R register")
		d.keys("R").want("Register", "Email", "Repeat", "Birth date")
		d.typ("carol@example.com").keys("tab").typ("carol-password").keys("tab").typ("carol-passw0rd").
			keys("tab").typ("Carol").keys("tab").keys("tab").typ("1990-13-01").keys("ctrl+s")
		d.want("↳ the two passwords differ", "↳ must be a date such as 1990-04-12", "Register")
		d.keys("tab").clear().typ("carol-password") // the keys are on the first field to fix: the repeat is next
		d.keys("tab", "tab").typ("Dupont").keys("tab").clear().typ("1990-04-12").keys("ctrl+s")
		d.want("Welcome, Carol", "Carol Dupont")
		if len(w.logins) != 1 || w.logins[0] != "carol@example.com" {
			t.Errorf("logins = %v", w.logins)
		}
		d.wantNot("carol-password")
		// The email is taken now: the form says so and keeps what was typed.
		d.keys("p", "O", "y").want("Logged out", "not logged in")
		d.keys("R").typ("carol@example.com").keys("tab").typ("another-password").keys("tab").typ("another-password").
			keys("tab").typ("Caro").keys("tab").typ("D").keys("ctrl+s")
		d.want("already registered", "Register", "carol@example.com")
	})
}

func TestProfileLogOutAndPersonalInformation(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.create(w.alice, "Flat", "Paris")
		d := w.open(w.alice)
		d.keys("p").want("Your personal information", "Alice", "Martin", "alice@example.com", "Birth date", "O log out")
		d.keys("e").want("Edit your personal information")
		d.clear().typ("Alicia").keys("tab", "tab").typ("1985-06-30").keys("ctrl+s")
		d.want("Saved", "Alicia", "1985-06-30", "realty · test · Alicia Martin")
		d.keys("esc").want("Alicia Martin") // the header and the list's owner column
		me, err := w.svcFor(w.alice).Me(context.Background())
		if err != nil || me.FirstName != "Alicia" || me.BirthDate == nil || me.BirthDate.String() != "1985-06-30" {
			t.Errorf("stored profile %+v, %v", me, err)
		}
		// A new email takes the current password.
		d.keys("p", "e", "tab", "tab", "tab").clear().typ("alicia@example.com").keys("ctrl+s").want("↳", "Edit your personal information")
		d.typ("password-Alice").keys("ctrl+s").want("Saved", "alicia@example.com") // the keys are on the password
		// The password.
		d.keys("P").want("Change your password")
		d.typ("password-Alice").keys("tab").typ("new-password-1").keys("tab").typ("new-password-1").keys("ctrl+s")
		d.want("Password changed")
		if _, err := w.svcFor("").Login(context.Background(), realty.Credentials{Email: "alicia@example.com", Password: "new-password-1"}); err != nil {
			t.Errorf("log-in with the new password: %v", err)
		}
		// Log out, after a confirmation.
		d.keys("O").want("Log out?").keys("n").want("Cancelled", "Your personal information")
		d.keys("O", "y").want("Logged out", "not logged in", "L log in")
		if w.logouts != 1 {
			t.Errorf("%d log-outs through the backend", w.logouts)
		}
		d.keys("p").want("Log in first")
	})
}

func TestFormProblemsShowTogether(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		d := w.open("")
		d.keys("R").typ("not-an-email").keys("tab").typ("short").keys("ctrl+s")
		d.want("↳ must be a valid email", "↳ the two passwords differ; must be at least 8 characters", "↳ is required")
		w.create(w.alice, "Flat", "Paris")
		d = w.open(w.alice)
		d.keys("enter", "a", "tab").typ(strings.Repeat("n", 81)).keys("tab").typ("big").keys("ctrl+s")
		d.want("↳ must be a number of m²", "↳ must be at most 80 characters")
	})
}

func TestOnlyMine(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.create(w.bob, "Bob's house", "Brest")
		w.create(w.alice, "Alice's flat", "Paris")
		d := w.open("")
		d.keys("m").want("Log in first")
		d = w.open(w.alice)
		d.keys("m").want("Yours · 1 property", "Alice's flat").wantNot("Bob's house")
		d.keys("esc").want("City: any · Type: any · 2 properties", "Bob's house")
	})
}

// deleteCounter counts the deletions that reach the backend.
type deleteCounter struct {
	realty.Service
	n *int
}

func (d deleteCounter) DeleteProperty(ctx context.Context, id, version int64) error {
	*d.n++
	return d.Service.DeleteProperty(ctx, id, version)
}

func TestConfirmingTwiceDeletesOnce(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.create(w.alice, "Flat", "Paris")
		deletes := 0
		d := &driver{t: t, m: tui.New(context.Background(), tui.Config{Service: deleteCounter{w.svcFor(w.alice), &deletes}, Where: "test"})}
		d.process(tea.WindowSizeMsg{Width: 80, Height: 24})
		d.run(d.m.Init())
		d.keys("enter", "D").want("Delete \"Flat\"")
		// The driver runs each command at once; a real terminal may deliver
		// the second y before the first deletion returns: hold the command.
		_, cmd := d.m.Update(tea.KeyPressMsg{Code: 'y', Text: "y"})
		_, again := d.m.Update(tea.KeyPressMsg{Code: 'y', Text: "y"})
		if again != nil {
			t.Error("a second y sends another deletion")
		}
		d.run(cmd)
		d.want("Deleted property 1")
		if deletes != 1 {
			t.Errorf("%d deletions reached the backend", deletes)
		}
	})
}

func TestSavingTwiceCreatesOnce(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		d := w.open(w.alice)
		d.keys("n").typ("Flat").keys("tab", "tab").typ("Paris")
		_, cmd := d.m.Update(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
		_, again := d.m.Update(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
		if again != nil {
			t.Error("a second save while the first is on its way sends another")
		}
		d.run(cmd)
		d.want("Created property 1")
		// A refused save lets the next one through.
		d.keys("e").clear().keys("ctrl+s").want("↳").clear().typ("Flat 2").keys("ctrl+s").want("Saved", "Flat 2")
	})
}

// TestSearchByWordsOnTheServer: / searches names and descriptions as words
// are typed, with the other filters; esc drops the search, q is text there.
func TestSearchByWordsOnTheServer(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.importN(w.alice, 120, func(int) string { return "Lyon" })
		w.create(w.alice, "Grande terrasse quai", "Lyon")
		w.create(w.bob, "Terrasse Montmartre", "Paris")
		d := w.open("")
		d.keys("/").want("Search:", "enter done", "esc drop the search")
		d.typ("te").want("Property 001") // one letter short of a word: no search yet
		d.typ("rr").want("Search: terr", "2 properties", "Grande terrasse quai", "Terrasse Montmartre")
		d.wantNot("Property 001")
		d.typ(" quai").want("1 property", "Grande terrasse quai").wantNot("Montmartre")
		d.keys("enter").want("City: any · Type: any · Words: terr quai · 1 property", "/ search")
		d.keys("/", "ctrl+u").typ("TERRASSE q").want("2 properties") // "q" is typed, not quit: too short to search
		d.keys("enter", "c").typ("paris").keys("enter")
		d.want("City: Paris · Type: any · Words: TERRASSE q · 1 property", "Terrasse Montmartre")
		d.keys("esc").want("City: any · Type: any · 100+ properties", "q quit") // esc clears every filter
		d.keys("/").typ("verrière").want("No properties match")
		d.keys("esc").want("Property 001").wantNot("Search:")
	})
}

// TestListingTermsInTheForm: the property form takes the listing terms
// (selects for the transaction and status), shows their problems with the
// others, and the list and detail show them.
func TestListingTermsInTheForm(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		d := w.open(w.alice)
		d.keys("n").typ("Loft Croix-Rousse").keys("tab", "tab").typ("Lyon").keys("tab", "tab")
		d.want("←/→ or a letter picks the transaction", "← not listed →")
		d.keys("s").want("← sale →").keys("tab").typ("cheap").keys("ctrl+s")
		d.want("↳ must be an amount such as 250000 or 1150.50")
		d.clear().typ("385000").keys("ctrl+s").want("Created property", "Listing      for sale, 385000 EUR, available")
		d.keys("esc").want("LISTING", "385000 EUR")
		d.keys("enter", "e", "up").want("← available →").keys("r", "ctrl+s")
		d.want("↳ rented is for a property for rent (transaction rent)")
		d.keys("s", "ctrl+s").want("Saved", "Listing      for sale, 385000 EUR, sold")
		d.keys("esc").want("sold")
	})
}

// TestFilterPanel: f opens the filters and the order; bad bounds are
// problems under their fields; the list follows them from the server, says
// which are on, and x clears them.
func TestFilterPanel(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		sale := realty.Transaction("sale")
		for i, pr := range []int64{250000, 400000, 90000} {
			p := realty.Price(pr * 100)
			if _, err := w.svcFor(w.alice).CreateProperty(context.Background(), realty.NewProperty{
				Name: fmt.Sprint("Sale ", i), Type: "house", City: "Lyon", Transaction: &sale, Price: &p}); err != nil {
				t.Fatal(err)
			}
		}
		w.create(w.alice, "Not listed", "Lyon")
		d := w.open("")
		d.want("f filters").keys("f").want("Filters and order", "Order", "Max price", "Feature")
		d.keys("r").want("← rooms →") // the order: a letter jumps
		d.keys("p").want("← price →").keys("tab", "s", "tab", "tab").typ("300000").keys("tab").typ("100000").keys("ctrl+s")
		d.want("↳ must not be less than min_price")
		d.keys("shift+tab").clear().typ("100").keys("tab").clear().typ("300000").keys("ctrl+s")
		d.want("Filters applied", "sale · ≥ 100 · ≤ 300000 · by price", "2 properties", "Sale 2", "Sale 0")
		d.wantNot("Sale 1", "Not listed")
		if s := d.screen(); strings.Index(s, "Sale 2") > strings.Index(s, "Sale 0") {
			t.Errorf("not by price:\n%s", s)
		}
		d.keys("x").want("Filters cleared", "4 properties", "Not listed")
	})
}

func TestHistoryOfAProperty(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		p := w.create(w.alice, "Flat", "Lyon", realty.NewRoom{Type: "bedroom"})
		alice := w.svcFor(w.alice)
		for i := range 120 { // more than a page of history
			name := fmt.Sprint("Flat ", i+1)
			if _, err := alice.UpdateProperty(ctx, p.ID, realty.PropertyPatch{Name: &name}, 0); err != nil {
				t.Fatal(err)
			}
		}
		d := w.open(w.alice)
		d.keys("enter").want("Property 1", "h history")
		d.keys("h").want("KIND", "updated", "Alice Martin", `name: "Flat 119" -> "Flat 1…`, "Version 121, updated",
			`name: "Flat 119" → "Flat 120"`, "↓ for older events", "esc/h rooms")
		d.keys("down").want(`name: "Flat 118" → "Flat 119"`)
		for range 130 { // to the end: the older page is loaded on the way
			d.keys("down")
		}
		d.want("Version 1, created", `name: null → "Flat"`, `city: null → "Lyon"`)
		d.wantNot("↓ for older events")
		// A write of ours shows at the top; esc goes back to the rooms.
		d.keys("esc").want("TYPE", "bedroom")
		d.keys("h").want("Version 121, updated")
		d.keys("esc", "e").want("Edit property 1").clear().typ("Loft").keys("ctrl+s").want("Saved")
		d.keys("h").want("Version 122, updated", `name: "Flat 120" → "Loft"`)
	})
}

// TestAnEmptyListSaysWhatToDo: with no property at all, the list says how
// to make the first (registering first if need be), not to clear filters
// that are not there; with filters, it says to clear them.
func TestAnEmptyListSaysWhatToDo(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		w.open("").want("No properties yet. Press R to register (or L to log in), then n to create one.").
			wantNot("clear the filters")
		d := w.open(w.alice).want("No properties yet. Press n to create one.")
		d.keys("m").want("No properties match. Press x to clear the filters.")
		d.keys("x").want("No properties yet. Press n to create one.")
	})
}

// TestDeleteYourAccount: X on the profile deletes the account once the
// password is right and "delete" typed; its properties go, others' stay,
// and the TUI is logged out.
func TestDeleteYourAccount(t *testing.T) {
	t.Parallel()
	eachMode(t, func(t *testing.T, w *world) {
		carol, _ := w.user("Carol")
		w.create(carol, "Carol's flat", "Paris")
		w.create(w.alice, "Alice's house", "Paris")
		d := w.open(carol)
		d.keys("p").want("X delete account")
		d.keys("X").want("Delete your account", "It cannot be undone")
		d.typ("wrong-password").keys("tab").typ("yes").keys("ctrl+s").want(`type "delete"`, "Delete your account")
		d.clear().typ("delete").keys("ctrl+s") // the keys are on the field to fix
		d.want("is not your current password", "Delete your account")
		d.clear().typ("password-Carol").keys("ctrl+s")
		d.want("Your account and all that was yours are deleted", "not logged in", "Alice's house").wantNot("Carol's flat")
		if _, err := w.svcFor("").Login(context.Background(), realty.Credentials{Email: "carol@example.com", Password: "password-Carol"}); !errors.Is(err, realty.ErrUnauthenticated) {
			t.Errorf("carol's log-in after: %v", err)
		}
	})
}
