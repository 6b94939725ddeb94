package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/realtyhq/realty/internal/server"
	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/pkg/client"
	"github.com/realtyhq/realty/pkg/realty"
)

// exampleServer starts `realty serve`'s handler on a throw-away SQLite file
// (in real use: a URL such as http://localhost:8080).
func exampleServer() (url string, stop func()) {
	dir, _ := os.MkdirTemp("", "realty-example")
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "realty.db"))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	core, err := service.New(st)
	if err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewServer(server.New(core, server.Config{}).Handler())
	return ts.URL, func() { ts.Close(); st.Close(); os.RemoveAll(dir) }
}

// Register, log in, create a property and list one city's properties.
func Example() {
	url, stop := exampleServer()
	defer stop()
	ctx := context.Background()

	anon, err := client.New(url)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := anon.Register(ctx, realty.NewUser{Email: "alice@example.com", Password: "correct horse",
		FirstName: "Alice", LastName: "Martin"}); err != nil {
		log.Fatal(err)
	}
	session, err := anon.Login(ctx, realty.Credentials{Email: "alice@example.com", Password: "correct horse"})
	if err != nil {
		log.Fatal(err)
	}
	alice := anon.ForToken(session.Token)

	area := realty.Area(1250) // 12.50 m²
	p, err := alice.CreateProperty(ctx, realty.NewProperty{Name: "Maison du Pilat", Type: "house", City: "Saint-Étienne",
		Rooms: []realty.NewRoom{{Type: "bedroom", Area: &area}}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Name, "version", p.Version, "owned by", p.Owner.FirstName)

	page, err := anon.Properties(ctx, realty.PropertyFilter{City: "saint etienne"})
	if err != nil {
		log.Fatal(err)
	}
	for _, it := range page.Items {
		fmt.Printf("%s (%s): %d room, %s m²\n", it.Name, it.City, it.RoomCount, it.TotalArea)
	}

	// Only the owner may change a property: others get realty.ErrForbidden,
	// nobody gets realty.ErrUnauthenticated.
	name := "Mine now"
	_, err = anon.UpdateProperty(ctx, p.ID, realty.PropertyPatch{Name: &name}, 0)
	fmt.Println(errors.Is(err, realty.ErrUnauthenticated))
	// Output:
	// Maison du Pilat version 1 owned by Alice
	// Maison du Pilat (Saint-Étienne): 1 room, 12.5 m²
	// true
}
