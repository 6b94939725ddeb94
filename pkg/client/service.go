package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/realtyhq/realty/pkg/realty"
)

func id(n int64) string { return strconv.FormatInt(n, 10) }

// Register creates a user.
func (c *Client) Register(ctx context.Context, in realty.NewUser) (realty.User, error) {
	var u realty.User
	err := c.do(ctx, request{method: http.MethodPost, path: "/v1/users", body: in}, &u)
	return u, err
}

// Login opens a session; act for it with ForToken (or the WithToken option).
func (c *Client) Login(ctx context.Context, in realty.Credentials) (realty.Session, error) {
	var s realty.Session
	err := c.do(ctx, request{method: http.MethodPost, path: "/v1/auth/tokens", body: in}, &s)
	return s, err
}

// Logout revokes the client's token.
func (c *Client) Logout(ctx context.Context) error {
	return c.do(ctx, request{method: http.MethodDelete, path: "/v1/auth/tokens/current"}, nil)
}

// Me returns the acting user's full profile.
func (c *Client) Me(ctx context.Context) (realty.User, error) {
	var u realty.User
	err := c.do(ctx, request{method: http.MethodGet, path: "/v1/users/me"}, &u)
	return u, err
}

// UpdateMe changes the acting user's profile.
func (c *Client) UpdateMe(ctx context.Context, in realty.UserPatch) (realty.User, error) {
	var u realty.User
	err := c.do(ctx, request{method: http.MethodPatch, path: "/v1/users/me", body: in, patch: true}, &u)
	return u, err
}

// DeleteAccount deletes the acting user and all that is theirs.
func (c *Client) DeleteAccount(ctx context.Context, in realty.AccountDeletion) error {
	return c.do(ctx, request{method: http.MethodPost, path: "/v1/users/me/deletion", body: in}, nil)
}

// ChangePassword changes the acting user's password.
func (c *Client) ChangePassword(ctx context.Context, in realty.PasswordChange) error {
	return c.do(ctx, request{method: http.MethodPut, path: "/v1/users/me/password", body: in}, nil)
}

// User returns a user's public profile.
func (c *Client) User(ctx context.Context, userID int64) (realty.PublicUser, error) {
	var u realty.PublicUser
	err := c.do(ctx, request{method: http.MethodGet, path: "/v1/users/" + id(userID)}, &u)
	return u, err
}

// CreateProperty registers a property with its rooms.
func (c *Client) CreateProperty(ctx context.Context, in realty.NewProperty) (realty.Property, error) {
	var p realty.Property
	err := c.do(ctx, request{method: http.MethodPost, path: "/v1/properties", body: in, create: true}, &p)
	return p, err
}

// ImportProperties creates many properties in one request (see
// realty.Service for how the server writes them).
func (c *Client) ImportProperties(ctx context.Context, in []realty.NewProperty) ([]int64, error) {
	var out struct {
		IDs []int64 `json:"ids"`
	}
	body := struct {
		Properties []realty.NewProperty `json:"properties"`
	}{in}
	err := c.do(ctx, request{method: http.MethodPost, path: "/v1/properties/batch", body: body, create: true}, &out)
	return out.IDs, err
}

// Property returns one property with its rooms.
func (c *Client) Property(ctx context.Context, propertyID int64) (realty.Property, error) {
	var p realty.Property
	err := c.do(ctx, request{method: http.MethodGet, path: "/v1/properties/" + id(propertyID)}, &p)
	return p, err
}

// Properties lists a page of properties.
func (c *Client) Properties(ctx context.Context, f realty.PropertyFilter) (realty.Page[realty.PropertySummary], error) {
	var p realty.Page[realty.PropertySummary]
	err := c.do(ctx, request{method: http.MethodGet, path: "/v1/properties", query: listQuery(f)}, &p)
	return p, err
}

// PropertiesWithRooms lists properties with their rooms (include=rooms).
func (c *Client) PropertiesWithRooms(ctx context.Context, f realty.PropertyFilter) (realty.Page[realty.Property], error) {
	q := listQuery(f)
	q.Set("include", "rooms")
	var p realty.Page[realty.Property]
	err := c.do(ctx, request{method: http.MethodGet, path: "/v1/properties", query: q}, &p)
	return p, err
}

// listQuery is the list route's query of a filter.
func listQuery(f realty.PropertyFilter) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"city": f.City, "q": f.Search, "transaction": string(f.Transaction),
		"sort": string(f.Sort), "cursor": f.Cursor} {
		if v != "" {
			q.Set(k, v)
		}
	}
	for _, t := range f.Types {
		q.Add("type", string(t))
	}
	for _, st := range f.Statuses {
		q.Add("status", string(st))
	}
	for _, ft := range f.Features {
		q.Add("feature", ft)
	}
	if f.OwnerID != 0 {
		q.Set("owner_id", id(f.OwnerID))
	}
	if f.Limit != 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	for k, v := range map[string]*realty.Price{"min_price": f.MinPrice, "max_price": f.MaxPrice} {
		if v != nil {
			q.Set(k, v.String())
		}
	}
	for k, v := range map[string]*int{"min_rooms": f.MinRooms, "max_rooms": f.MaxRooms} {
		if v != nil {
			q.Set(k, strconv.Itoa(*v))
		}
	}
	for k, v := range map[string]*realty.Area{"min_area": f.MinArea, "max_area": f.MaxArea} {
		if v != nil {
			q.Set(k, v.String())
		}
	}
	return q
}

// UpdateProperty changes the owner's property (If-Match when ifVersion > 0).
func (c *Client) UpdateProperty(ctx context.Context, propertyID int64, in realty.PropertyPatch, ifVersion int64) (realty.Property, error) {
	var p realty.Property
	err := c.do(ctx, request{method: http.MethodPatch, path: "/v1/properties/" + id(propertyID), body: in,
		patch: true, ifVersion: ifVersion}, &p)
	return p, err
}

// DeleteProperty deletes the owner's property.
func (c *Client) DeleteProperty(ctx context.Context, propertyID int64, ifVersion int64) error {
	return c.do(ctx, request{method: http.MethodDelete, path: "/v1/properties/" + id(propertyID), ifVersion: ifVersion}, nil)
}

// AddRoom appends a room to the owner's property.
func (c *Client) AddRoom(ctx context.Context, propertyID int64, in realty.NewRoom, ifVersion int64) (realty.Room, error) {
	var r realty.Room
	err := c.do(ctx, request{method: http.MethodPost, path: "/v1/properties/" + id(propertyID) + "/rooms", body: in,
		ifVersion: ifVersion, create: true}, &r)
	return r, err
}

// UpdateRoom changes a room of the owner's property.
func (c *Client) UpdateRoom(ctx context.Context, propertyID, roomID int64, in realty.RoomPatch, ifVersion int64) (realty.Room, error) {
	var r realty.Room
	err := c.do(ctx, request{method: http.MethodPatch, path: "/v1/properties/" + id(propertyID) + "/rooms/" + id(roomID),
		body: in, patch: true, ifVersion: ifVersion}, &r)
	return r, err
}

// RemoveRoom removes a room of the owner's property and returns the
// property's new version (from the response's ETag).
func (c *Client) RemoveRoom(ctx context.Context, propertyID, roomID int64, ifVersion int64) (int64, error) {
	var version int64
	err := c.do(ctx, request{method: http.MethodDelete, path: "/v1/properties/" + id(propertyID) + "/rooms/" + id(roomID),
		ifVersion: ifVersion, etag: &version}, nil)
	return version, err
}

// Cities lists the cities that have properties, with their counts, a page at a time.
func (c *Client) Cities(ctx context.Context, f realty.CityFilter) (realty.Page[realty.CityCount], error) {
	q := url.Values{}
	if f.Prefix != "" {
		q.Set("prefix", f.Prefix)
	}
	if f.Limit != 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	if f.Cursor != "" {
		q.Set("cursor", f.Cursor)
	}
	var page realty.Page[realty.CityCount]
	err := c.do(ctx, request{method: http.MethodGet, path: "/v1/cities", query: q}, &page)
	return page, err
}

// PropertyHistory lists a property's events, newest first.
func (c *Client) PropertyHistory(ctx context.Context, propertyID int64, f realty.HistoryFilter) (realty.Page[realty.PropertyEvent], error) {
	q := url.Values{}
	if f.Limit != 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	if f.Cursor != "" {
		q.Set("cursor", f.Cursor)
	}
	var page realty.Page[realty.PropertyEvent]
	err := c.do(ctx, request{method: http.MethodGet, path: "/v1/properties/" + id(propertyID) + "/history", query: q}, &page)
	return page, err
}
