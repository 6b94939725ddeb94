package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/realtyhq/realty/pkg/realty"
)

// listFilters are the filter panel's values (f on the list), as typed, and
// the order: what the list sends with its city, type, search and mine.
type listFilters struct {
	sort, transaction, status    string
	minPrice, maxPrice, minRooms string
	minArea, maxArea, feature    string
}

// any is the selects' option for no filter.
const anyOption = "any"

// set reports whether a filter or an order other than id's is set.
func (f listFilters) set() bool {
	return f != listFilters{sort: f.sort} || (f.sort != "" && f.sort != "id")
}

// apply puts the filters into a PropertyFilter; values that are not numbers
// are problems named by their member (min_price...), all at once.
func (f listFilters) apply(pf *realty.PropertyFilter) error {
	var bad realty.Problems
	if f.sort != "" {
		pf.Sort = realty.Sort(f.sort)
	}
	if f.transaction != "" && f.transaction != anyOption {
		pf.Transaction = realty.Transaction(f.transaction)
	}
	if f.status != "" && f.status != anyOption {
		pf.Statuses = []realty.ListingStatus{realty.ListingStatus(f.status)}
	}
	bad.Merge("", realty.Bounds{MinPrice: f.minPrice, MaxPrice: f.maxPrice, MinRooms: f.minRooms,
		MinArea: f.minArea, MaxArea: f.maxArea}.Parse(pf))
	if s := strings.TrimSpace(f.feature); s != "" {
		pf.Features = []string{s}
	}
	if err := bad.Err(); err != nil {
		return err
	}
	_, err := pf.Validate() // the bounds together: min not over max
	return err
}

// summary is the filters on the filter line: "sale · ≤ 400000 · 3+ rooms".
func (f listFilters) summary() string {
	var parts []string
	add := func(ok bool, s string) {
		if ok {
			parts = append(parts, s)
		}
	}
	add(f.transaction != "" && f.transaction != anyOption, f.transaction)
	add(f.status != "" && f.status != anyOption, strings.ReplaceAll(f.status, "_", " "))
	add(f.minPrice != "", "≥ "+f.minPrice)
	add(f.maxPrice != "", "≤ "+f.maxPrice)
	add(f.minRooms != "", f.minRooms+"+ rooms")
	add(f.minArea != "", "≥ "+f.minArea+" m²")
	add(f.maxArea != "", "≤ "+f.maxArea+" m²")
	add(f.feature != "", f.feature)
	add(f.sort != "" && f.sort != "id", "by "+f.sort)
	return strings.Join(parts, " · ")
}

// filtersMsg is a filter panel saved: the list loads again with them.
type filtersMsg struct{ f listFilters }

// openFilters shows the filter panel over the list.
func (m *Model) openFilters() {
	cur := m.list.filters
	or := func(s, def string) string {
		if s == "" {
			return def
		}
		return s
	}
	f := &form{title: "Filters and order", hint: "Empty fields do not filter; x on the list clears every filter.",
		fields: []field{
			newSelect("Order", "sort", realty.Names(realty.Sorts), or(cur.sort, "id")),
			newSelect("Transaction", "transaction", append([]string{anyOption}, realty.Names(realty.Transactions)...),
				or(cur.transaction, anyOption)),
			newSelect("Status", "status", append([]string{anyOption}, realty.Names(realty.Statuses)...), or(cur.status, anyOption)),
			keyed("min_price", newField("Min price", cur.minPrice, "", false)),
			keyed("max_price", newField("Max price", cur.maxPrice, "400000", false)),
			keyed("min_rooms", newField("Min rooms", cur.minRooms, "3", false)),
			keyed("min_area", newField("Min area m²", cur.minArea, "60", false)),
			keyed("max_area", newField("Max area m²", cur.maxArea, "", false)),
			keyed("feature", newField("Feature", cur.feature, "balcony", false)),
		}}
	f.submit = func(v []string) tea.Cmd {
		lf := listFilters{sort: v[0], transaction: v[1], status: v[2], minPrice: v[3], maxPrice: v[4],
			minRooms: v[5], minArea: v[6], maxArea: v[7], feature: v[8]}
		if err := lf.apply(&realty.PropertyFilter{}); err != nil {
			return invalid(err)
		}
		return func() tea.Msg { return filtersMsg{lf} }
	}
	m.openForm(f)
}

func (m *Model) onFilters(msg filtersMsg) tea.Cmd {
	m.list.filters = msg.f
	m.closeForm()
	m.setStatus("Filters applied", nil)
	return m.reloadList()
}
