package server_test

import (
	"context"
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

// BenchmarkHTTP measures the hot read paths through the whole HTTP layer
// (routing, middleware, the service, the store, JSON), without a network:
// GET /v1/properties?city=lyon (a page of 20) and GET /v1/properties/{id}.
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
	}
}
