package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/realtyhq/realty/pkg/realty"
)

// The account screens: register, the profile (personal information) with
// its edit and password forms, and log-out. With them the TUI covers the
// whole mission without the CLI.

// logoutMsg is the outcome of a log-out: the Service for nobody.
type logoutMsg struct {
	svc     realty.Service
	err     error
	deleted bool // the account was deleted: its log-in is forgotten
}

// openRegister shows the sign-up form; a registered user is logged in.
func (m *Model) openRegister() {
	if m.b.Login == nil {
		m.setStatus("Registering is not available here", nil)
		return
	}
	f := &form{title: "Register", hint: "Then you are logged in. The birth date is optional (YYYY-MM-DD).",
		fields: []field{keyed("email", newField("Email", "", "alice@example.com", false)),
			keyed("password", newField("Password", "", fmt.Sprintf("%d characters or more", realty.MinPassword), true)),
			newField("Repeat", "", "the same password", true),
			keyed("first_name", newField("First name", "", "Alice", false)), keyed("last_name", newField("Last name", "", "Martin", false)),
			keyed("birth_date", newField("Birth date", "", "1990-04-12 (optional)", false))}}
	f.submit = func(v []string) tea.Cmd {
		// Every problem at once: those only this form knows, and the
		// input's own validation.
		var bad realty.Problems
		if v[1] != v[2] {
			bad.Add("password", "the two passwords differ")
		}
		birth, err := optionalDate(v[5])
		if err != nil {
			bad.Add("birth_date", "must be a date such as 1990-04-12")
			birth = nil
		}
		in := realty.NewUser{Email: v[0], Password: v[1], FirstName: v[3], LastName: v[4], BirthDate: birth}
		bad.Merge("", in.Normalized().Validate())
		if err := bad.Err(); err != nil {
			return invalid(err)
		}
		svc, login := m.svc, m.b.Login
		return func() tea.Msg {
			ctx, cancel := m.deadline()
			defer cancel()
			if _, err := svc.Register(ctx, in); err != nil {
				return writeMsg{err: err}
			}
			s, err := login(ctx, in.Email, in.Password)
			if err != nil {
				return loginMsg{err: err}
			}
			me, err := s.Me(ctx)
			return loginMsg{svc: s, me: me, err: err, registered: true}
		}
	}
	m.openForm(f)
}

func optionalDate(s string) (*realty.Date, error) {
	if s = strings.TrimSpace(s); s == "" {
		return nil, nil
	}
	d, err := realty.ParseDate(s)
	return &d, err
}

func (m *Model) openProfile() {
	if !m.loggedIn() {
		m.setStatus("Log in first (L), or register (R)", nil)
		return
	}
	m.back, m.view = m.view, viewProfile
}

func (m *Model) profileKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Back):
		m.view = viewList
	case key.Matches(msg, k.Edit):
		m.openProfileForm()
	case key.Matches(msg, k.Password):
		m.openPasswordForm()
	case key.Matches(msg, k.Logout):
		m.confirm("Log out? Your token is revoked and forgotten.", m.logout())
	case key.Matches(msg, k.Erase):
		m.openDeleteAccountForm()
	case key.Matches(msg, k.Reload):
		return m.loadMe()
	}
	return nil
}

func (m *Model) profileHelp() bindings {
	k := m.keys
	return simple(k.Edit, k.Password, k.Logout, k.Erase, k.Back, k.Help)
}

func (m *Model) profileView() string {
	u := m.me
	if u == nil {
		return dimStyle.Render("Not logged in.") + "\n"
	}
	var b strings.Builder
	b.WriteString(titleStyle.Render("Your personal information") + "\n\n")
	birth := "-"
	if u.BirthDate != nil {
		birth = u.BirthDate.String()
	}
	for _, f := range [][2]string{{"First name", u.FirstName}, {"Last name", u.LastName}, {"Birth date", birth},
		{"Email", u.Email}, {"User id", itoa(u.ID)}, {"Member since", u.CreatedAt.Format(time.DateOnly)}} {
		b.WriteString(labelStyle.Render(fmt.Sprintf("%-12s", f[0])) + " " + f[1] + "\n")
	}
	b.WriteString("\n" + dimStyle.Render("Only your first and last names are shown to others.") + "\n")
	return b.String()
}

// openProfileForm edits the names, the birth date and the email; changing
// the email takes the current password.
func (m *Model) openProfileForm() {
	u := *m.me
	birth := ""
	if u.BirthDate != nil {
		birth = u.BirthDate.String()
	}
	f := &form{title: "Edit your personal information", hint: "Clear the birth date to remove it. A new email needs your password.",
		fields: []field{keyed("first_name", newField("First name", u.FirstName, "", false)),
			keyed("last_name", newField("Last name", u.LastName, "", false)),
			keyed("birth_date", newField("Birth date", birth, "1990-04-12 (optional)", false)),
			keyed("email", newField("Email", u.Email, "", false)),
			keyed("current_password", newField("Password", "", "only to change the email", true))}}
	f.submit = func(v []string) tea.Cmd {
		var patch realty.UserPatch
		if v[0] != u.FirstName {
			patch.FirstName = &v[0]
		}
		if v[1] != u.LastName {
			patch.LastName = &v[1]
		}
		if strings.TrimSpace(v[2]) != birth {
			d, err := optionalDate(v[2])
			if err != nil {
				return invalid(realty.Invalid("birth_date", "must be a date such as 1990-04-12"))
			}
			patch.BirthDate = realty.Nullable[realty.Date]{Set: true, Valid: d != nil}
			if d != nil {
				patch.BirthDate.V = *d
			}
		}
		if v[3] != u.Email {
			patch.Email, patch.CurrentPassword = &v[3], v[4]
		}
		svc := m.svc
		return func() tea.Msg {
			ctx, cancel := m.deadline()
			defer cancel()
			me, err := svc.UpdateMe(ctx, patch)
			if err != nil {
				return writeMsg{err: err}
			}
			return profileMsg{me: me, status: "Saved"}
		}
	}
	m.openForm(f)
}

func (m *Model) openPasswordForm() {
	f := &form{title: "Change your password", hint: "Your other sessions are logged out; this one stays.",
		fields: []field{keyed("current_password", newField("Current", "", "", true)),
			keyed("new_password", newField("New", "", fmt.Sprintf("%d characters or more", realty.MinPassword), true)),
			newField("Repeat", "", "the new password again", true)}}
	f.submit = func(v []string) tea.Cmd {
		if v[1] != v[2] {
			return invalid(realty.Invalid("new_password", "the two new passwords differ"))
		}
		svc := m.svc
		me := *m.me
		return func() tea.Msg {
			ctx, cancel := m.deadline()
			defer cancel()
			if err := svc.ChangePassword(ctx, realty.PasswordChange{Current: v[0], New: v[1]}); err != nil {
				return writeMsg{err: err}
			}
			return profileMsg{me: me, status: "Password changed"}
		}
	}
	m.openForm(f)
}

// openDeleteAccountForm deletes the account, with its properties, once
// the password is given and "delete" typed; its log-in is then forgotten.
func (m *Model) openDeleteAccountForm() {
	f := &form{title: "Delete your account", hint: "Your properties and their history go too. It cannot be undone.",
		fields: []field{keyed("password", newField("Password", "", "", true)),
			keyed("confirm", newField("Confirm", "", `type "delete"`, false))}}
	f.submit = func(v []string) tea.Cmd {
		if strings.TrimSpace(v[1]) != "delete" {
			return invalid(realty.Invalid("confirm", `type "delete" to delete your account`))
		}
		svc, logout := m.svc, m.logout()
		return func() tea.Msg {
			ctx, cancel := m.deadline()
			defer cancel()
			if err := svc.DeleteAccount(ctx, realty.AccountDeletion{Password: v[0]}); err != nil {
				return writeMsg{err: err}
			}
			msg, _ := logout().(logoutMsg) // forgets the token, which went with the account
			msg.deleted = true
			return msg
		}
	}
	m.openForm(f)
}

// profileMsg is a saved profile (or password).
type profileMsg struct {
	me     realty.User
	status string
}

func (m *Model) onProfile(msg profileMsg) tea.Cmd {
	m.me = &msg.me
	if m.view == viewForm {
		m.closeForm()
	}
	m.setStatus(msg.status, nil)
	return m.reloadList() // the owner column shows the new name
}

func (m *Model) logout() tea.Cmd {
	logout := m.b.Logout
	if logout == nil {
		return func() tea.Msg { return logoutMsg{err: errors.New("log-out is not available here")} }
	}
	return func() tea.Msg {
		ctx, cancel := m.deadline()
		defer cancel()
		svc, err := logout(ctx)
		return logoutMsg{svc: svc, err: err}
	}
}

func (m *Model) onLogout(msg logoutMsg) tea.Cmd {
	m.ask = nil
	if m.view == viewForm {
		m.closeForm()
	}
	if msg.err != nil {
		m.view = viewProfile
		m.setStatus("", msg.err)
		return nil
	}
	m.svc, m.me, m.view = msg.svc, nil, viewList
	m.detail, m.list.mine = detailState{}, false
	m.setStatus("Logged out", nil)
	if msg.deleted {
		m.setStatus("Your account and all that was yours are deleted", nil)
	}
	return m.reloadList()
}
