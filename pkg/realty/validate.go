package realty

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits of user input (OWASP API4: bound everything; sizes follow RESO).
const (
	MaxEmail          = 254
	MinPassword       = 8
	MaxPassword       = 128
	MaxPersonName     = 100
	MaxPropertyName   = 120
	MaxDescription    = 4000
	MaxCity           = 100
	MaxRooms          = 100
	MaxRoomName       = 80
	MaxRoomDesc       = 1000
	MinLevel          = -5
	MaxLevel          = 200
	MaxFeatures       = 30
	MaxFeature        = 40
	MaxCursor         = 200
	MaxImport         = 1000
	earliestBirthYear = 1900
)

// Normalized returns the user with trimmed names and a lower-cased email.
func (in NewUser) Normalized() NewUser {
	in.Email = NormalizeEmail(in.Email)
	in.FirstName = strings.TrimSpace(in.FirstName)
	in.LastName = strings.TrimSpace(in.LastName)
	return in
}

// Validate checks every field of a normalized NewUser.
func (in NewUser) Validate() error {
	var p Problems
	checkEmail(&p, "email", in.Email)
	checkPassword(&p, "password", in.Password)
	checkText(&p, "first_name", in.FirstName, 1, MaxPersonName)
	checkText(&p, "last_name", in.LastName, 1, MaxPersonName)
	if in.BirthDate != nil {
		checkBirthDate(&p, "birth_date", *in.BirthDate)
	}
	return p.Err()
}

// Validate checks that credentials are present (not whether they are right).
func (in Credentials) Validate() error {
	var p Problems
	switch {
	case strings.TrimSpace(in.Email) == "":
		p.Add("email", "is required")
	case utf8.RuneCountInString(in.Email) > MaxEmail:
		p.Add("email", "must be at most %d characters", MaxEmail)
	}
	switch {
	case in.Password == "":
		p.Add("password", "is required")
	case utf8.RuneCountInString(in.Password) > MaxPassword: // no account has one: no hash to spend on it
		p.Add("password", "must be at most %d characters", MaxPassword)
	}
	return p.Err()
}

// Normalized returns the patch with trimmed names and a lower-cased email.
func (in UserPatch) Normalized() UserPatch {
	if in.Email != nil {
		in.Email = ptr(NormalizeEmail(*in.Email))
	}
	if in.FirstName != nil {
		in.FirstName = ptr(strings.TrimSpace(*in.FirstName))
	}
	if in.LastName != nil {
		in.LastName = ptr(strings.TrimSpace(*in.LastName))
	}
	return in
}

// Validate checks every member present in a normalized UserPatch.
func (in UserPatch) Validate() error {
	var p Problems
	if in.Email != nil {
		checkEmail(&p, "email", *in.Email)
		if in.CurrentPassword == "" {
			p.Add("current_password", "is required to change the email")
		}
	}
	if in.FirstName != nil {
		checkText(&p, "first_name", *in.FirstName, 1, MaxPersonName)
	}
	if in.LastName != nil {
		checkText(&p, "last_name", *in.LastName, 1, MaxPersonName)
	}
	if in.BirthDate.Valid {
		checkBirthDate(&p, "birth_date", in.BirthDate.V)
	}
	return p.Err()
}

// Empty reports a patch that changes nothing.
func (in UserPatch) Empty() bool {
	return in.Email == nil && in.FirstName == nil && in.LastName == nil && !in.BirthDate.Set
}

// Validate checks a password change.
func (in PasswordChange) Validate() error {
	var p Problems
	if in.Current == "" {
		p.Add("current_password", "is required")
	}
	checkPassword(&p, "new_password", in.New)
	return p.Err()
}

// Validate checks that the password is given.
func (in AccountDeletion) Validate() error {
	if in.Password == "" {
		return Invalid("password", "is required")
	}
	return nil
}

// Normalized trims the property's fields and normalizes its rooms.
func (in NewProperty) Normalized() NewProperty {
	in.Name = strings.TrimSpace(in.Name)
	in.Description = NormalizeDescription(in.Description)
	in.City = NormalizeCity(in.City)
	in.Currency = NormalizeCurrency(in.Currency)
	if in.Status == "" {
		in.Status = DefaultStatus
	}
	rooms := make([]NewRoom, len(in.Rooms))
	for i, r := range in.Rooms {
		rooms[i] = r.Normalized()
	}
	in.Rooms = rooms
	return in
}

// NormalizeDescription trims a description and ends its lines with LF
// alone (CRLF and CR as a browser's form or a spreadsheet sends them), so
// that every format, CSV included, gives it back as stored.
func NormalizeDescription(s string) string {
	if strings.Contains(s, "\r") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	return strings.TrimSpace(s)
}

// Validate checks every field of a normalized NewProperty, rooms included.
func (in NewProperty) Validate() error {
	var p Problems
	checkText(&p, "name", in.Name, 1, MaxPropertyName)
	checkDescription(&p, "description", in.Description, MaxDescription)
	checkPropertyType(&p, "type", in.Type)
	checkCity(&p, "city", in.City)
	checkTerms(&p, in.Transaction, in.Price, in.Currency, in.Status)
	if len(in.Rooms) > MaxRooms {
		p.Add("rooms", "must have at most %d rooms", MaxRooms)
	}
	for i, r := range in.Rooms {
		if err := r.Validate(); err != nil { // the path is written only for a problem: imports check millions
			p.Merge(fmt.Sprintf("rooms[%d].", i), err)
		}
	}
	return p.Err()
}

// Normalized trims the room's texts and normalizes its features.
func (in NewRoom) Normalized() NewRoom {
	in.Name = strings.TrimSpace(in.Name)
	in.Description = NormalizeDescription(in.Description)
	in.Features = NormalizeFeatures(in.Features)
	return in
}

// Validate checks every field of a normalized NewRoom.
func (in NewRoom) Validate() error {
	var p Problems
	checkRoomType(&p, "type", in.Type)
	checkText(&p, "name", in.Name, 0, MaxRoomName)
	checkDescription(&p, "description", in.Description, MaxRoomDesc)
	if in.Area != nil {
		checkArea(&p, "area", *in.Area)
	}
	if in.Level != nil {
		checkLevel(&p, "level", *in.Level)
	}
	checkFeatures(&p, "features", in.Features)
	return p.Err()
}

// Normalized trims the members present in the patch.
func (in PropertyPatch) Normalized() PropertyPatch {
	if in.Name != nil {
		in.Name = ptr(strings.TrimSpace(*in.Name))
	}
	if in.Description != nil {
		in.Description = ptr(NormalizeDescription(*in.Description))
	}
	if in.City != nil {
		in.City = ptr(NormalizeCity(*in.City))
	}
	if in.Currency != nil {
		in.Currency = ptr(NormalizeCurrency(*in.Currency))
	}
	return in
}

// Validate checks every member present in a normalized PropertyPatch.
func (in PropertyPatch) Validate() error {
	var p Problems
	if in.Name != nil {
		checkText(&p, "name", *in.Name, 1, MaxPropertyName)
	}
	if in.Description != nil {
		checkDescription(&p, "description", *in.Description, MaxDescription)
	}
	if in.Type != nil {
		checkPropertyType(&p, "type", *in.Type)
	}
	if in.City != nil {
		checkCity(&p, "city", *in.City)
	}
	if in.Transaction.Set && in.Transaction.Valid && !in.Transaction.V.Valid() {
		p.Add("transaction", "%s, or null for a property that is not listed", enumMessage(Transactions))
	}
	if in.Price.Valid && (in.Price.V < 0 || in.Price.V > MaxPrice) {
		p.Add("price", "must be from 0 to %s", MaxPrice)
	}
	if in.Status != nil && !in.Status.Valid() {
		p.Add("status", "%s", enumMessage(Statuses))
	}
	return p.Err()
}

// Empty reports a patch that changes nothing.
func (in PropertyPatch) Empty() bool {
	return in.Name == nil && in.Description == nil && in.Type == nil && in.City == nil && !in.Transaction.Set &&
		!in.Price.Set && in.Currency == nil && in.Status == nil
}

// Normalized trims the members present in the patch.
func (in RoomPatch) Normalized() RoomPatch {
	if in.Name != nil {
		in.Name = ptr(strings.TrimSpace(*in.Name))
	}
	if in.Description != nil {
		in.Description = ptr(NormalizeDescription(*in.Description))
	}
	if in.Features != nil {
		in.Features = ptr(NormalizeFeatures(*in.Features))
	}
	return in
}

// Validate checks every member present in a normalized RoomPatch.
func (in RoomPatch) Validate() error {
	var p Problems
	if in.Type != nil {
		checkRoomType(&p, "type", *in.Type)
	}
	if in.Name != nil {
		checkText(&p, "name", *in.Name, 0, MaxRoomName)
	}
	if in.Description != nil {
		checkDescription(&p, "description", *in.Description, MaxRoomDesc)
	}
	if in.Area.Valid {
		checkArea(&p, "area", in.Area.V)
	}
	if in.Level.Valid {
		checkLevel(&p, "level", in.Level.V)
	}
	if in.Features != nil {
		checkFeatures(&p, "features", *in.Features)
	}
	return p.Err()
}

// Empty reports a patch that changes nothing.
func (in RoomPatch) Empty() bool {
	return in.Type == nil && in.Name == nil && in.Description == nil &&
		!in.Area.Set && !in.Level.Set && in.Features == nil
}

// Validate checks a filter and returns it with its page size resolved.
func (f PropertyFilter) Validate() (PropertyFilter, error) {
	var p Problems
	f.City = NormalizeCity(f.City)
	if utf8.RuneCountInString(f.City) > MaxCity {
		p.Add("city", "must be at most %d characters", MaxCity)
	}
	checkEnums(&p, "type", f.Types, PropertyTypes)
	checkEnums(&p, "status", f.Statuses, Statuses)
	if f.Transaction != "" && !f.Transaction.Valid() {
		p.Add("transaction", "%s", enumMessage(Transactions))
	}
	if f.Sort == "" {
		f.Sort = "id"
	}
	if !f.Sort.Valid() {
		p.Add("sort", "%s", enumMessage(Sorts))
	}
	checkRange(&p, "price", f.MinPrice, f.MaxPrice, 0, MaxPrice)
	checkRange(&p, "rooms", f.MinRooms, f.MaxRooms, 0, MaxRooms)
	checkRange(&p, "area", f.MinArea, f.MaxArea, 0, MaxArea*MaxRooms)
	f.Features = NormalizeFeatures(f.Features)
	if len(f.Features) > MaxFilterFeatures {
		p.Add("feature", "must be given at most %d times", MaxFilterFeatures)
	}
	for _, ft := range f.Features {
		if utf8.RuneCountInString(ft) > MaxFeature {
			p.Add("feature", "must be at most %d characters", MaxFeature)
			break
		}
	}
	if f.OwnerID < 0 {
		p.Add("owner_id", "must be a positive id")
	}
	f.Search = strings.TrimSpace(f.Search)
	checkSearch(&p, f.Search)
	f.Limit = pageSize(&p, f.Limit)
	if len(f.Cursor) > MaxCursor {
		p.Add("cursor", "is not a cursor returned by a previous page")
	}
	return f, p.Err()
}

// Validate checks a city filter and returns it with its page size resolved.
func (f CityFilter) Validate() (CityFilter, error) {
	var p Problems
	f.Prefix = NormalizeCity(f.Prefix)
	if utf8.RuneCountInString(f.Prefix) > MaxCity {
		p.Add("prefix", "must be at most %d characters", MaxCity)
	}
	f.Limit = pageSize(&p, f.Limit)
	if len(f.Cursor) > MaxCursor {
		p.Add("cursor", "is not a cursor returned by a previous page")
	}
	return f, p.Err()
}

// checkEnums checks a repeatable enum filter: each value one of all, and
// no more values than there are.
func checkEnums[T interface {
	~string
	Valid() bool
}](p *Problems, field string, values, all []T) {
	if len(values) > len(all) {
		p.Add(field, "must be given at most %d times", len(all))
	}
	for _, v := range values {
		if !v.Valid() {
			p.Add(field, "%s", enumMessage(all))
			return
		}
	}
}

// MaxFilterFeatures is how many features a list may require at once.
const MaxFilterFeatures = 10

// checkRange checks the min_NAME and max_NAME bounds of a filter.
func checkRange[T ~int64 | ~int](p *Problems, name string, lo, hi *T, least, most T) {
	for _, b := range []struct {
		field string
		v     *T
	}{{"min_" + name, lo}, {"max_" + name, hi}} {
		if b.v != nil && (*b.v < least || *b.v > most) {
			p.Add(b.field, "must be from %v to %v", least, most)
		}
	}
	if lo != nil && hi != nil && *lo > *hi {
		p.Add("max_"+name, "must not be less than min_%s", name)
	}
}

// checkSearch checks the q filter: some word to look for, none too long.
func checkSearch(p *Problems, q string) {
	if q == "" {
		return
	}
	if utf8.RuneCountInString(q) > MaxSearch {
		p.Add("q", "must be at most %d characters", MaxSearch)
		return
	}
	words := SearchWords(q)
	switch {
	case len(words) == 0:
		p.Add("q", "must contain a word of at least %d letters or digits other than a very common one (the, with…)",
			MinSearchWord)
	case len(words) > MaxSearchWords:
		p.Add("q", "must have at most %d words", MaxSearchWords)
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) > MaxSearchWord {
			p.Add("q", "has a word longer than %d characters", MaxSearchWord)
			return
		}
	}
}

// pageSize resolves a requested page size: the default for 0, clamped to
// the maximum, invalid below 1.
func pageSize(p *Problems, n int) int {
	switch {
	case n < 0:
		p.Add("limit", "must be at least 1")
	case n == 0:
		return DefaultPageSize
	case n > MaxPageSize:
		return MaxPageSize
	}
	return n
}

// NormalizeEmail trims, lower-cases and NFC-normalizes an email address, so
// that "é" typed precomposed or decomposed names the same account.
func NormalizeEmail(s string) string { return norm.NFC.String(strings.ToLower(strings.TrimSpace(s))) }

// NormalizeFeatures trims, lower-cases, de-duplicates and sorts features
// (the order in which they are stored and returned); empty ones are dropped.
func NormalizeFeatures(in []string) []string {
	out := make([]string, 0, len(in))
	for _, f := range in {
		f = strings.ToLower(strings.Join(strings.Fields(f), " "))
		if f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}

func checkEmail(p *Problems, field, s string) {
	n := utf8.RuneCountInString(s)
	switch {
	case s == "":
		p.Add(field, "is required")
		return
	case n > MaxEmail:
		p.Add(field, "must be at most %d characters", MaxEmail)
		return
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		p.Add(field, "must be a valid email address such as alice@example.com")
	}
}

func checkPassword(p *Problems, field, s string) {
	n := utf8.RuneCountInString(s)
	switch {
	case s == "":
		p.Add(field, "is required")
	case n < MinPassword:
		p.Add(field, "must be at least %d characters", MinPassword)
	case n > MaxPassword:
		p.Add(field, "must be at most %d characters", MaxPassword)
	}
}

// checkText checks a single-line text: length in characters, no control characters.
func checkText(p *Problems, field, s string, minLen, maxLen int) {
	n := utf8.RuneCountInString(s)
	switch {
	case !utf8.ValidString(s):
		p.Add(field, "must be valid UTF-8")
	case n < minLen && n == 0:
		p.Add(field, "is required")
	case n < minLen:
		p.Add(field, "must be at least %d characters", minLen)
	case n > maxLen:
		p.Add(field, "must be at most %d characters", maxLen)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		p.Add(field, "must not contain control characters")
	case strings.IndexFunc(s, invisible) >= 0:
		p.Add(field, "must not contain invisible formatting characters (such as U+200B or U+202E)")
	}
}

// invisible reports format characters (Unicode category Cf: zero-width
// spaces, bidirectional overrides...): they change how text displays, not
// what it says, and make two different values look alike in a table.
func invisible(r rune) bool { return unicode.Is(unicode.Cf, r) }

// checkCity checks a normalized city and the key that filters compare: the
// key must keep a letter or digit ("-" or "..." names no city) and fit its
// column (NFKD can make a character several: U+FDFA becomes 18).
func checkCity(p *Problems, field, city string) {
	before := len(p.fields)
	checkText(p, field, city, 1, MaxCity)
	if len(p.fields) > before {
		return
	}
	switch key := CityKey(city); {
	case key == "":
		p.Add(field, "must contain at least one letter or digit")
	case utf8.RuneCountInString(key) > MaxCity:
		p.Add(field, "is too long once accents and ligatures are spelled out (at most %d characters)", MaxCity)
	}
}

// checkDescription checks a multi-line text: new lines and tabs are allowed.
func checkDescription(p *Problems, field, s string, maxLen int) {
	switch {
	case !utf8.ValidString(s):
		p.Add(field, "must be valid UTF-8")
	case utf8.RuneCountInString(s) > maxLen:
		p.Add(field, "must be at most %d characters", maxLen)
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' }) >= 0:
		p.Add(field, "must not contain control characters other than new lines and tabs")
	case strings.IndexFunc(s, invisible) >= 0:
		p.Add(field, "must not contain invisible formatting characters (such as U+200B or U+202E)")
	}
}

func checkBirthDate(p *Problems, field string, d Date) {
	switch {
	case d.Before(Date{Year: earliestBirthYear, Month: time.January, Day: 1}):
		p.Add(field, "must not be before 1900-01-01")
	case DateOf(time.Now()).Before(d):
		p.Add(field, "must not be in the future")
	}
}

func checkPropertyType(p *Problems, field string, t PropertyType) {
	if t == "" {
		p.Add(field, "is required; %s", enumMessage(PropertyTypes))
	} else if !t.Valid() {
		p.Add(field, "%s", enumMessage(PropertyTypes))
	}
}

func checkRoomType(p *Problems, field string, t RoomType) {
	if t == "" {
		p.Add(field, "is required; %s", enumMessage(RoomTypes))
	} else if !t.Valid() {
		p.Add(field, "%s", enumMessage(RoomTypes))
	}
}

func checkArea(p *Problems, field string, a Area) {
	if a <= 0 {
		p.Add(field, "must be greater than 0")
	} else if a > MaxArea {
		p.Add(field, "must be at most %s m²", MaxArea)
	}
}

func checkLevel(p *Problems, field string, l int) {
	if l < MinLevel || l > MaxLevel {
		p.Add(field, "must be between %d and %d", MinLevel, MaxLevel)
	}
}

func checkFeatures(p *Problems, field string, fs []string) {
	if len(fs) > MaxFeatures {
		p.Add(field, "must have at most %d features", MaxFeatures)
	}
	for i, f := range fs {
		before := len(p.fields)
		checkText(p, field, f, 1, MaxFeature)
		for j := before; j < len(p.fields); j++ {
			p.fields[j].Field = fmt.Sprintf("%s[%d]", field, i)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// CheckVersion validates an expected version: 0 (no check) or 1 and more.
func CheckVersion(v int64) error {
	if v < 0 {
		return Invalid("if_version", "must be a version number (1 or more)")
	}
	return nil
}

// NormalizeImport normalizes every property of an import.
func NormalizeImport(in []NewProperty) []NewProperty {
	out := make([]NewProperty, len(in))
	for i, p := range in {
		out[i] = p.Normalized()
	}
	return out
}

// ValidateImport checks a normalized import: its size and every property.
func ValidateImport(in []NewProperty) error {
	var p Problems
	switch {
	case len(in) == 0:
		p.Add("properties", "must have at least one property")
	case len(in) > MaxImport:
		// Bound the work (and the error) before looking inside.
		return Invalid("properties", "must have at most %d properties per import", MaxImport)
	}
	for i, prop := range in {
		if err := prop.Validate(); err != nil {
			p.Merge(fmt.Sprintf("properties[%d].", i), err)
		}
	}
	return p.Err()
}

// CheckMember checks one member's value as the validation of the whole
// input would (email, password, first_name, last_name, name, type, city),
// so that a prompt can refuse an answer as it is given. Other members are
// not checked here.
func CheckMember(member, value string) error {
	var p Problems
	switch member {
	case "email":
		checkEmail(&p, member, NormalizeEmail(value))
	case "password":
		checkPassword(&p, member, value)
	case "first_name", "last_name":
		checkText(&p, member, strings.TrimSpace(value), 1, MaxPersonName)
	case "name":
		checkText(&p, member, strings.TrimSpace(value), 1, MaxPropertyName)
	case "type":
		checkPropertyType(&p, member, PropertyType(NormalizeEnum(value)))
	case "city":
		checkCity(&p, member, strings.TrimSpace(value))
	}
	return p.Err()
}
