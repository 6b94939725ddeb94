// Package tui is realty's terminal interface (Bubble Tea v2): browse properties,
// filter them by city and type, open one with its rooms, and, logged in,
// create properties and edit your own. It talks to a realty.Service only, so
// it behaves the same on a local database and through a server.
package tui

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"charm.land/bubbles/v2/cursor"
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/realtyhq/realty/pkg/realty"
)

// Config is what the TUI needs from the application.
type Config struct {
	// Service acts for the stored log-in, or for nobody.
	Service realty.Service
	// Login checks credentials, stores the token exactly as 'realty auth
	// login' does, and returns a Service acting for it.
	Login func(ctx context.Context, email, password string) (realty.Service, error)
	// Logout revokes and forgets the stored token, as 'realty auth logout'
	// does, and returns a Service acting for nobody.
	Logout func(ctx context.Context) (realty.Service, error)
	// Where names the backend (database or server) in the title.
	Where string
	// Timeout bounds each call to the backend (default 15s): a server that
	// does not answer becomes an error in the status line.
	Timeout time.Duration
}

// Run shows the TUI until the user quits or ctx is done.
func Run(ctx context.Context, b Config, in io.Reader, out io.Writer) error {
	p := tea.NewProgram(New(ctx, b), tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out))
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}

type view int

const (
	viewList view = iota
	viewDetail
	viewForm
	viewCities
	viewTypes
	viewConfirm
	viewProfile
)

// defaultTimeout bounds each call to the backend unless Backend.Timeout is set.
const defaultTimeout = 15 * time.Second

func (m *Model) deadline() (context.Context, context.CancelFunc) {
	if m.b.Timeout > 0 {
		return context.WithTimeout(m.ctx, m.b.Timeout)
	}
	return context.WithTimeout(m.ctx, defaultTimeout)
}

// pageSize is how many properties a page load brings: enough to fill a tall
// terminal, small enough to come back at once.
const pageSize = 100

// Model is the whole TUI's state.
type Model struct {
	ctx context.Context
	b   Config
	svc realty.Service
	me  *realty.User
	// meErr is why who is logged in is unknown (the backend is
	// unreachable), as opposed to nobody being logged in.
	meErr error
	keys  keyMap
	help  help.Model

	width, height int
	view          view
	back          view // where esc goes from a form, picker or confirmation
	showHelp      bool
	status        string
	statusErr     bool

	list   listState
	detail detailState
	pick   pickState
	form   *form
	ask    *confirmation
}

// New returns the TUI's model.
func New(ctx context.Context, b Config) *Model {
	h := help.New()
	h.ShortSeparator = "  "
	return &Model{ctx: ctx, b: b, svc: b.Service, keys: newKeys(), help: h, width: 80, height: 24}
}

// Messages of finished work.
type (
	pageMsg struct {
		gen  int
		page realty.Page[realty.PropertySummary]
		err  error
	}
	meMsg struct {
		me  *realty.User
		err error // not an authentication failure: the backend could not say
	}
	propertyMsg struct {
		p   realty.Property
		err error
	}
	historyMsg struct {
		id   int64
		more bool // a next page, to append
		page realty.Page[realty.PropertyEvent]
		err  error
	}
	citiesMsg struct {
		prefix string // what the page was asked for
		more   bool   // a next page, to append
		page   realty.Page[realty.CityCount]
		err    error
	}
	loginMsg struct {
		svc        realty.Service
		me         realty.User
		err        error
		registered bool // a new account
	}
	// writeMsg is the outcome of a write: status to show, property to reload.
	writeMsg struct {
		status  string
		err     error
		reload  int64 // property to show again (0: back to the list)
		refresh bool  // reload the list too
	}
)

// Init loads who is logged in and the first page.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.loadMe(), m.reloadList())
}

func (m *Model) loadMe() tea.Cmd {
	svc := m.svc
	return func() tea.Msg {
		ctx, cancel := m.deadline()
		defer cancel()
		u, err := svc.Me(ctx)
		switch {
		case errors.Is(err, realty.ErrUnauthenticated):
			return meMsg{} // not logged in (or token expired): browse only
		case err != nil:
			return meMsg{err: err}
		}
		return meMsg{me: &u}
	}
}

func (m *Model) loadProperty(id int64) tea.Cmd {
	svc := m.svc
	return func() tea.Msg {
		ctx, cancel := m.deadline()
		defer cancel()
		p, err := svc.Property(ctx, id)
		return propertyMsg{p: p, err: err}
	}
}

func (m *Model) setStatus(msg string, err error) {
	m.status, m.statusErr = msg, err != nil
	if err != nil {
		m.status = describeErr(err)
	}
}

// statusLines says, per problem code of realty.Kinds, what the status line
// shows: the kind's meaning for this screen and what to do. Kinds without
// one show the table's phrase and the error's first line.
var statusLines = map[string]string{
	"forbidden":           "Refused: only the owner can change this property (reloaded)",
	"precondition_failed": "Refused: someone changed this property since you opened it; it is reloaded, try again",
	"unauthenticated":     "Not logged in, or the session expired: press L to log in",
	"not_found":           "Not found: it may have been deleted (reloaded)",
}

// describeErr turns an error into one line for the status line.
func describeErr(err error) string {
	var ve *realty.ValidationError
	if errors.As(err, &ve) {
		parts := make([]string, len(ve.Fields))
		for i, f := range ve.Fields {
			parts[i] = f.Field + " " + f.Message
		}
		return "Invalid: " + strings.Join(parts, "; ")
	}
	k := realty.KindOf(err)
	if line, ok := statusLines[k.Code]; ok {
		return line
	}
	if k.Code == "unavailable" {
		return "Unavailable (r to retry): " + firstLine(err.Error())
	}
	return upperFirst(k.Phrase) + " (r to retry): " + firstLine(err.Error())
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// Update handles a message and returns the next command.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
		m.list.clamp(m.tableRows())
		if m.form != nil {
			m.form.width = msg.Width - 2
			m.form.hf.WithWidth(m.form.width)
		}
		return m, nil
	case meMsg:
		m.me, m.meErr = msg.me, msg.err
		return m, nil
	case pageMsg:
		return m, m.onPage(msg)
	case propertyMsg:
		return m, m.onProperty(msg)
	case historyMsg:
		m.onHistory(msg)
		return m, nil
	case citiesMsg:
		m.onCities(msg)
		return m, nil
	case loginMsg:
		return m, m.onLogin(msg)
	case writeMsg:
		return m, m.onWrite(msg)
	case filtersMsg:
		return m, m.onFilters(msg)
	case profileMsg:
		return m, m.onProfile(msg)
	case logoutMsg:
		return m, m.onLogout(msg)
	case tea.KeyPressMsg:
		return m, m.onKeys(msg)
	case cursor.BlinkMsg:
		return m, nil // cursors do not blink: no timer runs in the background
	}
	if m.view == viewForm && m.form != nil {
		return m, m.formMsg(msg) // huh's own messages: the next field, the end of the form
	}
	return m, nil
}

// onKeys handles a key press. Several characters that arrive at once (a
// fast typist, a paste, keys sent by a script) are each a key where the
// view takes commands, and text where it takes text. A status message
// belongs to the screen it was shown on: moving to another clears it.
func (m *Model) onKeys(msg tea.KeyPressMsg) tea.Cmd {
	if rs := []rune(msg.Text); len(rs) > 1 && msg.Mod == 0 && !m.typing() {
		cmds := make([]tea.Cmd, len(rs))
		for i, r := range rs {
			cmds[i] = m.onKeys(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
		return tea.Batch(cmds...)
	}
	view, status := m.view, m.status
	cmd := m.onKey(msg)
	if m.view != view && m.status == status {
		m.setStatus("", nil)
	}
	return cmd
}

// typing reports whether keys go to a text field.
func (m *Model) typing() bool {
	return m.view == viewForm || m.view == viewCities || (m.view == viewList && m.list.searching)
}

func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	if msg.String() == "ctrl+c" {
		return tea.Quit
	}
	switch m.view {
	case viewForm:
		return m.formKey(msg)
	case viewCities:
		return m.cityKey(msg)
	case viewTypes:
		return m.typeKey(msg)
	case viewConfirm:
		return m.confirmKey(msg)
	}
	if msg.String() == "?" && !m.typing() {
		m.showHelp = !m.showHelp
		return nil
	}
	switch m.view {
	case viewDetail:
		return m.detailKey(msg)
	case viewProfile:
		return m.profileKey(msg)
	}
	return m.listKey(msg)
}

// loggedIn reports whether writes can be offered.
func (m *Model) loggedIn() bool { return m.me != nil }

// owns reports whether the logged-in user owns the property.
func (m *Model) owns(p *realty.Property) bool {
	return m.me != nil && p != nil && p.Owner.ID == m.me.ID
}
