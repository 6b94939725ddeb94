// Command seed fills a realty database with synthetic properties through
// realty.Service, for load tests: go run ./scripts/loadtest/seed -db URL -n 100000
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/store"
	"github.com/realtyhq/realty/pkg/realty"
)

// Cities is the cities' list: the load test filters on the first one.
var cities = []string{"Lyon", "Paris", "Marseille", "Toulouse", "Nice", "Nantes", "Montpellier", "Strasbourg",
	"Bordeaux", "Lille", "Rennes", "Reims", "Saint-Étienne", "Toulon", "Le Havre", "Grenoble", "Dijon", "Angers",
	"Nîmes", "Villeurbanne", "Clermont-Ferrand", "Le Mans", "Aix-en-Provence", "Brest", "Tours", "Amiens",
	"Limoges", "Annecy", "Perpignan", "Boulogne-Billancourt", "Metz", "Besançon", "Orléans", "Saint-Denis",
	"Argenteuil", "Rouen", "Mulhouse", "Montreuil", "Caen", "Nancy"}

func main() {
	dbURL := flag.String("db", "", "database URL (sqlite:PATH or mysql://...)")
	n := flag.Int("n", 100000, "properties to create")
	workers := flag.Int("workers", 8, "concurrent writers")
	flag.Parse()
	if err := run(*dbURL, *n, *workers); err != nil {
		log.Fatal(err)
	}
}

func run(dbURL string, n, workers int) error {
	ctx := context.Background()
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	core, err := service.New(st)
	if err != nil {
		return err
	}
	anon := core.For("")
	creds := realty.Credentials{Email: "seed@example.com", Password: "seed-password"}
	_, err = anon.Register(ctx, realty.NewUser{Email: creds.Email, Password: creds.Password, FirstName: "Seed", LastName: "Owner"})
	if err != nil && !errors.Is(err, realty.ErrConflict) {
		return err
	}
	s, err := anon.Login(ctx, creds)
	if err != nil {
		return err
	}
	owner := core.For(s.Token)
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				if _, err := owner.CreateProperty(ctx, property(rng, i)); err != nil {
					errs <- err
					return
				}
				if i%10000 == 0 {
					fmt.Fprintf(os.Stderr, "%d properties, %.0f/s\n", i, float64(i)/time.Since(start).Seconds())
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "created %d properties in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}

func property(rng *rand.Rand, i int64) realty.NewProperty {
	rooms := make([]realty.NewRoom, 1+rng.IntN(4))
	for j := range rooms {
		a := realty.Area(800 + rng.IntN(3000))
		rooms[j] = realty.NewRoom{Type: realty.RoomTypes[rng.IntN(len(realty.RoomTypes))], Area: &a}
	}
	return realty.NewProperty{Name: fmt.Sprintf("Property %d", i), Type: realty.PropertyTypes[rng.IntN(len(realty.PropertyTypes))],
		City: cities[rng.IntN(len(cities))], Description: "Synthetic property for load tests", Rooms: rooms}
}
