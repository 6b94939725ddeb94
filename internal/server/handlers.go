package server

import (
	"cmp"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/realtyhq/realty/pkg/realty"
)

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz says whether the server can serve, and if not why, in the terms of
// the problem it would answer (never the driver's words).
func (s *Server) readyz(c echo.Context) error {
	err := s.b.Ready(c.Request().Context())
	if err == nil {
		return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
	}
	s.log.Warn("not ready", "error", err)
	why := toProblem(err)
	p := newProblem(http.StatusServiceUnavailable, why.Code, "not ready: "+why.Detail)
	if why.Status < 500 || why.Code == "internal" {
		p = newProblem(http.StatusServiceUnavailable, "unavailable", "not ready: the database cannot be used now")
	}
	p.retryAfter = cmp.Or(why.retryAfter, "2")
	return p
}

func created(c echo.Context, location string, body any) error {
	c.Response().Header().Set(echo.HeaderLocation, location)
	return c.JSON(http.StatusCreated, body)
}

// Users and sessions.

func (s *Server) register(c echo.Context) error {
	var in realty.NewUser
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	if err := s.allowSignup(c); err != nil {
		return err
	}
	u, err := s.svc(c).Register(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return created(c, "/v1/users/"+strconv.FormatInt(u.ID, 10), u)
}

func (s *Server) me(c echo.Context) error {
	u, err := s.svc(c).Me(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return c.JSON(http.StatusOK, u)
}

func (s *Server) updateMe(c echo.Context) error {
	var in realty.UserPatch
	if err := decodePatch(c, &in, patchRules{notNull: []string{"email", "first_name", "last_name"}}); err != nil {
		return err
	}
	u, err := s.svc(c).UpdateMe(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (s *Server) changePassword(c echo.Context) error {
	var in realty.PasswordChange
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	if err := s.svc(c).ChangePassword(c.Request().Context(), in); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) deleteAccount(c echo.Context) error {
	var in realty.AccountDeletion
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	if err := s.svc(c).DeleteAccount(c.Request().Context(), in); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) user(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.svc(c).User(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (s *Server) login(c echo.Context) error {
	var in realty.Credentials
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	if err := s.allowLogin(c, realty.NormalizeEmail(in.Email)); err != nil {
		return err
	}
	sess, err := s.svc(c).Login(c.Request().Context(), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, sess)
}

func (s *Server) logout(c echo.Context) error {
	if err := s.svc(c).Logout(c.Request().Context()); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// Properties and rooms.

func (s *Server) listProperties(c echo.Context) error {
	f, err := listFilter(c)
	if err != nil {
		return err
	}
	switch c.QueryParam("include") {
	case "":
	case "rooms": // each property with its rooms: one more query a page
		page, err := s.svc(c).PropertiesWithRooms(c.Request().Context(), f)
		if err != nil {
			return err
		}
		linkNext(c, page.NextCursor)
		return c.JSON(http.StatusOK, wirePage(page))
	default:
		return realty.Invalid("include", "must be rooms")
	}
	page, err := s.svc(c).Properties(c.Request().Context(), f)
	if err != nil {
		return err
	}
	linkNext(c, page.NextCursor)
	return c.JSON(http.StatusOK, wirePage(page))
}

func propertyLocation(id int64) string { return "/v1/properties/" + strconv.FormatInt(id, 10) }

func (s *Server) createProperty(c echo.Context) error {
	var in realty.NewProperty
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	p, err := s.svc(c).CreateProperty(c.Request().Context(), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(p.Version))
	return created(c, propertyLocation(p.ID), p)
}

func (s *Server) importProperties(c echo.Context) error {
	var in struct {
		Properties []realty.NewProperty `json:"properties"`
	}
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	ids, err := s.svc(c).ImportProperties(c.Request().Context(), in.Properties)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string][]int64{"ids": ids})
}

func (s *Server) getProperty(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := s.svc(c).Property(c.Request().Context(), id)
	if err != nil {
		return err
	}
	tag := etag(p.Version)
	c.Response().Header().Set("ETag", tag)
	if c.Request().Header.Get("If-None-Match") == tag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.JSON(http.StatusOK, p)
}

func (s *Server) updateProperty(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	var in realty.PropertyPatch
	rules := patchRules{notNull: []string{"name", "type", "city"}, clear: map[string]func(){
		"description": func() { in.Description = ptr("") },
		"currency":    func() { in.Currency = ptr(realty.DefaultCurrency) },
		"status":      func() { in.Status = ptr(realty.DefaultStatus) },
	}}
	if err := decodePatch(c, &in, rules); err != nil {
		return err
	}
	p, err := s.svc(c).UpdateProperty(c.Request().Context(), id, in, version)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(p.Version))
	return c.JSON(http.StatusOK, p)
}

func (s *Server) deleteProperty(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	if err := s.svc(c).DeleteProperty(c.Request().Context(), id, version); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) addRoom(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	var in realty.NewRoom
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	r, err := s.svc(c).AddRoom(c.Request().Context(), id, in, version)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(r.PropertyVersion))
	return created(c, propertyLocation(id)+"/rooms/"+strconv.FormatInt(r.ID, 10), r)
}

func (s *Server) room(c echo.Context) error {
	id, roomID, err := roomPath(c)
	if err != nil {
		return err
	}
	p, err := s.svc(c).Property(c.Request().Context(), id)
	if err != nil {
		return err
	}
	for _, r := range p.Rooms {
		if r.ID == roomID {
			c.Response().Header().Set("ETag", etag(p.Version)) // the property's, as If-Match on room writes takes
			return c.JSON(http.StatusOK, r)
		}
	}
	return fmt.Errorf("room %d of property %d: %w", roomID, id, realty.ErrNotFound)
}

func (s *Server) updateRoom(c echo.Context) error {
	id, roomID, err := roomPath(c)
	if err != nil {
		return err
	}
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	var in realty.RoomPatch
	rules := patchRules{notNull: []string{"type"}, clear: map[string]func(){
		"name":        func() { in.Name = ptr("") },
		"description": func() { in.Description = ptr("") },
		"features":    func() { in.Features = &[]string{} },
	}}
	if err := decodePatch(c, &in, rules); err != nil {
		return err
	}
	r, err := s.svc(c).UpdateRoom(c.Request().Context(), id, roomID, in, version)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(r.PropertyVersion))
	return c.JSON(http.StatusOK, r)
}

func (s *Server) removeRoom(c echo.Context) error {
	id, roomID, err := roomPath(c)
	if err != nil {
		return err
	}
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	newVersion, err := s.svc(c).RemoveRoom(c.Request().Context(), id, roomID, version)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(newVersion)) // the property's: for the next change
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) propertyHistory(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	f := realty.HistoryFilter{Cursor: c.QueryParam("cursor")}
	if f.Limit, err = queryLimit(c); err != nil {
		return err
	}
	page, err := s.svc(c).PropertyHistory(c.Request().Context(), id, f)
	if err != nil {
		return err
	}
	linkNext(c, page.NextCursor)
	return c.JSON(http.StatusOK, wirePage(page))
}

func (s *Server) cities(c echo.Context) error {
	q := c.QueryParams()
	f := realty.CityFilter{Prefix: q.Get("prefix"), Cursor: q.Get("cursor")}
	var err error
	if f.Limit, err = queryLimit(c); err != nil {
		return err
	}
	page, err := s.svc(c).Cities(c.Request().Context(), f)
	if err != nil {
		return err
	}
	linkNext(c, page.NextCursor)
	return c.JSON(http.StatusOK, wirePage(page))
}

// pageJSON is a page as the API writes it, a plain struct encoded in one
// pass: realty.Page's MarshalJSON (which the CLI's --json uses) marshals in
// a pass of its own, whose output encoding/json then scans again.
type pageJSON[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func wirePage[T any](p realty.Page[T]) pageJSON[T] {
	out := pageJSON[T]{Items: p.Items}
	if out.Items == nil {
		out.Items = []T{}
	}
	if p.NextCursor != "" {
		out.NextCursor = &p.NextCursor
	}
	return out
}

// linkNext sends the next page's address in a Link header (RFC 8288), as a
// reference relative to the request: the same path and query, the cursor
// replaced. Nothing on the last page.
func linkNext(c echo.Context, cursor string) {
	if cursor == "" {
		return
	}
	q := c.Request().URL.Query()
	q.Set("cursor", cursor)
	c.Response().Header().Set("Link", "<"+c.Request().URL.Path+"?"+q.Encode()+`>; rel="next"`)
}

// roomPath reads the property and room ids of a room's path.
func roomPath(c echo.Context) (id, roomID int64, err error) {
	if id, err = pathID(c, "id"); err != nil {
		return 0, 0, err
	}
	roomID, err = pathID(c, "room_id")
	return id, roomID, err
}

func ptr[T any](v T) *T { return &v }
