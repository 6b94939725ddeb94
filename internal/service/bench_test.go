package service_test

import (
	"context"
	"testing"

	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/pkg/realty"
)

// BenchmarkCreateProperty measures creating a property with five rooms, two
// of them with features (POST /v1/properties without HTTP): the token check,
// the transaction and the answer.
//
//	go test ./internal/service -run '^$' -bench CreateProperty -benchmem
func BenchmarkCreateProperty(b *testing.B) {
	for _, dialect := range testdb.Dialects {
		b.Run(dialect, func(b *testing.B) {
			core := newCore(b, testdb.Open(b, dialect), cheap)
			s := register(b, core, "bench@example.com")
			svc := core.For(s.Token)
			area := realty.Area(1250)
			in := realty.NewProperty{Name: "Bench", Type: "house", City: "Lyon", Rooms: []realty.NewRoom{
				{Type: "living_room", Area: &area, Features: []string{"fireplace", "south-facing"}},
				{Type: "kitchen", Area: &area}, {Type: "bedroom", Area: &area, Features: []string{"balcony"}},
				{Type: "bedroom"}, {Type: "bathroom"}}}
			for b.Loop() {
				if _, err := svc.CreateProperty(context.Background(), in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
