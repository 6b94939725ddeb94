package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/realtyhq/realty/internal/server"
	"github.com/realtyhq/realty/pkg/realty"
)

// hangs blocks every property read until its caller goes away.
type hangs struct {
	realty.Service
	started chan struct{}
}

func (h hangs) Property(ctx context.Context, _ int64) (realty.Property, error) {
	close(h.started)
	<-ctx.Done()
	return realty.Property{}, fmt.Errorf("property: %w", ctx.Err())
}

// TestClientHangUpIs499: a request whose client goes away is logged at INFO
// as 499 and never counted as a server error.
func TestClientHangUpIs499(t *testing.T) {
	t.Parallel()
	logs := &lockedWriter{}
	started := make(chan struct{})
	h := server.New(stub{svc: hangs{started: started}}, server.Config{Logger: slog.New(slog.NewJSONHandler(logs, nil))}).Handler()
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/v1/properties/1", nil)
	done := make(chan struct{})
	go func() {
		h.ServeHTTP(httptest.NewRecorder(), req)
		close(done)
	}()
	<-started
	cancel() // the client hangs up while the request is being served
	<-done
	out := logs.String()
	if !strings.Contains(out, `"status":499`) || strings.Contains(out, `"level":"ERROR"`) {
		t.Errorf("logs of a hang-up:\n%s", out)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if m := rec.Body.String(); !strings.Contains(m, `status="499"`) || strings.Contains(m, `status="5`) {
		t.Errorf("metrics of a hang-up:\n%s", m)
	}
}
