package tui_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/internal/tui"
	"github.com/realtyhq/realty/pkg/realty"
)

// benchService opens the database named by REALTY_BENCH_DB (e.g. one made
// with 'realty demo --properties 1000000'), or seeds 20 000 properties.
//
//	REALTY_BENCH_DB=sqlite:/tmp/big/realty.db go test ./internal/tui -run '^$' -bench .
func benchService(b *testing.B) realty.Service {
	ctx := context.Background()
	var st *store.Store
	if u := os.Getenv("REALTY_BENCH_DB"); u != "" {
		var err error
		if st, err = store.Open(ctx, u); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
	} else {
		st = testdb.Open(b, "sqlite")
	}
	core, err := service.New(st)
	if err != nil {
		b.Fatal(err)
	}
	svc := core.For("")
	if os.Getenv("REALTY_BENCH_DB") == "" {
		_, _ = svc.Register(ctx, realty.NewUser{Email: "b@example.com", Password: "password-b", FirstName: "B", LastName: "B"})
		s, err := svc.Login(ctx, realty.Credentials{Email: "b@example.com", Password: "password-b"})
		if err != nil {
			b.Fatal(err)
		}
		for i := range 20 {
			batch := make([]realty.NewProperty, realty.MaxImport)
			for j := range batch {
				batch[j] = realty.NewProperty{Name: fmt.Sprint("P", i*1000+j), Type: "studio", City: "Lyon"}
			}
			if _, err := core.For(s.Token).ImportProperties(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
	}
	return svc
}

// BenchmarkFirstScreen: from starting the model to the first screen drawn
// with its first page of properties.
func BenchmarkFirstScreen(b *testing.B) {
	svc := benchService(b)
	for b.Loop() {
		d := &driver{t: &testing.T{}, m: tui.New(context.Background(), tui.Config{Service: svc, Where: "bench"})}
		d.process(tea.WindowSizeMsg{Width: 80, Height: 24})
		d.run(d.m.Init())
		if v := d.screen(); len(v) < 100 {
			b.Fatalf("no first screen: %q", v)
		}
	}
}

// BenchmarkScroll: one key press down the list, page loads included (one
// every 100 rows), drawing the screen after each.
func BenchmarkScroll(b *testing.B) {
	svc := benchService(b)
	d := &driver{t: &testing.T{}, m: tui.New(context.Background(), tui.Config{Service: svc, Where: "bench"})}
	d.process(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.run(d.m.Init())
	down := tea.KeyPressMsg{Code: tea.KeyDown}
	for b.Loop() {
		d.process(down)
		_ = d.screen()
	}
}
