package tui

import "charm.land/bubbles/v2/key"

// keyMap holds every binding; each view shows the ones that apply to it.
type keyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Open, Back, Quit, Help, Reload          key.Binding
	City, Type, Clear, New, Login           key.Binding
	Edit, AddRoom, EditRoom, DelRoom, Del   key.Binding
	Next, Prev, Submit, Yes, No             key.Binding
	Register, Profile, Password, Logout     key.Binding
	Erase                                   key.Binding // the account
	Mine, Search, Filters, History          key.Binding
}

func newKeys() keyMap {
	return keyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d", " "), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:     key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc", "back")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Reload:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload")),
		City:     key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "city")),
		Search:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		Filters:  key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "filters")),
		Type:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "type")),
		Clear:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "clear")),
		New:      key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new")),
		Login:    key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "log in")),
		Edit:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		AddRoom:  key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add room")),
		EditRoom: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit room")),
		DelRoom:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "rm room")),
		Del:      key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "delete")),
		Next:     key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		Prev:     key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous")),
		Submit:   key.NewBinding(key.WithKeys("ctrl+s", "enter"), key.WithHelp("enter", "save")),
		Yes:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		No:       key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no")),
		Register: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "register")),
		Profile:  key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "profile")),
		Password: key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "password")),
		Logout:   key.NewBinding(key.WithKeys("O"), key.WithHelp("O", "log out")),
		Erase:    key.NewBinding(key.WithKeys("X"), key.WithHelp("X", "delete account")),
		Mine:     key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "mine")),
		History:  key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "history")),
	}
}

// bindings is a help.KeyMap made of a view's bindings.
type bindings struct {
	short []key.Binding
	full  [][]key.Binding
}

func (b bindings) ShortHelp() []key.Binding  { return b.short }
func (b bindings) FullHelp() [][]key.Binding { return b.full }

// simple is the help of a view with a few keys only.
func simple(keys ...key.Binding) bindings { return bindings{short: keys, full: [][]key.Binding{keys}} }
