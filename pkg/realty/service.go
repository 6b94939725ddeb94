package realty

import "context"

// Service is every feature of realty. A Service value acts for one identity
// (or for nobody): the caller never passes a user id it could forge. Methods
// that write need that identity and fail with ErrUnauthenticated without it.
//
// Errors wrap ErrNotFound, ErrUnauthenticated, ErrForbidden, ErrConflict,
// ErrPrecondition or ErrUnavailable, or are a *ValidationError.
type Service interface {
	// Register creates a user. The email must not be taken (ErrConflict).
	Register(ctx context.Context, in NewUser) (User, error)
	// Login checks credentials and opens a session whose token identifies the
	// user in later Service values.
	Login(ctx context.Context, in Credentials) (Session, error)
	// Logout revokes the token this Service acts with.
	Logout(ctx context.Context) error
	// Me returns the acting user's full profile.
	Me(ctx context.Context) (User, error)
	// UpdateMe changes the acting user's profile.
	UpdateMe(ctx context.Context, in UserPatch) (User, error)
	// ChangePassword checks the current password, sets the new one and revokes
	// every other token of the user.
	ChangePassword(ctx context.Context, in PasswordChange) error
	// DeleteAccount checks the password and deletes the acting user and all
	// that is theirs: their properties with rooms and history, their
	// sessions and idempotency keys (the right to erasure). Their email can
	// be registered again.
	DeleteAccount(ctx context.Context, in AccountDeletion) error
	// User returns anybody's public profile.
	User(ctx context.Context, id int64) (PublicUser, error)

	// CreateProperty registers a property, rooms included, owned by the
	// acting user. CreateProperty, AddRoom and ImportProperties made with an
	// idempotency key (WithIdempotencyKey) happen once per key.
	CreateProperty(ctx context.Context, in NewProperty) (Property, error)
	// ImportProperties creates many properties, rooms included, owned by the
	// acting user, and returns their ids in order; at most MaxImport per call.
	// Every property is validated before any is written: if one is invalid,
	// none is. Through a server on MySQL they are written in one transaction;
	// on SQLite, and in a local bulk load, in a few committed in order, so
	// that should the database fail midway, the error says which properties
	// were imported and stay (those before the failure). With an idempotency
	// key, in one transaction everywhere.
	ImportProperties(ctx context.Context, in []NewProperty) ([]int64, error)
	// Property returns one property with its rooms.
	Property(ctx context.Context, id int64) (Property, error)
	// Properties lists properties, filtered and paged by keyset.
	Properties(ctx context.Context, f PropertyFilter) (Page[PropertySummary], error)
	// PropertiesWithRooms lists properties as Properties does, each with its
	// rooms (the list's include=rooms): one more query a page, for exports.
	PropertiesWithRooms(ctx context.Context, f PropertyFilter) (Page[Property], error)
	// UpdateProperty changes the owner's property. A non-zero ifVersion must be
	// the current version (ErrPrecondition otherwise).
	UpdateProperty(ctx context.Context, id int64, in PropertyPatch, ifVersion int64) (Property, error)
	// DeleteProperty removes the owner's property and its rooms.
	DeleteProperty(ctx context.Context, id int64, ifVersion int64) error
	// AddRoom appends a room to the owner's property.
	AddRoom(ctx context.Context, propertyID int64, in NewRoom, ifVersion int64) (Room, error)
	// UpdateRoom changes a room of the owner's property.
	UpdateRoom(ctx context.Context, propertyID, roomID int64, in RoomPatch, ifVersion int64) (Room, error)
	// RemoveRoom removes a room of the owner's property and returns the
	// property's new version.
	RemoveRoom(ctx context.Context, propertyID, roomID int64, ifVersion int64) (int64, error)
	// PropertyHistory lists the events of a property's history, newest
	// first, a page at a time: anybody who can read the property can.
	PropertyHistory(ctx context.Context, id int64, f HistoryFilter) (Page[PropertyEvent], error)
	// Cities lists the cities that have properties, with their counts, in
	// the order of their keys, a page at a time.
	Cities(ctx context.Context, f CityFilter) (Page[CityCount], error)
}
