package tui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/realtyhq/realty/pkg/realty"
)

// form is a huh v2 form (text inputs, and selects for the enums) with a
// title; submit turns the values into the command that saves them. huh
// draws and edits the fields; the form keeps their values, so that a failed
// save, a problem to show under a field or someone else's change rebuilds
// the huh form around what was typed, never losing it.
type form struct {
	title  string
	hint   string
	fields []field
	focus  int // the field with the keys, kept across rebuilds
	submit func(values []string) tea.Cmd
	// rebase, when set, makes the form apply its values to a newer version
	// of what it edits (after someone else changed it): nothing typed is lost.
	rebase func(p realty.Property)
	// saving: a save is on its way; another press of save waits for it
	// (two would create the property twice).
	saving bool
	hf     *huh.Form
	inputs []huh.Field // hf's fields, in the order of fields
	width  int
}

// field is a text input, or a select among options (an enum: the property
// and room types), with the problem the last save found in it.
type field struct {
	label       string
	key         string // the member its problems name: "name", "area"...
	placeholder string
	val         string // bound to the huh field: it follows every key
	options     []string
	secret      bool
	problem     string
}

func (f *field) value() string { return f.val }

// newSelect is a field whose value is one of options (value, or the first).
func newSelect(label, key string, options []string, value string) field {
	f := field{label: label, key: key, options: options, val: options[0]}
	for _, o := range options {
		if o == value {
			f.val = o
		}
	}
	return f
}

// keyed names the member of a field's problems.
func keyed(key string, f field) field { f.key = key; return f }

func newField(label, value, placeholder string, secret bool) field {
	return field{label: label, val: value, placeholder: placeholder, secret: secret}
}

// newInput is a one-line text input outside forms (the search box, the
// city picker's filter), focused, with a cursor that does not blink: no
// timer runs in the background.
func newInput(value, placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.SetValue(value)
	in.Placeholder = placeholder
	in.CharLimit = 4000
	st := in.Styles()
	st.Cursor.Blink = false
	in.SetStyles(st)
	in.Focus()
	return in
}

// formKeys are huh's keys, with the arrows moving between fields as tab
// does (a select changes with ← and →), and ctrl+c left to the model.
func formKeys() *huh.KeyMap {
	k := huh.NewDefaultKeyMap()
	next := key.NewBinding(key.WithKeys("enter", "tab", "down"), key.WithHelp("tab", "next field"))
	prev := key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous"))
	k.Input.Next, k.Input.Prev = next, prev
	k.Select.Next, k.Select.Prev = next, prev
	k.Select.Left = key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "previous type"))
	k.Select.Right = key.NewBinding(key.WithKeys("right", "space"), key.WithHelp("→", "next type"))
	k.Quit = key.NewBinding(key.WithDisabled())
	return k
}

// formTheme is huh's Charm theme, with the description under a field (only
// ever a problem of the last save) in the colour of errors.
var formTheme = huh.ThemeFunc(func(dark bool) *huh.Styles {
	t := huh.ThemeCharm(dark)
	t.FieldSeparator = lipgloss.NewStyle().SetString("\n") // no blank line: six fields fit in 24 rows
	t.Focused.Description = errorStyle
	t.Blurred.Description = errorStyle
	return t
})

// build makes the huh form from the fields, their values and problems,
// with the keys on the field that had them.
func (f *form) build() {
	f.inputs = make([]huh.Field, len(f.fields))
	for i := range f.fields {
		fl := &f.fields[i]
		problem := ""
		if fl.problem != "" {
			problem = "↳ " + fl.problem
		}
		if fl.options != nil {
			f.inputs[i] = huh.NewSelect[string]().Title(fl.label).Description(problem).
				Options(huh.NewOptions(fl.options...)...).Value(&fl.val).Inline(true)
			continue
		}
		in := huh.NewInput().Title(fl.label).Description(problem).Placeholder(fl.placeholder).
			CharLimit(4000).Value(&fl.val)
		if fl.secret {
			in.EchoMode(huh.EchoModePassword)
		}
		f.inputs[i] = in
	}
	f.hf = huh.NewForm(huh.NewGroup(f.inputs...)).WithShowHelp(false).WithShowErrors(false).
		WithKeyMap(formKeys()).WithTheme(formTheme).WithWidth(max(20, f.width))
	// Init focuses the first field. Its commands are not needed: a window
	// size request (the width is given) and a cursor blink.
	f.hf.Init()
	for range f.focus {
		f.hf.NextField()
	}
}

// follow notes which field has the keys after huh handled a message.
func (f *form) follow() {
	cur := f.hf.GetFocusedField()
	for i, in := range f.inputs {
		if in == cur {
			f.focus = i
		}
	}
}

func (m *Model) openForm(f *form) {
	m.back = m.view
	m.form = f
	m.view = viewForm
	f.width = m.width - 2
	f.build()
}

func (m *Model) closeForm() {
	m.form, m.view = nil, m.back
}

// formMsg hands huh the messages of its own commands (moving between
// fields, the end of the form) and saves when it completes: enter on the
// last field.
func (m *Model) formMsg(msg tea.Msg) tea.Cmd {
	f := m.form
	_, cmd := f.hf.Update(msg)
	f.follow()
	if f.hf.State == huh.StateCompleted {
		f.build() // the form stays open until the save succeeds
		return tea.Batch(cmd, m.save())
	}
	return cmd
}

func (m *Model) formKey(msg tea.KeyPressMsg) tea.Cmd {
	f := m.form
	switch msg.String() {
	case "esc":
		m.closeForm()
		m.setStatus("Cancelled", nil)
		return nil
	case "ctrl+s":
		return m.save()
	}
	// Moving between fields happens here, at once, rather than by huh's
	// commands: keys that arrive together with a tab (a paste, a fast
	// typist, a script) must land in the field the tab moved to.
	last := f.focus == len(f.fields)-1
	switch msg.String() {
	case "enter", "tab", "down":
		if last && msg.String() == "enter" {
			return m.save()
		}
		if last {
			f.focus = 0
			f.build()
			return nil
		}
		cmd := f.hf.NextField()
		f.follow()
		return cmd
	case "shift+tab", "up":
		if f.focus == 0 {
			f.focus = len(f.fields) - 1
			f.build()
			return nil
		}
		cmd := f.hf.PrevField()
		f.follow()
		return cmd
	}
	if fl := &f.fields[f.focus]; fl.options != nil && fl.jump(msg.Text) {
		f.build()
		return nil
	}
	return m.formMsg(msg)
}

// save sends the values, once until the answer comes.
func (m *Model) save() tea.Cmd {
	f := m.form
	if f.saving {
		return nil
	}
	values := make([]string, len(f.fields))
	for i := range f.fields {
		values[i] = f.fields[i].value()
	}
	f.saving = true
	m.setStatus("Saving…", nil)
	return f.submit(values)
}

// jump moves a select to the next option that starts with a typed letter,
// and reports whether it was one.
func (f *field) jump(text string) bool {
	if len([]rune(text)) != 1 || text == " " {
		return false
	}
	n := len(f.options)
	at := 0
	for i, o := range f.options {
		if o == f.val {
			at = i
		}
	}
	for i := 1; i <= n; i++ {
		if c := (at + i) % n; strings.HasPrefix(f.options[c], strings.ToLower(text)) {
			f.val = f.options[c]
			return true
		}
	}
	return true // a letter no option starts with: nothing to do, but not huh's (h and l move)
}

func (m *Model) formHelp() bindings {
	k := m.keys
	save := key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save"))
	esc := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
	return simple(k.Next, k.Prev, save, esc)
}

func (m *Model) formView() string {
	f := m.form
	var b strings.Builder
	b.WriteString(titleStyle.Render(f.title) + "\n")
	hint := f.hint
	if fl := f.fields[f.focus]; fl.options != nil {
		hint = "←/→ or a letter picks the " + strings.ToLower(fl.label) + "; enter goes to the next field"
	}
	if hint == "" {
		hint = "enter: next field, and save on the last one"
	}
	b.WriteString(dimStyle.Render(truncate(hint, m.width)) + "\n")
	b.WriteString(f.hf.View() + "\n")
	return b.String()
}

// showProblems puts each problem of a failed save under its field, and
// returns those that belong to no field.
func (f *form) showProblems(ve *realty.ValidationError) []realty.FieldError {
	for i := range f.fields {
		f.fields[i].problem = ""
	}
	var rest []realty.FieldError
	first := -1
	for _, p := range ve.Fields {
		placed := false
		for i := range f.fields {
			if fl := &f.fields[i]; fl.key != "" && (p.Field == fl.key || strings.HasSuffix(p.Field, "."+fl.key)) {
				fl.problem = joinProblem(fl.problem, p.Message)
				placed = true
				if first < 0 || i < first {
					first = i
				}
				break
			}
		}
		if !placed {
			rest = append(rest, p)
		}
	}
	if first >= 0 {
		f.focus = first // the keys go to the first field to fix
	}
	f.build()
	return rest
}

func joinProblem(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// onWrite handles the outcome of a form's write: invalid input keeps the
// form open to be fixed; anything else closes it.
func (m *Model) onWrite(msg writeMsg) tea.Cmd {
	if m.view == viewForm && msg.err != nil {
		if cmd, kept := m.keepForm(msg.err); kept {
			return cmd
		}
	}
	if m.view == viewForm {
		m.closeForm()
	}
	m.ask = nil
	if m.view == viewConfirm {
		m.view = m.back
	}
	m.setStatus(msg.status, msg.err)
	var cmds []tea.Cmd
	if msg.refresh {
		cmds = append(cmds, m.reloadList())
	}
	switch {
	case msg.reload != 0:
		m.view = viewDetail
		if m.detail.p == nil || m.detail.p.ID != msg.reload {
			m.detail = detailState{loadingID: msg.reload}
		}
		cmds = append(cmds, m.loadProperty(msg.reload))
	case m.view == viewDetail && msg.err != nil && m.detail.p != nil:
		cmds = append(cmds, m.loadProperty(m.detail.p.ID))
	case m.view == viewDetail && msg.err == nil:
		m.view, m.detail = viewList, detailState{}
	}
	return tea.Batch(cmds...)
}

// keepForm keeps a form whose save failed open, with what was typed: its
// problems under their fields, and after someone else's change the form
// rebased on the new version. Only a property that is gone or not the
// user's closes it.
func (m *Model) keepForm(err error) (tea.Cmd, bool) {
	f := m.form
	f.saving = false
	var ve *realty.ValidationError
	if errors.As(err, &ve) {
		if rest := f.showProblems(ve); len(rest) > 0 {
			m.setStatus("", &realty.ValidationError{Fields: rest})
		} else {
			m.status, m.statusErr = "Invalid: fix the fields marked ↳", true
		}
		return nil, true
	}
	switch realty.KindOf(err).Code {
	case "forbidden", "not_found":
		return nil, false
	case "precondition_failed":
		if f.rebase != nil && m.detail.p != nil {
			m.status, m.statusErr = "Someone changed this property meanwhile: your edits are kept, "+
				"now over the new version; check them and save again", true
			return m.loadProperty(m.detail.p.ID), true
		}
	}
	m.setStatus("", err)
	return nil, true
}

// Property forms.

// notListed is the transaction select's option for no transaction.
const notListed = "not listed"

func (m *Model) openPropertyForm(p *realty.Property) {
	title, values := "New property", []string{"", "", "", "", notListed, "", realty.DefaultCurrency, string(realty.DefaultStatus)}
	if p != nil {
		title = fmt.Sprintf("Edit property %d (version %d)", p.ID, p.Version)
		values = []string{p.Name, string(p.Type), p.City, p.Description, notListed, "", p.Currency, string(p.Status)}
		if p.Transaction != nil {
			values[4] = string(*p.Transaction)
		}
		if p.Price != nil {
			values[5] = p.Price.String()
		}
	}
	f := &form{title: title,
		fields: []field{keyed("name", newField("Name", values[0], "Loft Croix-Rousse", false)),
			newSelect("Type", "type", realty.Names(realty.PropertyTypes), values[1]), keyed("city", newField("City", values[2], "Lyon", false)),
			keyed("description", newField("Description", values[3], "optional", false)),
			newSelect("Transaction", "transaction", append([]string{notListed}, realty.Names(realty.Transactions)...), values[4]),
			keyed("price", newField("Price", values[5], "385000 (optional; a rent: per month)", false)),
			keyed("currency", newField("Currency", values[6], "EUR", false)),
			newSelect("Status", "status", realty.Names(realty.Statuses), values[7])}}
	if p == nil {
		f.submit = m.createProperty
	} else {
		f.submit = m.updateProperty(*p)
		f.rebase = func(np realty.Property) {
			f.title = fmt.Sprintf("Edit property %d (version %d)", np.ID, np.Version)
			f.submit = m.updateProperty(np)
		}
	}
	m.openForm(f)
}

// termsOf reads the terms fields of the property form (values 4 to 7) as a
// patch's members; a price that is not an amount is a problem on price.
func termsOf(v []string) (realty.PropertyPatch, error) {
	var t realty.PropertyPatch
	if v[4] == notListed {
		t.Transaction = realty.Null[realty.Transaction]()
	} else {
		t.Transaction = realty.Value(realty.Transaction(v[4]))
	}
	t.Price = realty.Null[realty.Price]()
	if s := strings.TrimSpace(v[5]); s != "" {
		p, err := realty.ParsePrice(s)
		if err != nil {
			return t, realty.Invalid("price", "must be an amount such as 250000 or 1150.50")
		}
		t.Price = realty.Value(p)
	}
	cur, st := realty.NormalizeCurrency(v[6]), realty.ListingStatus(v[7])
	t.Currency, t.Status = &cur, &st
	return t, nil
}

func (m *Model) createProperty(v []string) tea.Cmd {
	svc := m.svc
	in := realty.NewProperty{Name: v[0], Type: realty.PropertyType(realty.NormalizeEnum(v[1])), City: v[2], Description: v[3]}
	terms, err := termsOf(v)
	if err != nil { // with the property's own problems: every one at once
		var bad realty.Problems
		bad.Merge("", err)
		bad.Merge("", in.Normalized().Validate())
		return invalid(bad.Err())
	}
	in.Transaction, in.Price, in.Currency, in.Status = terms.Transaction.Ptr(), terms.Price.Ptr(), *terms.Currency, *terms.Status
	return func() tea.Msg {
		ctx, cancel := m.deadline()
		defer cancel()
		p, err := svc.CreateProperty(ctx, in)
		if err != nil {
			return writeMsg{err: err}
		}
		return writeMsg{status: fmt.Sprintf("Created property %d: press a to add its rooms", p.ID), reload: p.ID, refresh: true}
	}
}

// updateProperty sends only the fields that changed, with the version read:
// a change made meanwhile by someone else is refused, not overwritten.
func (m *Model) updateProperty(p realty.Property) func([]string) tea.Cmd {
	return func(v []string) tea.Cmd {
		var patch realty.PropertyPatch
		if v[0] != p.Name {
			patch.Name = &v[0]
		}
		if t := realty.PropertyType(realty.NormalizeEnum(v[1])); t != p.Type {
			patch.Type = &t
		}
		if v[2] != p.City {
			patch.City = &v[2]
		}
		if v[3] != p.Description {
			patch.Description = &v[3]
		}
		terms, err := termsOf(v)
		if err != nil {
			return invalid(err)
		}
		if !samePtr(terms.Transaction.Ptr(), p.Transaction) {
			patch.Transaction = terms.Transaction
		}
		if !samePtr(terms.Price.Ptr(), p.Price) {
			patch.Price = terms.Price
		}
		if *terms.Currency != p.Currency {
			patch.Currency = terms.Currency
		}
		if *terms.Status != p.Status {
			patch.Status = terms.Status
		}
		svc := m.svc
		return func() tea.Msg {
			ctx, cancel := m.deadline()
			defer cancel()
			_, err := svc.UpdateProperty(ctx, p.ID, patch, p.Version)
			return writeMsg{status: "Saved", err: err, reload: p.ID, refresh: err == nil}
		}
	}
}

// samePtr reports whether two optional values are both absent or equal.
func samePtr[T comparable](a, b *T) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func (m *Model) deleteProperty(id, version int64) tea.Cmd {
	svc := m.svc
	return func() tea.Msg {
		ctx, cancel := m.deadline()
		defer cancel()
		err := svc.DeleteProperty(ctx, id, version)
		msg := writeMsg{status: fmt.Sprintf("Deleted property %d", id), err: err, refresh: true}
		if err != nil {
			msg.reload = id
		}
		return msg
	}
}

// Room forms.

func (m *Model) openRoomForm(r *realty.Room) {
	p := *m.detail.p
	title, v := fmt.Sprintf("New room in %q", p.Name), []string{"", "", "", "", "", ""}
	if r != nil {
		title = fmt.Sprintf("Edit room %d of %q", r.ID, p.Name)
		v = []string{string(r.Type), r.Name, areaValue(r.Area), levelValue(r.Level), r.Description, strings.Join(r.Features, ", ")}
	}
	if v[0] == "" {
		v[0] = string(realty.RoomTypes[0])
	}
	f := &form{title: title,
		fields: []field{newSelect("Type", "type", realty.Names(realty.RoomTypes), v[0]), keyed("name", newField("Name", v[1], "optional", false)),
			keyed("area", newField("Area m²", v[2], "12.5 (optional)", false)), keyed("level", newField("Level", v[3], "0 (optional)", false)),
			keyed("description", newField("Description", v[4], "optional", false)),
			keyed("features", newField("Features", v[5], "balcony, fireplace", false))}}
	if r == nil {
		f.submit = m.addRoom(p)
		f.rebase = func(np realty.Property) { f.submit = m.addRoom(np) }
	} else {
		f.submit = m.updateRoom(p, *r)
		f.rebase = func(np realty.Property) {
			for _, nr := range np.Rooms {
				if nr.ID == r.ID {
					f.submit = m.updateRoom(np, nr)
				}
			}
		}
	}
	m.openForm(f)
}

func areaValue(a *realty.Area) string {
	if a == nil {
		return ""
	}
	return a.String()
}

func levelValue(l *int) string {
	if l == nil {
		return ""
	}
	return strconv.Itoa(*l)
}

// parseRoomValues reads the optional area, level and features fields.
func parseRoomValues(v []string) (area *realty.Area, level *int, features []string, err error) {
	var bad realty.Problems
	if s := strings.TrimSpace(v[2]); s != "" {
		a, err := realty.ParseArea(s)
		if err != nil {
			bad.Add("area", "must be a number of m² such as 12.5")
		}
		area = &a
	}
	if s := strings.TrimSpace(v[3]); s != "" {
		l, err := strconv.Atoi(s)
		if err != nil {
			bad.Add("level", "must be a whole number")
		}
		level = &l
	}
	for _, f := range strings.Split(v[5], ",") {
		if f = strings.TrimSpace(f); f != "" {
			features = append(features, f)
		}
	}
	if err := bad.Err(); err != nil {
		return nil, nil, nil, err
	}
	return area, level, features, nil
}

func invalid(err error) tea.Cmd { return func() tea.Msg { return writeMsg{err: err} } }

func (m *Model) addRoom(p realty.Property) func([]string) tea.Cmd {
	return func(v []string) tea.Cmd {
		area, level, features, err := parseRoomValues(v)
		in := realty.NewRoom{Type: realty.RoomType(realty.NormalizeEnum(v[0])), Name: v[1], Area: area, Level: level, Description: v[4], Features: features}
		if err != nil { // with the room's own problems: every one at once
			var bad realty.Problems
			bad.Merge("", err)
			bad.Merge("", in.Normalized().Validate())
			return invalid(bad.Err())
		}
		svc := m.svc
		return func() tea.Msg {
			ctx, cancel := m.deadline()
			defer cancel()
			r, err := svc.AddRoom(ctx, p.ID, in, p.Version)
			return writeMsg{status: fmt.Sprintf("Added room %d", r.ID), err: err, reload: p.ID, refresh: err == nil}
		}
	}
}

func (m *Model) updateRoom(p realty.Property, r realty.Room) func([]string) tea.Cmd {
	return func(v []string) tea.Cmd {
		area, level, features, err := parseRoomValues(v)
		if err != nil {
			return invalid(err)
		}
		var patch realty.RoomPatch
		if t := realty.RoomType(realty.NormalizeEnum(v[0])); t != r.Type {
			patch.Type = &t
		}
		if v[1] != r.Name {
			patch.Name = &v[1]
		}
		if areaValue(area) != areaValue(r.Area) {
			patch.Area = realty.Nullable[realty.Area]{Set: true, Valid: area != nil}
			if area != nil {
				patch.Area.V = *area
			}
		}
		if levelValue(level) != levelValue(r.Level) {
			patch.Level = realty.Nullable[int]{Set: true, Valid: level != nil}
			if level != nil {
				patch.Level.V = *level
			}
		}
		if v[4] != r.Description {
			patch.Description = &v[4]
		}
		if strings.Join(realty.NormalizeFeatures(features), ",") != strings.Join(r.Features, ",") {
			if features == nil {
				features = []string{}
			}
			patch.Features = &features
		}
		svc := m.svc
		return func() tea.Msg {
			ctx, cancel := m.deadline()
			defer cancel()
			_, err := svc.UpdateRoom(ctx, p.ID, r.ID, patch, p.Version)
			return writeMsg{status: "Saved", err: err, reload: p.ID, refresh: err == nil}
		}
	}
}

func (m *Model) removeRoom(propertyID, roomID, version int64) tea.Cmd {
	svc := m.svc
	return func() tea.Msg {
		ctx, cancel := m.deadline()
		defer cancel()
		_, err := svc.RemoveRoom(ctx, propertyID, roomID, version)
		return writeMsg{status: fmt.Sprintf("Removed room %d", roomID), err: err, reload: propertyID, refresh: err == nil}
	}
}

// Log-in.

func (m *Model) openLogin() {
	if m.b.Login == nil {
		m.setStatus("Log-in is not available here", nil)
		return
	}
	f := &form{title: "Log in", hint: "Your token is stored as 'realty auth login' stores it.",
		fields: []field{keyed("email", newField("Email", "", "alice@example.com", false)), keyed("password", newField("Password", "", "", true))}}
	f.submit = func(v []string) tea.Cmd {
		login := m.b.Login
		return func() tea.Msg {
			ctx, cancel := m.deadline()
			defer cancel()
			svc, err := login(ctx, v[0], v[1])
			if err != nil {
				return loginMsg{err: err}
			}
			me, err := svc.Me(ctx)
			return loginMsg{svc: svc, me: me, err: err}
		}
	}
	m.openForm(f)
}

func (m *Model) onLogin(msg loginMsg) tea.Cmd {
	if msg.err != nil {
		if m.form != nil {
			m.form.saving = false
		}
		m.setStatus("", msg.err)
		if errors.Is(msg.err, realty.ErrUnauthenticated) {
			m.status = "Wrong email or password"
		}
		return nil
	}
	m.svc, m.me, m.meErr = msg.svc, &msg.me, nil
	m.closeForm()
	m.setStatus(fmt.Sprintf("Logged in as %s %s", msg.me.FirstName, msg.me.LastName), nil)
	if msg.registered {
		m.setStatus(fmt.Sprintf("Welcome, %s: you are registered and logged in. Press n to add a property.", msg.me.FirstName), nil)
	}
	if m.view == viewDetail && m.detail.p != nil {
		return m.loadProperty(m.detail.p.ID)
	}
	return nil
}

// Confirmations.

type confirmation struct {
	question string
	yes      tea.Cmd
}

func (m *Model) confirm(question string, yes tea.Cmd) {
	m.back = m.view
	m.ask = &confirmation{question: question, yes: yes}
	m.view = viewConfirm
}

func (m *Model) confirmKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "y", "Y":
		// Once: a second y (pressed again, or arriving in the same read)
		// must not send the deletion twice.
		yes := m.ask.yes
		m.ask.yes = nil
		if yes != nil {
			m.setStatus("Working…", nil)
		}
		return yes
	case "n", "N", "esc", "q":
		m.ask, m.view = nil, m.back
		m.setStatus("Cancelled", nil)
	}
	return nil
}
