package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/realtyhq/realty/pkg/realty"
)

// listState is the property list: the pages loaded so far, the selection,
// the first visible row and the filters.
type listState struct {
	items   []realty.PropertySummary
	next    string // cursor of the next page ("" when all are loaded)
	loading bool
	loaded  bool // the first page arrived
	gen     int  // bumped when filters change: older pages are dropped
	cursor  int
	offset  int
	city    string
	typ     realty.PropertyType
	mine    bool // only the logged-in user's properties
	// search is the q filter sent (words of the name or description);
	// searching: the search box has the keys, query holds what is typed.
	search    string
	searching bool
	query     textinput.Model
	// filters: the filter panel's (f).
	filters listFilters
	// cityCount is how many properties the city filter has, as the city
	// picker showed it (-1: not known).
	cityCount int
	// toEnd: G was pressed, pages load until the last.
	toEnd bool
}

// tableRows is how many rows of the table fit: the rest of the screen holds
// the title, the filters, the header, the status and the help lines.
func (m *Model) tableRows() int { return max(1, m.height-5) }

// clamp keeps the selection on screen.
func (l *listState) clamp(rows int) {
	l.cursor = max(0, min(l.cursor, len(l.items)-1))
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+rows {
		l.offset = l.cursor - rows + 1
	}
	l.offset = max(0, l.offset)
}

// reloadList drops what was loaded and loads the first page again.
func (m *Model) reloadList() tea.Cmd {
	m.list.gen++
	m.list.items, m.list.next, m.list.cursor, m.list.offset, m.list.loaded = nil, "", 0, 0, false
	return m.loadPage("")
}

func (m *Model) loadPage(cursor string) tea.Cmd {
	m.list.loading = true
	svc, gen := m.svc, m.list.gen
	f := realty.PropertyFilter{City: m.list.city, Search: m.list.search, Limit: pageSize, Cursor: cursor}
	if m.list.typ != "" {
		f.Types = []realty.PropertyType{m.list.typ}
	}
	_ = m.list.filters.apply(&f) // checked when the panel was saved
	if m.list.mine && m.me != nil {
		f.OwnerID = m.me.ID
	}
	return func() tea.Msg {
		ctx, cancel := m.deadline()
		defer cancel()
		p, err := svc.Properties(ctx, f)
		return pageMsg{gen: gen, page: p, err: err}
	}
}

func (m *Model) onPage(msg pageMsg) tea.Cmd {
	if msg.gen != m.list.gen {
		return nil // the filters changed since: not this list's page
	}
	m.list.loading = false
	if msg.err != nil {
		m.setStatus("", msg.err)
		return nil
	}
	m.list.loaded = true
	m.list.items = append(m.list.items, msg.page.Items...)
	m.list.next = msg.page.NextCursor
	if m.statusErr || m.status == reloading {
		m.setStatus("", nil) // a load that works clears the last error
	}
	if l := &m.list; l.toEnd {
		l.cursor = len(l.items) - 1
		l.clamp(m.tableRows())
		if l.next == "" {
			l.toEnd = false
			m.setStatus("", nil)
		} else {
			m.setStatus(fmt.Sprintf("Loading every page: %d properties so far (any key stops)", len(l.items)), nil)
			return m.loadPage(l.next)
		}
	}
	return m.prefetch()
}

// reloading is the status while the list loads again.
const reloading = "Reloading…"

// prefetch loads the next page when the selection nears the end of what is
// loaded: scrolling never waits, and a million properties cost one page.
func (m *Model) prefetch() tea.Cmd {
	l := &m.list
	if l.loading || l.next == "" || len(l.items)-l.cursor > 2*m.tableRows() {
		return nil
	}
	return m.loadPage(l.next)
}

func (m *Model) listKey(msg tea.KeyPressMsg) tea.Cmd {
	k, l := m.keys, &m.list
	rows := m.tableRows()
	if l.toEnd { // any key stops loading every page
		l.toEnd = false
		m.setStatus("", nil)
	}
	if l.searching {
		return m.searchKey(msg)
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case msg.String() == "esc":
		if !l.filtered() {
			m.setStatus("Press q to quit", nil)
			return nil
		}
		return m.clearFilters()
	case key.Matches(msg, k.Down):
		l.cursor++
	case key.Matches(msg, k.Up):
		l.cursor--
	case key.Matches(msg, k.PageDown):
		l.cursor += rows
	case key.Matches(msg, k.PageUp):
		l.cursor -= rows
	case key.Matches(msg, k.Top):
		l.cursor = 0
	case key.Matches(msg, k.Bottom):
		l.cursor = len(l.items) - 1
		if l.next != "" {
			l.toEnd = true
			l.clamp(rows)
			m.setStatus(fmt.Sprintf("Loading every page: %d properties so far (any key stops)", len(l.items)), nil)
			if l.loading {
				return nil // the page on its way continues to the end
			}
			return m.loadPage(l.next)
		}
	case key.Matches(msg, k.Open):
		if len(l.items) == 0 {
			return nil
		}
		m.detail = detailState{loadingID: l.items[l.cursor].ID}
		m.view = viewDetail
		return m.loadProperty(l.items[l.cursor].ID)
	case key.Matches(msg, k.Reload):
		m.setStatus(reloading, nil)
		return tea.Batch(m.loadMe(), m.reloadList())
	case key.Matches(msg, k.City):
		return m.openCities()
	case key.Matches(msg, k.Filters):
		m.openFilters()
		return nil
	case key.Matches(msg, k.Search):
		l.query, l.searching = newInput(l.search, "words of the name or description"), true
		return nil
	case key.Matches(msg, k.Type):
		m.openTypes()
		return nil
	case key.Matches(msg, k.Clear):
		if !l.filtered() {
			return nil
		}
		return m.clearFilters()
	case key.Matches(msg, k.Mine):
		if !m.loggedIn() {
			m.setStatus("Log in first (L) to see your own properties", nil)
			return nil
		}
		l.mine = !l.mine
		return m.reloadList()
	case key.Matches(msg, k.New):
		if !m.loggedIn() {
			m.setStatus("Log in first (L) to register a property", nil)
			return nil
		}
		m.openPropertyForm(nil)
		return nil
	case key.Matches(msg, k.Login):
		m.openLogin()
		return nil
	case key.Matches(msg, k.Register):
		if m.loggedIn() {
			m.setStatus("You are logged in: log out first (p, then O) to register another account", nil)
			return nil
		}
		m.openRegister()
		return nil
	case key.Matches(msg, k.Profile):
		m.openProfile()
		return nil
	default:
		return nil
	}
	l.clamp(rows)
	return m.prefetch()
}

// searchKey edits the search box. The list follows what is typed, from the
// server, as soon as it holds a word of 3 letters (shorter words are not
// searched); enter keeps the search and gives the keys back to the list,
// esc drops it.
func (m *Model) searchKey(msg tea.KeyPressMsg) tea.Cmd {
	l := &m.list
	switch msg.String() {
	case "enter":
		l.searching = false
		return nil
	case "esc":
		l.searching = false
		if l.search == "" {
			return nil
		}
		l.search = ""
		return m.reloadList()
	}
	var cmd tea.Cmd
	l.query, cmd = l.query.Update(msg)
	search := strings.TrimSpace(l.query.Value())
	if len(realty.SearchWords(search)) == 0 {
		search = ""
	}
	if search == l.search {
		return cmd
	}
	l.search = search
	return tea.Batch(cmd, m.reloadList())
}

// filtered reports whether any filter is set.
func (l *listState) filtered() bool {
	return l.city != "" || l.typ != "" || l.mine || l.search != "" || l.filters.set()
}

func (m *Model) clearFilters() tea.Cmd {
	m.list.city, m.list.typ, m.list.cityCount, m.list.mine, m.list.search = "", "", -1, false, ""
	m.list.filters = listFilters{}
	m.setStatus("Filters cleared", nil)
	return m.reloadList()
}

func (m *Model) listHelp() bindings {
	k := m.keys
	if m.list.searching {
		return simple(key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "done")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "drop the search")))
	}
	short := []key.Binding{k.Open, k.Search, k.City, k.Filters} // arrows go without saying; ? lists them
	account := []key.Binding{k.Login, k.Register}
	if m.loggedIn() {
		short = append(short, k.New, k.Profile)
		account = []key.Binding{k.New, k.Profile}
	} else {
		short = append(short, k.Login, k.Register)
	}
	short = append(short, k.Help, k.Quit)
	return bindings{short: short, full: [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Search, k.City, k.Type, k.Filters, k.Mine, k.Clear, k.Reload},
		append(account, k.Help, k.Quit),
	}}
}

// column is one column of the property table.
type column struct {
	title string
	width int
	right bool
}

// columns fits the table to the terminal's width: the name takes what the
// fixed columns leave, at least 20 characters; the area, the type and the
// room count go first on narrow screens (80 columns keep the id, name,
// city, listing and owner).
func (m *Model) columns() []column {
	cols := []column{{"ID", 7, true}, {"NAME", 0, false}, {"TYPE", 10, false}, {"CITY", 16, false},
		{"ROOMS", 5, true}, {"AREA", 9, true}, {"LISTING", 14, false}, {"OWNER", 16, false}}
	for _, drop := range []string{"", "AREA", "TYPE", "ROOMS"} {
		cols = slicesDelete(cols, drop)
		fixed := 0
		for _, c := range cols {
			fixed += c.width + 1
		}
		if name := m.width - fixed; name >= 20 || drop == "ROOMS" {
			cols[1].width = max(8, name)
			return cols
		}
	}
	return cols
}

func slicesDelete(cols []column, title string) []column {
	out := cols[:0:0]
	for _, c := range cols {
		if c.title != title {
			out = append(out, c)
		}
	}
	return out
}

// headerLine is a table's header, a line.
func headerLine(cols []column) string {
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = cell(c.title, c)
	}
	return headerStyle.Render(strings.Join(head, " ")) + "\n"
}

// rowLine is a table's row of values in the columns' order, a line,
// highlighted when selected.
func rowLine(cols []column, vals []string, selected bool) string {
	line := make([]string, len(cols))
	for j, c := range cols {
		line[j] = cell(vals[j], c)
	}
	row := strings.Join(line, " ")
	if selected {
		row = selectedStyle.Render(row)
	}
	return row + "\n"
}

func cell(s string, c column) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' {
			return ' '
		}
		return r
	}, s)
	if lipgloss.Width(s) > c.width {
		rs := []rune(s)
		for lipgloss.Width(string(rs))+1 > c.width && len(rs) > 0 {
			rs = rs[:len(rs)-1]
		}
		s = string(rs) + "…"
	}
	pad := strings.Repeat(" ", max(0, c.width-lipgloss.Width(s)))
	if c.right {
		return pad + s
	}
	return s + pad
}

func (m *Model) summaryCells(p realty.PropertySummary) map[string]string {
	owner := p.Owner.FirstName + " " + p.Owner.LastName
	if m.me != nil && p.Owner.ID == m.me.ID {
		owner = "★ you"
	}
	return map[string]string{"ID": fmt.Sprint(p.ID), "NAME": p.Name, "TYPE": string(p.Type), "CITY": p.City,
		"ROOMS": fmt.Sprint(p.RoomCount), "AREA": p.TotalArea.String() + " m²", "LISTING": listingCell(p), "OWNER": owner}
}

// listingCell is the list's LISTING: the price of an available property
// ("385000 EUR", "650 CHF/mo"), else where its listing stands ("under
// offer", "sold"), "-" when it is not listed.
func listingCell(p realty.PropertySummary) string {
	switch {
	case p.Status != realty.DefaultStatus:
		return p.Status.Text()
	case p.Transaction == nil:
		return "-"
	case p.Price == nil:
		return "on request"
	}
	s := p.Price.String() + " " + p.Currency
	if *p.Transaction == "rent" {
		s += "/mo"
	}
	return s
}

// plural is "1 property", "2 properties".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// countText is how many properties match: exact once every page is loaded
// (or the city picker told), a floor before.
func (m *Model) countText() string {
	l := &m.list
	switch {
	case !l.loaded:
		return "… properties"
	case l.next == "":
		return plural(len(l.items), "property", "properties")
	case l.city != "" && l.typ == "" && !l.mine && l.search == "" && !l.filters.set() && l.cityCount >= 0:
		return plural(l.cityCount, "property", "properties") // the city's count, every page
	}
	return fmt.Sprintf("%d+ properties", len(l.items))
}

func (m *Model) filterLine() string {
	l := &m.list
	city, typ := "any", "any"
	if l.city != "" {
		city = l.city
	}
	if l.typ != "" {
		typ = string(l.typ)
	}
	line := fmt.Sprintf("City: %s · Type: %s", city, typ)
	if l.mine {
		line += " · Yours"
	}
	if l.search != "" {
		line += " · Words: " + l.search
	}
	if sum := l.filters.summary(); sum != "" {
		line += " · " + sum
	}
	return line + " · " + m.countText()
}

// searchLine is the filter line while the search box has the keys.
func (m *Model) searchLine() string {
	return "Search: " + m.list.query.View() + dimStyle.Render(" · "+m.countText())
}

func (m *Model) listView() string {
	cols := m.columns()
	var b strings.Builder
	b.WriteString(headerLine(cols))
	l := &m.list
	rows := m.tableRows()
	if len(l.items) == 0 {
		switch {
		case !l.loaded && l.loading:
			b.WriteString(dimStyle.Render("Loading…") + "\n")
		case l.loaded && l.filtered():
			b.WriteString(dimStyle.Render("No properties match. Press x to clear the filters.") + "\n")
		case l.loaded && m.loggedIn():
			b.WriteString(dimStyle.Render("No properties yet. Press n to create one.") + "\n")
		case l.loaded:
			b.WriteString(dimStyle.Render("No properties yet. Press R to register (or L to log in), then n to create one.") + "\n")
		}
		return b.String()
	}
	for i := l.offset; i < min(len(l.items), l.offset+rows); i++ {
		byTitle := m.summaryCells(l.items[i])
		vals := make([]string, len(cols))
		for j, c := range cols {
			vals[j] = byTitle[c.title]
		}
		b.WriteString(rowLine(cols, vals, i == l.cursor))
	}
	return b.String()
}
