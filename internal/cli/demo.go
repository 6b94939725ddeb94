package cli

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/spf13/cobra"

	"github.com/realtyhq/realty/pkg/realty"
)

// demoUser is a demo account; its password is public by design.
type demoUser struct {
	email, password, first, last string
	birth                        string
}

var demoUsers = []demoUser{
	{"alice@demo.example", "demo-alice-2026", "Alice", "Martin", "1985-02-03"},
	{"bob@demo.example", "demo-bob-2026", "Bob", "Durand", "1978-11-21"},
	{"chloe@demo.example", "demo-chloe-2026", "Chloé", "Lefèvre", "1992-07-14"},
	{"david@demo.example", "demo-david-2026", "David", "Nguyen", ""},
}

// syntheticUser owns the properties of --properties N.
var syntheticUser = demoUser{"synthetic@demo.example", "demo-synthetic-2026", "Synthetic", "Data", ""}

// demoProperty is a sample property: rooms are --room specs.
type demoProperty struct {
	owner                 int
	name, typ, city, desc string
	rooms                 []string
}

var demoProperties = []demoProperty{
	{0, "Loft Croix-Rousse", "loft", "Lyon", "Bright loft above the market, exposed beams.", []string{"living_room,area=42.5,level=4,feature=fireplace,feature=south-facing", "bedroom,name=Master bedroom,area=14.2,level=4", "kitchen,area=9.8,level=4,feature=dishwasher", "bathroom,area=6,level=4"}},
	{0, "Studio Part-Dieu", "studio", "Lyon", "Close to the station, ideal for a student.", []string{"living_room,area=19,level=2", "bathroom,area=3.5,level=2"}},
	{0, "Maison du Pilat", "house", "Saint-Étienne", "Stone house with a garden at the foot of the Pilat.", []string{"living_room,name=Séjour,area=35,level=0,feature=fireplace", "kitchen,area=14,level=0", "bedroom,area=13,level=1", "bedroom,area=11.5,level=1", "bathroom,area=7,level=1", "garage,area=18,level=0", "cellar,area=12,level=-1"}},
	{0, "Appartement Jean-Jaurès", "apartment", "Saint-Étienne", "", []string{"living_room,area=24,level=3", "bedroom,area=12,level=3", "kitchen,area=8,level=3"}},
	{0, "Villa des Calanques", "villa", "Marseille", "Sea view, pool, 10 minutes from the calanques.", []string{"living_room,area=55,level=0,feature=sea view,feature=air conditioning", "terrace,area=40,level=0,feature=sea view", "bedroom,area=16,level=1,feature=balcony", "bedroom,area=14,level=1", "bedroom,area=12,level=1", "bathroom,area=9,level=1", "kitchen,area=15,level=0"}},
	{1, "Haussmannien Batignolles", "apartment", "Paris", "Moldings, parquet floors and a balcony on the fifth floor.", []string{"living_room,area=31,level=5,feature=balcony,feature=parquet", "dining_room,area=15,level=5", "bedroom,area=13,level=5", "bedroom,area=10,level=5", "kitchen,area=8,level=5", "bathroom,area=5,level=5"}},
	{1, "Studio Montmartre", "studio", "Paris", "Under the roofs, view on the Sacré-Cœur.", []string{"living_room,area=18.5,level=6,feature=view", "bathroom,area=3,level=6"}},
	{1, "Duplex Canal Saint-Martin", "duplex", "Paris", "", []string{"living_room,area=28,level=2", "kitchen,area=7,level=2", "bedroom,area=12,level=3", "office,area=8,level=3", "bathroom,area=5,level=3"}},
	{1, "Bureaux Opéra", "office", "Paris", "Open space for twelve, meeting room.", []string{"office,name=Open space,area=85,level=1", "office,name=Meeting room,area=18,level=1", "toilet,area=3,level=1"}},
	{1, "Parking Bastille", "parking", "Paris", "Underground, secured.", nil},
	{1, "Maison de ville Chartrons", "townhouse", "Bordeaux", "Stone townhouse with a patio.", []string{"living_room,area=33,level=0,feature=patio", "kitchen,area=12,level=0", "bedroom,area=14,level=1", "bedroom,area=12,level=1", "bathroom,area=6,level=1"}},
	{2, "Chalet du Semnoz", "house", "Annecy", "Wooden chalet, lake view, ski nearby.", []string{"living_room,area=38,level=0,feature=fireplace,feature=lake view", "kitchen,area=12,level=0", "bedroom,area=12,level=1", "bedroom,area=10,level=1", "bathroom,area=6,level=1", "storage,name=Ski room,area=6,level=-1"}},
	{2, "Appartement Vieille Ville", "apartment", "Annecy", "", []string{"living_room,area=22,level=2,feature=canal view", "bedroom,area=11,level=2", "kitchen,area=6,level=2"}},
	{2, "Mas provençal", "house", "Aix-en-Provence", "Farmhouse among olive trees.", []string{"living_room,area=45,level=0,feature=fireplace", "kitchen,area=18,level=0", "bedroom,area=15,level=0", "bedroom,area=13,level=1", "bedroom,area=12,level=1", "bathroom,area=8,level=1", "terrace,area=30,level=0,feature=south-facing"}},
	{2, "Loft Confluence", "loft", "Lyon", "Former warehouse by the Saône.", []string{"living_room,area=60,level=1,feature=high ceilings", "bedroom,area=15,level=1", "bathroom,area=8,level=1"}},
	{2, "Boutique rue Mercière", "retail", "Lyon", "Shop front on a pedestrian street.", []string{"other,name=Shop,area=40,level=0", "storage,area=12,level=-1"}},
	{2, "Maison Battant", "house", "Besançon", "", []string{"living_room,area=27,level=0", "kitchen,area=10,level=0", "bedroom,area=12,level=1", "bathroom,area=5,level=1"}},
	{3, "Appartement Maison Carrée", "apartment", "Nîmes", "Facing the Roman temple.", []string{"living_room,area=26,level=3,feature=view", "bedroom,area=12,level=3", "kitchen,area=7,level=3", "bathroom,area=4.5,level=3"}},
	{3, "Entrepôt Saint-Jean-de-Braye", "warehouse", "Orléans", "Loading dock, 6 m under the roof.", []string{"storage,name=Hall,area=850,level=0", "office,area=25,level=0"}},
	{3, "Terrain Loire", "land", "Orléans", "Buildable land on the riverbank.", nil},
	{3, "Appartement Petite France", "apartment", "Strasbourg", "Half-timbered building by the canals.", []string{"living_room,area=29,level=1", "bedroom,area=13,level=1", "kitchen,area=8,level=1", "bathroom,area=5,level=1"}},
	{3, "Studio Vieux-Lille", "studio", "Lille", "", []string{"living_room,area=21,level=1", "bathroom,area=4,level=1"}},
	{3, "Villa Promenade", "villa", "Nice", "Belle Époque villa near the Promenade des Anglais.", []string{"living_room,area=48,level=0,feature=sea view", "dining_room,area=20,level=0", "bedroom,area=18,level=1,feature=balcony", "bedroom,area=15,level=1", "bathroom,area=10,level=1", "terrace,area=35,level=0"}},
	{3, "Maison Île de Nantes", "house", "Nantes", "Contemporary house with a garden.", []string{"living_room,area=36,level=0", "kitchen,area=14,level=0", "bedroom,area=13,level=1", "bedroom,area=11,level=1", "bathroom,area=7,level=1", "laundry,area=4,level=0"}},
}

// DemoOptions is what 'realty demo' works with.
type DemoOptions struct {
	Factory    *Factory // services for the demo users, who log in
	Properties int      // --properties: synthetic properties to add
}

// NewCmdDemo builds 'realty demo'; runF, when not nil, replaces demoRun.
func NewCmdDemo(f *Factory, runF func(context.Context, *DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Load demo users and properties",
		Long: `Load a sample dataset through the current backend (a database, or a server
with --server): four users with known demo passwords, printed at the end,
and two dozen properties with rooms across French cities. Running it again
adds only what is missing.

--properties N also makes N synthetic properties (owned by
synthetic@demo.example), imported in batches of 1000, to try realty on
large data; again, only those missing are added.`,
		Example: `  realty demo
  realty demo --properties 100000
  realty demo --server http://localhost:8080`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return demoRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().IntVar(&opts.Properties, "properties", 0, "also make this many synthetic properties")
	return cmd
}

func demoRun(ctx context.Context, opts *DemoOptions) error {
	f := opts.Factory
	if opts.Properties < 0 {
		return realty.Invalid("properties", "must be 0 or more")
	}
	anon, err := f.ServiceFor(ctx, "")
	if err != nil {
		return err
	}
	f.Print.Status("Preparing the demo users (their passwords are hashed: a few seconds)…")
	created := 0
	for i, u := range demoUsers {
		svc, err := demoLogin(ctx, f, anon, u)
		if err != nil {
			return err
		}
		n, err := loadDemoProperties(ctx, svc, i)
		if err != nil {
			return err
		}
		created += n
	}
	if opts.Properties > 0 {
		svc, err := demoLogin(ctx, f, anon, syntheticUser)
		if err != nil {
			return err
		}
		if err := loadSynthetic(ctx, f, svc, opts.Properties); err != nil {
			return err
		}
	}
	if existing := len(demoProperties) - created; existing > 0 {
		f.Print.Status("Added %s (%d were there already).", counted(created, "demo property", "demo properties"), existing)
	} else {
		f.Print.Status("Added %s.", counted(created, "demo property", "demo properties"))
	}
	t := newTable(f.IO, "EMAIL", "PASSWORD", "NAME")
	for _, u := range demoUsers {
		t.add(u.email, u.password, u.first+" "+u.last)
	}
	f.Print.Status("Demo users (log in with 'realty auth login --email EMAIL'):")
	return t.print()
}

// demoLogin registers the demo user if needed and returns a Service acting for it.
func demoLogin(ctx context.Context, f *Factory, anon realty.Service, u demoUser) (realty.Service, error) {
	birth, err := parseBirthDate(u.birth)
	if err != nil {
		return nil, err
	}
	_, err = anon.Register(ctx, realty.NewUser{Email: u.email, Password: u.password, FirstName: u.first, LastName: u.last, BirthDate: birth})
	if err != nil && !errors.Is(err, realty.ErrConflict) {
		return nil, err
	}
	s, err := anon.Login(ctx, realty.Credentials{Email: u.email, Password: u.password})
	if err != nil {
		return nil, fmt.Errorf("log in as the demo user %s (was its password changed?): %w", u.email, err)
	}
	return f.ServiceFor(ctx, s.Token)
}

// ownNames returns the names of the acting user's properties, and how many.
func ownNames(ctx context.Context, svc realty.Service) (map[string]bool, error) {
	me, err := svc.Me(ctx)
	if err != nil {
		return nil, err
	}
	page, err := listPages(ctx, svc, realty.PropertyFilter{OwnerID: me.ID, Limit: realty.MaxPageSize}, true)
	if err != nil {
		return nil, err
	}
	names := make(map[string]bool, len(page.Items))
	for _, p := range page.Items {
		names[p.Name] = true
	}
	return names, nil
}

func loadDemoProperties(ctx context.Context, svc realty.Service, owner int) (int, error) {
	have, err := ownNames(ctx, svc)
	if err != nil {
		return 0, err
	}
	var missing []realty.NewProperty
	for _, d := range demoProperties {
		if d.owner != owner || have[d.name] {
			continue
		}
		p := realty.NewProperty{Name: d.name, Type: realty.PropertyType(d.typ), City: d.city, Description: d.desc}
		for _, spec := range d.rooms {
			r, err := ParseRoomSpec(spec)
			if err != nil {
				return 0, fmt.Errorf("demo data: %w", err)
			}
			p.Rooms = append(p.Rooms, r)
		}
		withTerms(&p, len(missing)+7*owner)
		missing = append(missing, p)
	}
	if len(missing) == 0 {
		return 0, nil
	}
	_, err = svc.ImportProperties(ctx, missing)
	return len(missing), err
}

var syntheticCities = []string{"Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Montpellier", "Strasbourg",
	"Bordeaux", "Lille", "Rennes", "Reims", "Saint-Étienne", "Le Havre", "Grenoble", "Dijon", "Angers", "Nîmes",
	"Villeurbanne", "Clermont-Ferrand", "Aix-en-Provence", "Brest", "Tours", "Amiens", "Limoges", "Annecy",
	"Perpignan", "Metz", "Besançon", "Orléans", "Rouen", "Mulhouse", "Caen", "Nancy", "Avignon", "Poitiers"}

// syntheticProperty is the i-th synthetic property: deterministic, so that
// a second run recognises what exists by name.
func syntheticProperty(i int) realty.NewProperty {
	a1, a2 := realty.Area(900+(i*37)%2500), realty.Area(500+(i*53)%1500)
	lvl := i % 6
	p := realty.NewProperty{
		Name: syntheticName(i),
		Type: realty.PropertyTypes[i%len(realty.PropertyTypes)], City: syntheticCities[i%len(syntheticCities)],
		Rooms: []realty.NewRoom{
			{Type: "living_room", Area: &a1, Level: &lvl, Features: []string{[]string{"balcony", "fireplace", "view", "quiet"}[i%4]}},
			{Type: realty.RoomTypes[i%len(realty.RoomTypes)], Area: &a2, Level: &lvl},
		},
	}
	// 2 to 6 rooms, 4 on average: a kitchen, a bathroom, bedrooms.
	for j := range i % 5 {
		a := realty.Area(600 + (i*17+j*131)%1200)
		p.Rooms = append(p.Rooms, realty.NewRoom{Type: []realty.RoomType{"kitchen", "bathroom", "bedroom", "bedroom"}[j],
			Area: &a, Level: &lvl})
	}
	withTerms(&p, i)
	return p
}

// pricesPerM2 are rough asking prices in euros per m² in 2025-2026, for a
// sale and for a month's rent, by city (the demo's and the synthetic data's).
var pricesPerM2 = map[string][2]float64{
	"Paris": {10000, 30}, "Nice": {5500, 20}, "Annecy": {5800, 18}, "Lyon": {5000, 16}, "Aix-en-Provence": {5200, 18},
	"Bordeaux": {4600, 15}, "Villeurbanne": {4000, 15}, "Rennes": {3900, 13}, "Montpellier": {3800, 15},
	"Nantes": {3700, 13.5}, "Marseille": {3600, 14}, "Strasbourg": {3600, 13.5}, "Toulouse": {3600, 13.5},
	"Lille": {3500, 14}, "Angers": {3100, 11}, "Tours": {2900, 11}, "Caen": {2900, 11.5}, "Grenoble": {2700, 12.5},
	"Dijon": {2700, 11.5}, "Rouen": {2700, 11.5}, "Reims": {2600, 11}, "Orléans": {2500, 11}, "Avignon": {2500, 11},
	"Nîmes": {2400, 11}, "Brest": {2300, 10}, "Clermont-Ferrand": {2300, 10.5}, "Amiens": {2300, 11},
	"Nancy": {2300, 10.5}, "Besançon": {2200, 10.5}, "Metz": {2200, 10}, "Le Havre": {2100, 10},
	"Poitiers": {2100, 10}, "Perpignan": {1900, 10}, "Limoges": {1700, 9}, "Mulhouse": {1400, 9},
	"Saint-Étienne": {1300, 8.5},
}

// typeFactors scale a city's price per m² by property type.
var typeFactors = map[realty.PropertyType]float64{"villa": 1.3, "studio": 1.15, "loft": 1.1, "duplex": 1.05,
	"office": 0.8, "retail": 0.9, "warehouse": 0.25}

// withTerms gives the i-th demo or synthetic property realistic listing
// terms: a third for sale, a third for rent, a third not listed; now and
// then under offer, sold or rented, withdrawn. A sale is priced to the
// thousand euros, a rent to the ten; a parking space or land (no rooms)
// at a multiple of the city's price per m².
func withTerms(p *realty.NewProperty, i int) {
	if i%3 == 2 {
		return // not listed
	}
	tr := realty.Transaction("sale")
	if i%3 == 1 {
		tr = "rent"
	}
	perM2, ok := pricesPerM2[p.City]
	if !ok {
		perM2 = [2]float64{3000, 12}
	}
	_, area := realty.RoomTotals(p.Rooms)
	m2 := float64(area) / 100
	switch p.Type {
	case "parking":
		m2 = 3
	case "land":
		m2 = 30
	}
	factor := typeFactors[p.Type]
	if factor == 0 {
		factor = 1
	}
	amount, unit := perM2[0]*m2*factor, 1000.0
	if tr == "rent" {
		amount, unit = perM2[1]*m2*factor, 10
	}
	price := realty.Price(math.Max(unit, math.Round(amount/unit)*unit) * 100)
	p.Transaction, p.Price = &tr, &price
	switch k := i + 1; {
	case k%31 == 0:
		p.Status = "withdrawn"
	case k%29 == 0 && tr == "sale":
		p.Status = "sold"
	case k%29 == 0:
		p.Status = "rented"
	case k%7 == 0:
		p.Status = "under_offer"
	}
}

func syntheticName(i int) string { return fmt.Sprintf("Synthetic property %07d", i) }

func loadSynthetic(ctx context.Context, f *Factory, svc realty.Service, n int) error {
	have, err := ownNames(ctx, svc)
	if err != nil {
		return err
	}
	missing := 0
	for i := 1; i <= n; i++ {
		if !have[syntheticName(i)] {
			missing++
		}
	}
	bar := newProgress(f.IO, "Adding synthetic properties", missing)
	batch := make([]realty.NewProperty, 0, realty.MaxImport)
	pace := newPacer(svc, func(d time.Duration) { bar.pause(d, "the server's limit of writes") })
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		ids, err := pace.importBatch(ctx, batch)
		bar.add(len(ids))
		if err != nil {
			return err
		}
		batch = batch[:0]
		return nil
	}
	err = bulkImport(ctx, svc, missing, func() error {
		for i := 1; i <= n; i++ {
			p := syntheticProperty(i)
			if have[p.Name] {
				continue
			}
			if batch = append(batch, p); len(batch) == realty.MaxImport {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush()
	})
	if err != nil {
		return err
	}
	bar.finish()
	if len(have) > 0 {
		f.Print.Status("%s there already.", counted(len(have), "synthetic property was", "synthetic properties were"))
	}
	return nil
}
