package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/realtyhq/realty/pkg/realty"
)

// decodeBody reads a JSON object body into v with the strict rules of
// realty.DecodeJSON.
func decodeBody(c echo.Context, v any) error {
	b, err := readJSON(c, false)
	if err != nil {
		return err
	}
	return realty.DecodeJSON(b, v) // malformed: 400; invalid members: 422 (realty.Kinds)
}

// patchRules say what null means in a JSON Merge Patch (RFC 7396), where it
// removes a member: notNull members cannot be removed (422); clear holds,
// for members that can, what removing them sets (an empty description, no
// features). Members held in a realty.Nullable need no rule.
type patchRules struct {
	notNull []string
	clear   map[string]func()
}

// decodePatch reads a JSON Merge Patch (application/merge-patch+json or
// application/json) into v, and applies its rules for null.
func decodePatch(c echo.Context, v any, rules patchRules) error {
	b, err := readJSON(c, true)
	if err != nil {
		return err
	}
	if err := realty.DecodeJSON(b, v); err != nil {
		return err
	}
	if err := realty.CheckNotNull(b, rules.notNull...); err != nil {
		return err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return err // DecodeJSON accepted it: cannot happen
	}
	for name, clear := range rules.clear {
		if raw, ok := members[name]; ok && string(raw) == "null" {
			clear()
		}
	}
	return nil
}

// readJSON reads a request body of at most maxBody bytes whose media type is
// JSON (or, for a patch, JSON Merge Patch).
func readJSON(c echo.Context, mergePatch bool) ([]byte, error) {
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if mt != echo.MIMEApplicationJSON && !(mergePatch && mt == "application/merge-patch+json") {
		want := "application/json"
		if mergePatch {
			want += " or application/merge-patch+json"
		}
		return nil, fmt.Errorf("the body must be %s: %w", want, realty.ErrUnsupportedMediaType)
	}
	if c.Request().ContentLength > maxBody {
		return nil, &http.MaxBytesError{Limit: maxBody}
	}
	b, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: the request body could not be read", realty.ErrMalformed)
	}
	return b, nil
}

// pathID reads a numeric path parameter in its canonical spelling: "+4",
// "04" or "4.0" name no resource (each resource has one URL, for caches and
// for logs).
func pathID(c echo.Context, name string) (int64, error) {
	raw := c.Param(name)
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 || strconv.FormatInt(id, 10) != raw {
		return 0, fmt.Errorf("no such resource: %w", realty.ErrNotFound)
	}
	return id, nil
}

// etag is the strong entity tag of a property version.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatch reads If-Match: 0 when absent or "*", else the version it names.
// A weak or unparseable tag can never match strongly: 412.
func ifMatch(c echo.Context) (int64, error) {
	h := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	v, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	if err != nil || v < 1 || !strings.HasPrefix(h, `"`) || !strings.HasSuffix(h, `"`) || len(h) < 3 {
		return 0, newProblem(http.StatusPreconditionFailed, "precondition_failed",
			`If-Match must be one strong entity tag as sent in ETag, such as "3"`)
	}
	return v, nil
}

// queryParams lists the query parameters each route takes (by route
// template); every other route takes none.
var queryParams = map[string][]string{
	"/v1/properties": {"city", "type", "owner_id", "q", "status", "transaction", "min_price", "max_price",
		"min_rooms", "max_rooms", "min_area", "max_area", "feature", "sort", "limit", "cursor", "include"},
	"/v1/cities":                 {"prefix", "limit", "cursor"},
	"/v1/properties/:id/history": {"limit", "cursor"},
}

// strictQuery refuses, with 400, a query parameter the route does not take:
// ?ctiy=lyon would otherwise list every city's properties without a word.
func (s *Server) strictQuery(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().URL.RawQuery == "" || c.Path() == "" { // no query, or no route: 404 says it
			return next(c)
		}
		takes := queryParams[c.Path()]
		var bad []realty.FieldError
		for name := range c.QueryParams() {
			if !slices.Contains(takes, name) {
				msg := "is not a query parameter of this route, which takes none"
				if len(takes) > 0 {
					msg = "is not a query parameter of this route, which takes " + strings.Join(takes, ", ")
				}
				bad = append(bad, realty.FieldError{Field: name, Message: msg})
			}
		}
		if len(bad) == 0 {
			return next(c)
		}
		slices.SortFunc(bad, func(a, b realty.FieldError) int { return strings.Compare(a.Field, b.Field) })
		p := newProblem(http.StatusBadRequest, "validation_failed", "unknown query parameter: "+bad[0].Field)
		p.Errors = bad
		return p
	}
}

// queryLimit reads the page size of a list: 0 when absent.
func queryLimit(c echo.Context) (int, error) {
	q := c.QueryParams()
	if !q.Has("limit") {
		return 0, nil
	}
	n, err := strconv.Atoi(q.Get("limit"))
	if err != nil || n < 1 {
		return 0, realty.Invalid("limit", "must be a whole number from 1 to 100")
	}
	return n, nil
}

// listFilter reads the query of GET /v1/properties. type, status and
// feature may be repeated.
func listFilter(c echo.Context) (realty.PropertyFilter, error) {
	q := c.QueryParams()
	f := realty.PropertyFilter{City: q.Get("city"), Search: q.Get("q"), Cursor: q.Get("cursor"),
		Transaction: realty.Transaction(q.Get("transaction")), Features: q["feature"], Sort: realty.Sort(q.Get("sort"))}
	for _, t := range q["type"] {
		f.Types = append(f.Types, realty.PropertyType(t))
	}
	for _, st := range q["status"] {
		f.Statuses = append(f.Statuses, realty.ListingStatus(st))
	}
	var bad realty.Problems
	n, err := queryLimit(c)
	bad.Merge("", err)
	f.Limit = n
	if s := q.Get("owner_id"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			bad.Add("owner_id", "must be a user id")
		}
		f.OwnerID = n
	}
	amount := func(name string) *realty.Price {
		if !q.Has(name) {
			return nil
		}
		v, err := realty.ParsePrice(q.Get(name))
		if err != nil {
			bad.Add(name, "must be an amount with at most 2 decimals")
			return nil
		}
		return &v
	}
	f.MinPrice, f.MaxPrice = amount("min_price"), amount("max_price")
	for name, dst := range map[string]**int{"min_rooms": &f.MinRooms, "max_rooms": &f.MaxRooms} {
		if q.Has(name) {
			v, err := strconv.Atoi(q.Get(name))
			if err != nil {
				bad.Add(name, "must be a whole number")
				continue
			}
			*dst = &v
		}
	}
	for name, dst := range map[string]**realty.Area{"min_area": &f.MinArea, "max_area": &f.MaxArea} {
		if q.Has(name) {
			v, err := realty.ParseArea(q.Get(name))
			if err != nil {
				bad.Add(name, "must be a number of m² with at most 2 decimals")
				continue
			}
			*dst = &v
		}
	}
	return f, bad.Err()
}
