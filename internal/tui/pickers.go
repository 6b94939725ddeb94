package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/realtyhq/realty/pkg/realty"
)

// pickState is the city or type picker: a filter input and a list. The
// cities are searched by the server, by prefix of their key, a page at a
// time: the picker holds what it showed, not every city.
type pickState struct {
	input   textinput.Model
	cities  []realty.CityCount
	next    string // cursor of the next page of cities; "" on the last
	loading bool
	cursor  int
}

// cityPage is how many cities one request brings.
const cityPage = 50

func (m *Model) openCities() tea.Cmd {
	m.pick = pickState{input: newInput("", "type to narrow, enter to pick")}
	m.back, m.view = m.view, viewCities
	return m.fetchCities(false)
}

// fetchCities asks for the first page of the cities matching the input, or
// with more for the page after those shown.
func (m *Model) fetchCities(more bool) tea.Cmd {
	p := &m.pick
	f := realty.CityFilter{Prefix: p.input.Value(), Limit: cityPage}
	if more {
		f.Cursor = p.next
	}
	p.loading = true
	svc := m.svc
	return func() tea.Msg {
		ctx, cancel := m.deadline()
		defer cancel()
		page, err := svc.Cities(ctx, f)
		return citiesMsg{prefix: f.Prefix, more: more, page: page, err: err}
	}
}

func (m *Model) onCities(msg citiesMsg) {
	p := &m.pick
	if msg.prefix != p.input.Value() {
		return // an answer for what was typed before: another request is on its way
	}
	p.loading = false
	if msg.err != nil {
		m.setStatus("", msg.err)
		return
	}
	if msg.more {
		p.cities = append(p.cities, msg.page.Items...)
	} else {
		p.cities, p.cursor = msg.page.Items, 0
	}
	p.next = msg.page.NextCursor
}

// matchingCities are the cities shown: the server matched them.
func (m *Model) matchingCities() []realty.CityCount { return m.pick.cities }

func (m *Model) cityKey(msg tea.KeyPressMsg) tea.Cmd {
	p := &m.pick
	matches := m.matchingCities()
	switch msg.String() {
	case "esc":
		m.view = m.back
		return nil
	case "down", "ctrl+n":
		p.cursor = max(0, min(p.cursor+1, len(matches)-1))
		if p.cursor >= len(matches)-5 && p.next != "" && !p.loading {
			return m.fetchCities(true) // near the end of what is shown: bring the next page
		}
		return nil
	case "up", "ctrl+p":
		p.cursor = max(p.cursor-1, 0)
		return nil
	case "enter":
		city, count := strings.TrimSpace(p.input.Value()), -1
		if len(matches) > 0 {
			city, count = matches[p.cursor].City, matches[p.cursor].Count
		}
		m.view = m.back
		m.list.city, m.list.cityCount = city, count
		m.setStatus("", nil)
		return m.reloadList()
	}
	before := p.input.Value()
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() == before {
		return cmd
	}
	p.cursor = 0
	return tea.Batch(cmd, m.fetchCities(false))
}

func (m *Model) openTypes() {
	m.pick = pickState{}
	for i, t := range realty.PropertyTypes {
		if t == m.list.typ {
			m.pick.cursor = i + 1
		}
	}
	m.back, m.view = m.view, viewTypes
}

func (m *Model) typeKey(msg tea.KeyPressMsg) tea.Cmd {
	p, k := &m.pick, m.keys
	switch {
	case msg.String() == "esc" || msg.String() == "q":
		m.view = m.back
	case key.Matches(msg, k.Down):
		p.cursor = min(p.cursor+1, len(realty.PropertyTypes))
	case key.Matches(msg, k.Up):
		p.cursor = max(p.cursor-1, 0)
	case msg.String() == "enter":
		m.view = m.back
		m.list.typ = ""
		if p.cursor > 0 {
			m.list.typ = realty.PropertyTypes[p.cursor-1]
		}
		return m.reloadList()
	}
	return nil
}

func (m *Model) pickerHelp() bindings {
	// Arrows only: in the city picker, letters are typed into the search.
	down := key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "down"))
	up := key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "up"))
	pick := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "pick"))
	esc := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
	return simple(down, up, pick, esc)
}

func (m *Model) cityView() string {
	var b strings.Builder
	b.WriteString(titleStyle.Render("Filter by city") + "\n")
	b.WriteString("City: " + m.pick.input.View() + "\n\n")
	matches := m.matchingCities()
	if m.pick.loading && len(matches) == 0 {
		return b.String() + dimStyle.Render("Loading cities…") + "\n"
	}
	if len(matches) == 0 {
		b.WriteString(dimStyle.Render("No city with properties matches; enter filters on what you typed.") + "\n")
	}
	rows := max(1, m.height-8)
	start := max(0, m.pick.cursor-rows+1)
	for i := start; i < len(matches) && i < start+rows; i++ {
		line := fmt.Sprintf("%-30s %6d", truncate(matches[i].City, 30), matches[i].Count)
		if i == m.pick.cursor {
			line = selectedStyle.Render(line)
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

func (m *Model) typeView() string {
	var b strings.Builder
	b.WriteString(titleStyle.Render("Filter by type") + "\n\n")
	names := append([]string{"any type"}, realty.Names(realty.PropertyTypes)...)
	rows := max(1, m.height-7)
	start := max(0, m.pick.cursor-rows+1)
	for i := start; i < len(names) && i < start+rows; i++ {
		line := fmt.Sprintf("%-20s", names[i])
		if i == m.pick.cursor {
			line = selectedStyle.Render(line)
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}
