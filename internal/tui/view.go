package tui

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// View draws the screen, on the terminal's alternate screen.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Screen())
	v.AltScreen = true
	return v
}

// Screen is the screen's text: a title, the current view, the status line
// and the keys of the view, never more lines than the terminal has.
func (m *Model) Screen() string {
	var body string
	var keys bindings
	sub := m.filterLine()
	switch m.view {
	case viewList:
		body, keys = m.listView(), m.listHelp()
	case viewDetail:
		body, keys = m.detailView(), m.detailHelp()
		sub = "Property"
		if p := m.detail.p; p != nil {
			sub = "Property " + itoa(p.ID)
		}
	case viewForm:
		body, keys = m.formView(), m.formHelp()
	case viewCities:
		body, keys = m.cityView(), m.pickerHelp()
	case viewTypes:
		body, keys = m.typeView(), m.pickerHelp()
	case viewProfile:
		body, keys = m.profileView(), m.profileHelp()
		sub = "Profile"
	case viewConfirm:
		body = "\n" + boxStyle.Render(m.ask.question+"\n\n"+dimStyle.Render("y: yes   n/esc: no")) + "\n"
		keys = simple(m.keys.Yes, m.keys.No)
	}
	who := "not logged in"
	switch {
	case m.me != nil:
		who = m.me.FirstName + " " + m.me.LastName
	case m.meErr != nil:
		who = "unreachable (r to retry)"
	}
	title := titleStyle.Render("realty") + dimStyle.Render(" · "+m.b.Where+" · "+who)
	sub = truncate(sub, m.width)
	if m.view == viewList && m.list.searching { // the search box, drawn by its input
		sub = truncateANSI(m.searchLine(), m.width)
	}
	lines := []string{truncateANSI(title, m.width), sub}
	var foot []string
	if m.status != "" {
		st := okStyle
		if m.statusErr {
			st = errorStyle
		}
		foot = append(foot, st.Render(truncate(m.status, m.width)))
	} else {
		foot = append(foot, "")
	}
	m.help.ShowAll = m.showHelp
	for _, l := range strings.Split(m.help.View(keys), "\n") {
		foot = append(foot, truncateANSI(l, m.width))
	}
	avail := max(0, m.height-len(lines)-len(foot))
	bodyLines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	if len(bodyLines) > avail {
		bodyLines = bodyLines[:avail]
	}
	for len(bodyLines) < avail {
		bodyLines = append(bodyLines, "")
	}
	for i, l := range bodyLines {
		bodyLines[i] = truncateANSI(l, m.width)
	}
	all := append(append(lines, bodyLines...), foot...)
	if len(all) > m.height {
		all = all[:m.height]
	}
	return strings.Join(all, "\n")
}

// truncateANSI cuts a styled line to the terminal's width.
func truncateANSI(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	return lipgloss.NewStyle().MaxWidth(width).Render(s)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
