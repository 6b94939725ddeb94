package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
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
	f := realty.PropertyFilter{City: m.list.city, Type: m.list.typ, Limit: pageSize, Cursor: cursor}
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
	if m.statusErr {
		m.setStatus("", nil) // a load that works clears the last error
	}
	return m.prefetch()
}

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
	switch {
	case key.Matches(msg, k.Quit), msg.String() == "esc":
		return tea.Quit
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
	case key.Matches(msg, k.Open):
		if len(l.items) == 0 {
			return nil
		}
		m.detail = detailState{loadingID: l.items[l.cursor].ID}
		m.view = viewDetail
		return m.loadProperty(l.items[l.cursor].ID)
	case key.Matches(msg, k.Reload):
		m.setStatus("Reloading…", nil)
		return tea.Batch(m.loadMe(), m.reloadList())
	case key.Matches(msg, k.City):
		return m.openCities()
	case key.Matches(msg, k.Type):
		m.openTypes()
		return nil
	case key.Matches(msg, k.Clear):
		if l.city == "" && l.typ == "" {
			return nil
		}
		l.city, l.typ = "", ""
		m.setStatus("Filters cleared", nil)
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
	default:
		return nil
	}
	l.clamp(rows)
	return m.prefetch()
}

func (m *Model) listHelp() bindings {
	k := m.keys
	short := []key.Binding{k.Down, k.Open, k.City, k.Type, k.Clear}
	if m.loggedIn() {
		short = append(short, k.New)
	} else {
		short = append(short, k.Login)
	}
	short = append(short, k.Help, k.Quit)
	return bindings{short: short, full: [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.City, k.Type, k.Clear, k.Reload},
		{k.New, k.Login, k.Help, k.Quit},
	}}
}

// column is one column of the property table.
type column struct {
	title string
	width int
	right bool
}

// columns fits the table to the terminal's width: the name takes what the
// fixed columns leave, and the owner and type go first on narrow screens.
func (m *Model) columns() []column {
	cols := []column{{"ID", 7, true}, {"NAME", 0, false}, {"TYPE", 10, false}, {"CITY", 16, false},
		{"ROOMS", 5, true}, {"AREA", 9, true}, {"OWNER", 16, false}}
	for _, drop := range []string{"", "OWNER", "TYPE"} {
		cols = slicesDelete(cols, drop)
		fixed := 0
		for _, c := range cols {
			fixed += c.width + 1
		}
		if name := m.width - fixed; name >= 16 || drop == "TYPE" {
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

func summaryCells(p realty.PropertySummary) map[string]string {
	return map[string]string{"ID": fmt.Sprint(p.ID), "NAME": p.Name, "TYPE": string(p.Type), "CITY": p.City,
		"ROOMS": fmt.Sprint(p.RoomCount), "AREA": p.TotalArea.String() + " m²",
		"OWNER": p.Owner.FirstName + " " + p.Owner.LastName}
}

func (m *Model) filterLine() string {
	city, typ := "any", "any"
	if m.list.city != "" {
		city = m.list.city
	}
	if m.list.typ != "" {
		typ = string(m.list.typ)
	}
	count := fmt.Sprintf("%d", len(m.list.items))
	if m.list.next != "" {
		count += "+"
	}
	if !m.list.loaded {
		count = "…"
	}
	return fmt.Sprintf("City: %s · Type: %s · %s properties", city, typ, count)
}

func (m *Model) listView() string {
	cols := m.columns()
	var b strings.Builder
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = cell(c.title, c)
	}
	b.WriteString(headerStyle.Render(strings.Join(head, " ")) + "\n")
	l := &m.list
	rows := m.tableRows()
	if len(l.items) == 0 {
		switch {
		case !l.loaded && l.loading:
			b.WriteString(dimStyle.Render("Loading…") + "\n")
		case l.loaded:
			b.WriteString(dimStyle.Render("No properties match. Press x to clear the filters.") + "\n")
		}
		return b.String()
	}
	for i := l.offset; i < min(len(l.items), l.offset+rows); i++ {
		vals := summaryCells(l.items[i])
		line := make([]string, len(cols))
		for j, c := range cols {
			line[j] = cell(vals[c.title], c)
		}
		row := strings.Join(line, " ")
		if i == l.cursor {
			row = selectedStyle.Render(row)
		}
		b.WriteString(row + "\n")
	}
	return b.String()
}
