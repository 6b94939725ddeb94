package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/realtyhq/realty/pkg/realty"
)

// detailState is the property on screen and the selected room, or its
// history in place of its rooms.
type detailState struct {
	p         *realty.Property
	loadingID int64
	room      int
	history   *historyState
}

// historyState is the part of a property's history loaded so far, newest
// first, and the selected event.
type historyState struct {
	events  []realty.PropertyEvent
	next    string // cursor of older events; "" when all are loaded
	loading bool
	sel     int
}

// loadHistory loads a page of a property's history: the first, or the one
// after cursor (appended).
func (m *Model) loadHistory(id int64, cursor string) tea.Cmd {
	svc := m.svc
	return func() tea.Msg {
		ctx, cancel := m.deadline()
		defer cancel()
		page, err := svc.PropertyHistory(ctx, id, realty.HistoryFilter{Limit: realty.MaxPageSize, Cursor: cursor})
		return historyMsg{id: id, more: cursor != "", page: page, err: err}
	}
}

func (m *Model) onHistory(msg historyMsg) {
	h := m.detail.history
	if m.view != viewDetail || h == nil || m.detail.p == nil || m.detail.p.ID != msg.id {
		return // the history was closed, or is another property's
	}
	h.loading = false
	if msg.err != nil {
		m.setStatus("", msg.err)
		return
	}
	if !msg.more {
		h.events, h.sel = nil, 0
	}
	h.events, h.next = append(h.events, msg.page.Items...), msg.page.NextCursor
	h.sel = min(h.sel, max(0, len(h.events)-1))
}

// historyKey handles a key while the history is shown; false: not its key.
func (m *Model) historyKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k, h, p := m.keys, m.detail.history, m.detail.p
	switch {
	case key.Matches(msg, k.Back), key.Matches(msg, k.History):
		m.detail.history = nil
	case key.Matches(msg, k.Down):
		h.sel = min(h.sel+1, max(0, len(h.events)-1))
		if h.sel >= len(h.events)-1 && h.next != "" && !h.loading {
			h.loading = true
			return m.loadHistory(p.ID, h.next), true
		}
	case key.Matches(msg, k.Up):
		h.sel = max(h.sel-1, 0)
	case key.Matches(msg, k.Reload):
		h.loading = true
		return tea.Batch(m.loadProperty(p.ID), m.loadHistory(p.ID, "")), true
	default:
		return nil, false
	}
	return nil, true
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
	changed := m.detail.p != nil && m.detail.p.Version != p.Version
	m.detail.p, m.detail.loadingID = &p, 0
	m.detail.room = max(0, min(m.detail.room, len(p.Rooms)-1))
	if h := m.detail.history; h != nil && changed && !h.loading {
		h.loading = true // a write of ours, or news: the history has a new event
		return m.loadHistory(p.ID, "")
	}
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
	if d.history != nil {
		if cmd, ok := m.historyKey(msg); ok {
			return cmd
		}
	}
	own := m.owns(d.p)
	switch {
	case key.Matches(msg, k.History):
		d.history = &historyState{loading: true}
		return m.loadHistory(d.p.ID, "")
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
	short := []key.Binding{k.Down, k.History, k.Reload, k.Back, k.Help}
	full := [][]key.Binding{{k.Up, k.Down, k.History, k.Reload, k.Back, k.Help}}
	if m.detail.history != nil {
		back := key.NewBinding(key.WithKeys("esc", "h"), key.WithHelp("esc/h", "rooms"))
		return simple(k.Up, k.Down, k.Reload, back, k.Help)
	}
	if m.owns(m.detail.p) {
		// esc is in the full help: the short one fits 80 columns.
		short = []key.Binding{k.Edit, k.AddRoom, k.EditRoom, k.DelRoom, k.Del, k.History, k.Help}
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
	if d.history != nil {
		b.WriteString(m.historyView(d.history))
		return b.String()
	}
	cols := []column{{"TYPE", 12, false}, {"NAME", 0, false}, {"AREA", 10, true}, {"LEVEL", 5, true}, {"FEATURES", 22, false}}
	cols[1].width = max(8, m.width-12-10-5-22-4)
	b.WriteString(headerLine(cols))
	if len(p.Rooms) == 0 {
		b.WriteString(dimStyle.Render("No rooms.") + "\n")
	}
	room := m.height - 12 // rows left for rooms
	start := max(0, d.room-room+1)
	for i := start; i < len(p.Rooms) && i < start+max(1, room); i++ {
		r := p.Rooms[i]
		b.WriteString(rowLine(cols, []string{string(r.Type), r.Name, realty.AreaText(r.Area), realty.LevelText(r.Level),
			strings.Join(r.Features, ", ")}, i == d.room))
	}
	return b.String()
}

// historyView is the history table: an event a line, newest first, the
// selected one's changes in full below it.
func (m *Model) historyView(h *historyState) string {
	var b strings.Builder
	cols := []column{{"AT", 16, false}, {"V", 4, true}, {"KIND", 12, false}, {"BY", 16, false}, {"CHANGES", 0, false}}
	cols[4].width = max(8, m.width-16-4-12-16-4)
	b.WriteString(headerLine(cols))
	if len(h.events) == 0 {
		if h.loading {
			b.WriteString(dimStyle.Render("Loading…") + "\n")
		} else {
			b.WriteString(dimStyle.Render("No history: written before history was kept.") + "\n")
		}
		return b.String()
	}
	// The lines left below the table's header, as for rooms: the events,
	// a line of more, and the selected event's changes (as many as fit).
	e := h.events[h.sel]
	avail, more := m.height-14, 0 // the frame, the fields and the header take 14
	if h.loading || h.next != "" {
		more = 1
	}
	shown := min(len(e.Changes), max(0, avail-4-more))
	rows := max(1, avail-2-shown-more)
	start := max(0, h.sel-rows+1)
	for i := start; i < len(h.events) && i < start+rows; i++ {
		e := h.events[i]
		b.WriteString(rowLine(cols, []string{e.At.Local().Format("2006-01-02 15:04"), itoa(e.Version), string(e.Kind),
			e.Actor.FirstName + " " + e.Actor.LastName, e.ChangesText()}, i == h.sel))
	}
	switch {
	case h.loading:
		b.WriteString(dimStyle.Render("Loading older events…") + "\n")
	case h.next != "":
		b.WriteString(dimStyle.Render("↓ for older events") + "\n")
	}
	what := string(e.Kind)
	if e.RoomID != nil {
		what += " (room " + itoa(*e.RoomID) + ")"
	}
	b.WriteString("\n" + labelStyle.Render(fmt.Sprintf("Version %d, %s", e.Version, what)) + "\n")
	for _, c := range e.Changes[:shown] {
		b.WriteString(truncate(fmt.Sprintf("  %s: %s → %s", c.Member, c.Old, c.New), m.width) + "\n")
	}
	return b.String()
}

func truncate(s string, width int) string {
	if width < 2 {
		return ""
	}
	return strings.TrimRight(cell(s, column{width: width}), " ")
}
