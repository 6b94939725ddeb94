package service_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/realtyhq/realty/internal/ratelimit"
	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/pkg/realty"
)

// BenchmarkCreateProperty measures creating a property with five rooms, two
// of them with features (POST /v1/properties without HTTP): the token check,
// the transaction and the answer.
//
//	go test ./internal/service -run '^$' -bench CreateProperty -benchmem
//
// The -limited runs have the write limit of 'realty serve' on (far from
// reached): its bucket is in the process on SQLite, a row of the database
// on MySQL (one more transaction per write). The -keyed runs send each
// create with a new idempotency key, as pkg/client does: one more read
// and one more row.
func BenchmarkCreateProperty(b *testing.B) {
	limited := service.WithLimits(service.Limits{Writes: ratelimit.Limit{PerMinute: 1 << 30, Burst: 1 << 30}})
	for _, run := range []string{"", "-limited", "-keyed"} {
		for _, dialect := range testdb.Dialects {
			b.Run(dialect+run, func(b *testing.B) {
				opts := []service.Option{cheap}
				if run == "-limited" {
					opts = append(opts, limited)
				}
				benchmarkCreate(b, newCore(b, testdb.Open(b, dialect), opts...), run == "-keyed")
			})
		}
	}
}

func benchmarkCreate(b *testing.B, core *service.Core, keyed bool) {
	s := register(b, core, "bench@example.com")
	svc := core.For(s.Token)
	area := realty.Area(1250)
	in := realty.NewProperty{Name: "Bench", Type: "house", City: "Lyon", Rooms: []realty.NewRoom{
		{Type: "living_room", Area: &area, Features: []string{"fireplace", "south-facing"}},
		{Type: "kitchen", Area: &area}, {Type: "bedroom", Area: &area, Features: []string{"balcony"}},
		{Type: "bedroom"}, {Type: "bathroom"}}}
	i := 0
	for b.Loop() {
		ctx := context.Background()
		if keyed {
			i++
			ctx = realty.WithIdempotencyKey(ctx, fmt.Sprint("bench-", i))
		}
		if _, err := svc.CreateProperty(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportProperties measures a batch import of 1000 properties of
// two rooms each, one with a feature (realty demo --properties, POST
// /v1/properties/batch without HTTP); ns/op is per batch.
//
//	go test ./internal/service -run '^$' -bench ImportProperties -benchmem
func BenchmarkImportProperties(b *testing.B) {
	for _, dialect := range testdb.Dialects {
		b.Run(dialect, func(b *testing.B) {
			core := newCore(b, testdb.Open(b, dialect), cheap)
			s := register(b, core, "bench@example.com")
			svc := core.For(s.Token)
			batch := make([]realty.NewProperty, realty.MaxImport)
			for i := range batch {
				a1, a2, lvl := realty.Area(900+i), realty.Area(500+i), i%6
				batch[i] = realty.NewProperty{Name: "Bench", Type: "apartment", City: "Lyon", Rooms: []realty.NewRoom{
					{Type: "living_room", Area: &a1, Level: &lvl, Features: []string{"balcony"}},
					{Type: "bedroom", Area: &a2, Level: &lvl}}}
			}
			for b.Loop() {
				if _, err := svc.ImportProperties(context.Background(), batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N*len(batch))*1e6, "µs/property")
		})
	}
}
