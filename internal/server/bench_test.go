package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/realtyhq/realty/internal/server"
	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/pkg/realty"
)

// BenchmarkHTTP measures the hot paths through the whole HTTP layer
// (routing, middleware, the service, the store, JSON), without a network:
// GET /v1/properties?city=lyon (a page of 20), GET /v1/properties/{id},
// POST /v1/properties (5 rooms, 3 features) and POST
// /v1/properties/batch (1000 properties of 3 rooms; ns/op is per batch).
//
//	go test ./internal/server -run '^$' -bench HTTP -benchmem
func BenchmarkHTTP(b *testing.B) {
	for _, dialect := range testdb.Dialects {
		core, err := service.New(testdb.Open(b, dialect), service.WithArgon2(service.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}))
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		if _, err := core.For("").Register(ctx, realty.NewUser{Email: "b@example.com", Password: "long enough", FirstName: "B", LastName: "C"}); err != nil {
			b.Fatal(err)
		}
		s, err := core.For("").Login(ctx, realty.Credentials{Email: "b@example.com", Password: "long enough"})
		if err != nil {
			b.Fatal(err)
		}
		area := realty.Area(1250)
		in := make([]realty.NewProperty, 1000)
		for i := range in {
			in[i] = realty.NewProperty{Name: fmt.Sprint("Property ", i), Type: "house", City: []string{"Lyon", "Paris", "Nantes", "Lille", "Nice"}[i%5],
				Description: "Bright and quiet", Rooms: []realty.NewRoom{{Type: "bedroom", Area: &area, Features: []string{"balcony"}},
					{Type: "kitchen", Area: &area}, {Type: "bathroom"}}}
		}
		ids, err := core.For(s.Token).ImportProperties(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		// The access log is on, in JSON, as in production (to io.Discard).
		h := server.New(core, server.Config{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}).Handler()
		for _, path := range []string{"/v1/properties?city=lyon", fmt.Sprintf("/v1/properties/%d", ids[500])} {
			b.Run(dialect+path, func(b *testing.B) {
				for b.Loop() {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
					if rec.Code != 200 {
						b.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
					}
				}
			})
		}
		batch, err := json.Marshal(map[string]any{"properties": in})
		if err != nil {
			b.Fatal(err)
		}
		for path, body := range map[string][]byte{"/v1/properties": []byte(createBody), "/v1/properties/batch": batch} {
			b.Run(dialect+"/POST"+path, func(b *testing.B) {
				for b.Loop() {
					rec := httptest.NewRecorder()
					req := httptest.NewRequest("POST", path, bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+s.Token)
					h.ServeHTTP(rec, req)
					if rec.Code != 201 {
						b.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
					}
				}
			})
		}
	}
}

// createBody is a property of five rooms, three features among them.
const createBody = `{"name":"Bench flat","description":"Bright flat near the river","type":"apartment","city":"Lyon",
"rooms":[{"type":"living_room","area":32.5,"level":3,"features":["balcony","fireplace"]},
{"type":"kitchen","area":12,"level":3},{"type":"bedroom","area":14.25,"level":3,"features":["view"]},
{"type":"bedroom","area":11,"level":3},{"type":"bathroom","area":6.5,"level":3}]}`
