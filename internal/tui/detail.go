package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/realtyhq/realty/pkg/realty"
)

// detailState is the property on screen and the selected room.
type detailState struct {
	p         *realty.Property
	loadingID int64
	room      int
}

func (m *Model) onProperty(msg propertyMsg) tea.Cmd {
	if m.view != viewDetail && m.view != viewForm && m.view != viewConfirm {
		return nil
	}
	if msg.err != nil {
		m.setStatus("", msg.err)
		if m.detail.p == nil {
			m.view = viewList // nothing to show: back to the list
		}
		return nil
	}
	p := msg.p
	if m.status == reloading {
		m.setStatus("", nil)
	}
	if m.view == viewForm && m.form.rebase != nil {
		m.form.rebase(p) // the form now applies its values to this version
	}
	m.detail.p, m.detail.loadingID = &p, 0
	m.detail.room = max(0, min(m.detail.room, len(p.Rooms)-1))
	return nil
}

func (m *Model) detailKey(msg tea.KeyPressMsg) tea.Cmd {
	k, d := m.keys, &m.detail
	if d.p == nil {
		if key.Matches(msg, k.Back) {
			m.view = viewList
		} else if key.Matches(msg, k.Reload) && d.loadingID != 0 {
			return m.loadProperty(d.loadingID)
		}
		return nil
	}
	own := m.owns(d.p)
	switch {
	case key.Matches(msg, k.Back):
		m.view, m.detail = viewList, detailState{}
		return nil
	case key.Matches(msg, k.Down):
		d.room = min(d.room+1, len(d.p.Rooms)-1)
	case key.Matches(msg, k.Up):
		d.room = max(d.room-1, 0)
	case key.Matches(msg, k.Reload):
		m.setStatus(reloading, nil)
		return m.loadProperty(d.p.ID)
	case key.Matches(msg, k.Login) && !m.loggedIn():
		m.openLogin()
	case !own:
		if strings.ContainsAny(msg.String(), "eadD") && len(msg.String()) == 1 {
			m.setStatus("Only the owner can change this property", nil)
		}
	case key.Matches(msg, k.Edit):
		m.openPropertyForm(d.p)
	case key.Matches(msg, k.AddRoom):
		m.openRoomForm(nil)
	case key.Matches(msg, k.EditRoom):
		if len(d.p.Rooms) > 0 {
			m.openRoomForm(&d.p.Rooms[d.room])
		}
	case key.Matches(msg, k.DelRoom):
		if len(d.p.Rooms) > 0 {
			r := d.p.Rooms[d.room]
			m.confirm(fmt.Sprintf("Remove room %d (%s)?", r.ID, roomLabel(r)), m.removeRoom(d.p.ID, r.ID, d.p.Version))
		}
	case key.Matches(msg, k.Del):
		m.confirm(fmt.Sprintf("Delete %q and its %d rooms?", d.p.Name, d.p.RoomCount), m.deleteProperty(d.p.ID, d.p.Version))
	}
	return nil
}

func roomLabel(r realty.Room) string {
	if r.Name != "" {
		return string(r.Type) + ": " + r.Name
	}
	return string(r.Type)
}

func (m *Model) detailHelp() bindings {
	k := m.keys
	short := []key.Binding{k.Down, k.Reload, k.Back, k.Help}
	full := [][]key.Binding{{k.Up, k.Down, k.Reload, k.Back, k.Help}}
	if m.owns(m.detail.p) {
		short = []key.Binding{k.Edit, k.AddRoom, k.EditRoom, k.DelRoom, k.Del, k.Back, k.Help}
		full = append(full, []key.Binding{k.Edit, k.AddRoom, k.EditRoom, k.DelRoom, k.Del})
	}
	return bindings{short: short, full: full}
}

func (m *Model) detailView() string {
	d := m.detail
	if d.p == nil {
		return dimStyle.Render("Loading…") + "\n"
	}
	p := d.p
	var b strings.Builder
	field := func(label, value string) {
		b.WriteString(labelStyle.Render(fmt.Sprintf("%-12s", label)) + " " + value + "\n")
	}
	field("Name", p.Name)
	field("Type", string(p.Type))
	field("City", p.City)
	owner := p.Owner.FirstName + " " + p.Owner.LastName
	if m.owns(p) {
		owner += " (you)"
	}
	field("Owner", owner)
	field("Listing", p.ListingText())
	desc := p.Description
	if desc == "" {
		desc = "-"
	}
	field("Description", truncate(strings.ReplaceAll(desc, "\n", " "), m.width-13))
	field("Rooms", fmt.Sprintf("%d, %s in all · version %d", p.RoomCount, realty.AreaText(&p.TotalArea), p.Version))
	b.WriteString("\n")
	cols := []column{{"TYPE", 12, false}, {"NAME", 0, false}, {"AREA", 10, true}, {"LEVEL", 5, true}, {"FEATURES", 22, false}}
	cols[1].width = max(8, m.width-12-10-5-22-4)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = cell(c.title, c)
	}
	b.WriteString(headerStyle.Render(strings.Join(head, " ")) + "\n")
	if len(p.Rooms) == 0 {
		b.WriteString(dimStyle.Render("No rooms.") + "\n")
	}
	room := m.height - 12 // rows left for rooms
	start := max(0, d.room-room+1)
	for i := start; i < len(p.Rooms) && i < start+max(1, room); i++ {
		r := p.Rooms[i]
		vals := []string{string(r.Type), r.Name, realty.AreaText(r.Area), realty.LevelText(r.Level), strings.Join(r.Features, ", ")}
		line := make([]string, len(cols))
		for j, c := range cols {
			line[j] = cell(vals[j], c)
		}
		row := strings.Join(line, " ")
		if i == d.room {
			row = selectedStyle.Render(row)
		}
		b.WriteString(row + "\n")
	}
	return b.String()
}

func truncate(s string, width int) string {
	if width < 2 {
		return ""
	}
	return strings.TrimRight(cell(s, column{width: width}), " ")
}
