package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/realtyhq/realty/pkg/realty"
)

// pickState is the city or type picker: a filter input and a list.
type pickState struct {
	input   textinput.Model
	cities  []realty.CityCount
	loading bool
	cursor  int
}

func (m *Model) openCities() tea.Cmd {
	in := newField("", "", "type to narrow, enter to pick", false).input
	in.Focus()
	m.pick = pickState{input: in, loading: true}
	m.back, m.view = m.view, viewCities
	svc := m.svc
	return func() tea.Msg {
		ctx, cancel := m.deadline()
		defer cancel()
		c, err := svc.Cities(ctx)
		return citiesMsg{cities: c, err: err}
	}
}

func (m *Model) onCities(msg citiesMsg) {
	m.pick.loading = false
	if msg.err != nil {
		m.setStatus("", msg.err)
		return
	}
	m.pick.cities = msg.cities
}

// matchingCities narrows the cities to those whose key contains the typed text.
func (m *Model) matchingCities() []realty.CityCount {
	q := realty.CityKey(m.pick.input.Value())
	var out []realty.CityCount
	for _, c := range m.pick.cities {
		if strings.Contains(realty.CityKey(c.City), q) {
			out = append(out, c)
		}
	}
	return out
}

func (m *Model) cityKey(msg tea.KeyMsg) tea.Cmd {
	p := &m.pick
	matches := m.matchingCities()
	switch msg.String() {
	case "esc":
		m.view = m.back
		return nil
	case "down", "ctrl+n":
		p.cursor = min(p.cursor+1, len(matches)-1)
		return nil
	case "up", "ctrl+p":
		p.cursor = max(p.cursor-1, 0)
		return nil
	case "enter":
		city := strings.TrimSpace(p.input.Value())
		if len(matches) > 0 {
			city = matches[p.cursor].City
		}
		m.view = m.back
		m.list.city = city
		m.setStatus("", nil)
		return m.reloadList()
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	p.cursor = 0
	return cmd
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

func (m *Model) typeKey(msg tea.KeyMsg) tea.Cmd {
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
	k := m.keys
	pick := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "pick"))
	esc := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
	return simple(k.Down, k.Up, pick, esc)
}

func (m *Model) cityView() string {
	var b strings.Builder
	b.WriteString(titleStyle.Render("Filter by city") + "\n")
	b.WriteString("City: " + m.pick.input.View() + "\n\n")
	if m.pick.loading {
		return b.String() + dimStyle.Render("Loading cities…") + "\n"
	}
	matches := m.matchingCities()
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
	names := append([]string{"any type"}, strings.Fields(typeList())...)
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
