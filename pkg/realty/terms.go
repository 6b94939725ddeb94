package realty

import (
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/currency"
)

// Transaction is how a listed property is offered.
type Transaction string

// Transactions lists every transaction.
var Transactions = []Transaction{"sale", "rent"}

// Valid reports whether t is one of Transactions.
func (t Transaction) Valid() bool { return slices.Contains(Transactions, t) }

// ListingStatus is where a property's listing stands.
type ListingStatus string

// Statuses lists every status, in display order.
var Statuses = []ListingStatus{"available", "under_offer", "sold", "rented", "withdrawn"}

// Valid reports whether s is one of Statuses.
func (s ListingStatus) Valid() bool { return slices.Contains(Statuses, s) }

// Listing defaults: a new property is available, its price in euros.
const (
	DefaultCurrency = "EUR"
	DefaultStatus   = ListingStatus("available")
)

// Price is an amount in a currency's main unit, exact to the hundredth
// (stored as hundredths, as Area is). JSON: a number such as 250000 or
// 1150.5. A rent is per month.
type Price int64

// MaxPrice is the largest price accepted: one billion.
const MaxPrice Price = 1_000_000_000 * 100

// ParsePrice parses a decimal amount with at most two decimals.
func ParsePrice(s string) (Price, error) {
	a, err := ParseArea(s)
	if err != nil {
		return 0, priceError(strings.TrimSpace(s))
	}
	return Price(a), nil
}

type priceError string

func (e priceError) Error() string {
	return fmt.Sprintf("%q is not an amount with at most 2 decimals", string(e))
}

// String formats the price without trailing zeros ("1150.5").
func (p Price) String() string { return Area(p).String() }

// MarshalJSON writes the price as a JSON number.
func (p Price) MarshalJSON() ([]byte, error) { return Area(p).MarshalJSON() }

// UnmarshalJSON reads a JSON number with at most two decimals.
func (p *Price) UnmarshalJSON(b []byte) error {
	v, err := ParsePrice(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Value implements driver.Valuer: a decimal string, exact for DECIMAL(12,2).
func (p Price) Value() (driver.Value, error) { return p.String(), nil }

// Scan implements sql.Scanner as Area's does.
func (p *Price) Scan(src any) error {
	var a Area
	if err := a.Scan(src); err != nil {
		return fmt.Errorf("realty.Price: %w", err)
	}
	*p = Price(a)
	return nil
}

// FormatPrice shows a price for people: "250000 EUR", "1150.5 EUR/month",
// or "-" when there is none.
func FormatPrice(p *Price, cur string, t *Transaction) string {
	if p == nil {
		return "-"
	}
	s := p.String() + " " + cur
	if t != nil && *t == "rent" {
		s += "/month"
	}
	return s
}

// NormalizeCurrency trims and upper-cases a currency code; empty is the
// default, EUR.
func NormalizeCurrency(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return DefaultCurrency
	}
	return s
}

// checkTerms checks listing terms together: each member, then the rules
// that tie them (a price, or a status other than available and withdrawn,
// needs a transaction; sold is for a sale, rented for a rent).
func checkTerms(p *Problems, t *Transaction, price *Price, cur string, status ListingStatus) {
	if t != nil && !t.Valid() {
		p.Add("transaction", "%s, or null for a property that is not listed", enumMessage(Transactions))
	}
	if price != nil {
		switch {
		case *price < 0:
			p.Add("price", "must be 0 or more")
		case *price > MaxPrice:
			p.Add("price", "must be at most %s", MaxPrice)
		case t == nil:
			p.Add("price", "needs a transaction (sale or rent): a property that is not listed has no price")
		}
	}
	if u, err := currency.ParseISO(cur); err != nil || u.String() != cur {
		p.Add("currency", "must be an ISO 4217 code such as EUR, USD or CHF")
	}
	switch {
	case !status.Valid():
		p.Add("status", "%s", enumMessage(Statuses))
	case status == "sold" && (t == nil || *t != "sale"):
		p.Add("status", "sold is for a property for sale (transaction sale)")
	case status == "rented" && (t == nil || *t != "rent"):
		p.Add("status", "rented is for a property for rent (transaction rent)")
	case status == "under_offer" && t == nil:
		p.Add("status", "under_offer needs a transaction (sale or rent)")
	}
}

// Terms are a property's listing terms, as a patch leaves them.
type Terms struct {
	Transaction *Transaction
	Price       *Price
	Currency    string
	Status      ListingStatus
}

// Apply returns the terms after the patch's members.
func (t Terms) Apply(in PropertyPatch) Terms {
	if in.Transaction.Set {
		t.Transaction = in.Transaction.Ptr()
	}
	if in.Price.Set {
		t.Price = in.Price.Ptr()
	}
	if in.Currency != nil {
		t.Currency = *in.Currency
	}
	if in.Status != nil {
		t.Status = *in.Status
	}
	return t
}

// Check validates the terms together (see NewProperty.Validate).
func (t Terms) Check() error {
	var p Problems
	checkTerms(&p, t.Transaction, t.Price, t.Currency, t.Status)
	return p.Err()
}

// ListingText says how a property is offered, for people: "for sale,
// 385000 EUR, available", "for rent, 650 CHF/month, rented", "not listed".
func (p PropertySummary) ListingText() string {
	if p.Transaction == nil {
		if p.Status != DefaultStatus {
			return "not listed, " + p.Status.Text()
		}
		return "not listed"
	}
	return fmt.Sprintf("for %s, %s, %s", *p.Transaction, p.PriceText(), p.Status.Text())
}

// PriceText is the price for people: "385000 EUR", "650 CHF/month", "price
// on request" for a listed property without one, "-" for one not listed.
func (p PropertySummary) PriceText() string {
	if p.Price == nil && p.Transaction != nil {
		return "price on request"
	}
	return FormatPrice(p.Price, p.Currency, p.Transaction)
}

// Text is the status for people: "under offer".
func (s ListingStatus) Text() string { return strings.ReplaceAll(string(s), "_", " ") }
