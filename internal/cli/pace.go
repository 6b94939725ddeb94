package cli

import (
	"context"
	"errors"
	"time"

	"github.com/realtyhq/realty/pkg/realty"
)

// A server limits each user's writes (realty serve --write-limit, a batch
// costing one per 100 properties): a long import through it meets the
// limit, and is told when to come back. The CLI's imports wait and go on
// rather than stop halfway.
const (
	// minPart is the fewest properties a refused request is cut to: one
	// write's cost.
	minPart = 100
	// maxRefusals is how many times in a row parts may be refused: at the
	// last, the import gives up with the server's error.
	maxRefusals = 10
)

// pacer sends imports at the pace a server's write limit allows.
type pacer struct {
	svc  realty.Service
	part int                                  // properties a request; 0 until a refusal: a whole batch
	wait func(d time.Duration)                // reports a wait before it starts
	tick func(time.Duration) <-chan time.Time // time.After; the tests' clock
}

func newPacer(svc realty.Service, wait func(time.Duration)) *pacer {
	return &pacer{svc: svc, wait: wait, tick: time.After}
}

// importBatch imports batch, in parts when a server refused one for the
// rate of writes: it waits the time the server said, halves the part (a
// refused request wrote nothing, and a part that costs more than the
// limit's burst would be refused for ever) and sends it again. It returns
// the ids of what it imported, also when it fails after some parts. Each
// part is a create of its own: ctx must carry no idempotency key (the
// client gives each request one).
func (p *pacer) importBatch(ctx context.Context, batch []realty.NewProperty) ([]int64, error) {
	var ids []int64
	refused := 0
	for len(batch) > 0 {
		n := len(batch)
		if p.part > 0 {
			n = min(n, p.part)
		}
		got, err := p.svc.ImportProperties(ctx, batch[:n])
		var later *realty.RetryLater
		if err != nil && errors.Is(err, realty.ErrRateLimited) && errors.As(err, &later) {
			if refused++; refused == maxRefusals {
				return ids, err
			}
			p.part = max(minPart, n/2)
			p.wait(later.After)
			select {
			case <-p.tick(later.After):
				continue
			case <-ctx.Done():
				return ids, ctx.Err()
			}
		}
		if err != nil {
			return ids, err
		}
		refused = 0
		ids = append(ids, got...)
		batch = batch[n:]
	}
	return ids, nil
}
