package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/realtyhq/realty/pkg/client"
	"github.com/realtyhq/realty/pkg/realty"
)

// flaky answers 503 to the first n requests, then an empty city list.
func flaky(n int32) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"type":"x","title":"Service Unavailable","status":503,"detail":"the database is unavailable","code":"unavailable"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodGet {
			_, _ = w.Write([]byte(`{"items":[]}`))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	return ts, &calls
}

func TestGetIsRetriedOn503(t *testing.T) {
	t.Parallel()
	ts, calls := flaky(2)
	defer ts.Close()
	c, _ := client.New(ts.URL, client.WithRetries(3, time.Millisecond))
	if _, err := c.Cities(context.Background(), realty.CityFilter{}); err != nil {
		t.Fatalf("after two 503s: %v", err)
	}
	if calls.Load() != 3 {
		t.Errorf("%d calls, want 3", calls.Load())
	}
}

func TestRetriesGiveUpWithTheTypedError(t *testing.T) {
	t.Parallel()
	ts, calls := flaky(100)
	defer ts.Close()
	c, _ := client.New(ts.URL, client.WithRetries(2, time.Millisecond))
	_, err := c.Cities(context.Background(), realty.CityFilter{})
	if !errors.Is(err, realty.ErrUnavailable) || calls.Load() != 3 {
		t.Errorf("err %v after %d calls; want unavailable after 3", err, calls.Load())
	}
}

func TestWritesAreNotRetriedOn503(t *testing.T) {
	t.Parallel()
	ts, calls := flaky(1)
	defer ts.Close()
	c, _ := client.New(ts.URL, client.WithToken("t"), client.WithRetries(3, time.Millisecond))
	err := c.DeleteProperty(context.Background(), 1, 0)
	if !errors.Is(err, realty.ErrUnavailable) || calls.Load() != 1 {
		t.Errorf("err %v after %d calls; a DELETE that got 503 may have happened: want 1 call", err, calls.Load())
	}
}

func TestConnectionRefusedIsUnavailable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c, _ := client.New("http://"+addr, client.WithRetries(2, time.Millisecond))
	_, err = c.CreateProperty(context.Background(), realty.NewProperty{})
	if !errors.Is(err, realty.ErrUnavailable) {
		t.Errorf("err = %v, want unavailable", err)
	}
}

func TestContextIsHonoured(t *testing.T) {
	t.Parallel()
	ts, _ := flaky(100)
	defer ts.Close()
	c, _ := client.New(ts.URL, client.WithRetries(10, time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	go cancel()
	if _, err := c.Cities(ctx, realty.CityFilter{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestNewRejectsBadURLs(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "localhost:8080", "ftp://x", "http://"} {
		if _, err := client.New(u); err == nil {
			t.Errorf("New(%q) succeeded", u)
		}
	}
}

// TestRefusalsSayWhenToRetry: a 429 or 503 with Retry-After (seconds, or an
// HTTP date) is a realty.RetryLater, as the service's own refusals are, with
// the server's typed error inside; without one, or on another status, it is
// not.
func TestRefusalsSayWhenToRetry(t *testing.T) {
	t.Parallel()
	var status atomic.Int32
	var header atomic.Value
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := map[int32]string{429: "rate_limited", 503: "unavailable", 409: "conflict"}[status.Load()]
		if v := header.Load().(string); v != "" {
			w.Header().Set("Retry-After", v)
		}
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(int(status.Load()))
		_, _ = w.Write([]byte(`{"type":"x","title":"x","status":` + fmt.Sprint(status.Load()) + `,"detail":"refused","code":"` + code + `"}`))
	}))
	defer ts.Close()
	c, _ := client.New(ts.URL, client.WithToken("t"), client.WithRetries(0, time.Millisecond))
	for _, tc := range []struct {
		status     int32
		retryAfter string
		kind       error
		want       time.Duration // 0: not a RetryLater
	}{
		{429, "3", realty.ErrRateLimited, 3 * time.Second},
		{503, "1", realty.ErrUnavailable, time.Second},
		{429, time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat), realty.ErrRateLimited, 90 * time.Second},
		{429, "", realty.ErrRateLimited, 0},
		{429, "soon", realty.ErrRateLimited, 0},
		{409, "3", realty.ErrConflict, 0},
	} {
		status.Store(tc.status)
		header.Store(tc.retryAfter)
		err := c.DeleteProperty(context.Background(), 1, 0)
		var later *realty.RetryLater
		var ce *client.Error
		if !errors.Is(err, tc.kind) || !errors.As(err, &ce) || ce.Status != int(tc.status) {
			t.Errorf("%d, Retry-After %q: %v, want a client error of %v", tc.status, tc.retryAfter, err, tc.kind)
		}
		switch ok := errors.As(err, &later); {
		case tc.want == 0 && ok:
			t.Errorf("%d, Retry-After %q: a RetryLater of %s", tc.status, tc.retryAfter, later.After)
		case tc.want > 0 && (!ok || later.After > tc.want || later.After < tc.want-2*time.Second):
			t.Errorf("%d, Retry-After %q: %v (RetryLater %v), want a RetryLater of %s", tc.status, tc.retryAfter, err, ok, tc.want)
		}
	}
}

// TestCreatesAreSentAgainWithTheirKey: a create whose answer is lost (the
// connection cut after the server read it) is sent again with the same
// Idempotency-Key, the context's if it has one, so that the server makes it
// once; a change without a key is not sent again.
func TestCreatesAreSentAgainWithTheirKey(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	keys := map[string][]string{} // by path: the Idempotency-Key of each request
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		keys[r.URL.Path] = append(keys[r.URL.Path], r.Header.Get("Idempotency-Key"))
		n := len(keys[r.URL.Path])
		mu.Unlock()
		if n == 1 { // the first answer never comes
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":7,"name":"Loft","ids":[7]}`))
	}))
	defer ts.Close()
	c, _ := client.New(ts.URL, client.WithToken("t"), client.WithRetries(3, time.Millisecond))
	ctx := context.Background()
	if p, err := c.CreateProperty(ctx, realty.NewProperty{Name: "Loft"}); err != nil || p.ID != 7 {
		t.Errorf("create after a lost answer: %v, %+v", err, p)
	}
	if _, err := c.ImportProperties(realty.WithIdempotencyKey(ctx, "batch-1"), []realty.NewProperty{{Name: "Loft"}}); err != nil {
		t.Errorf("import after a lost answer: %v", err)
	}
	_, err := c.UpdateProperty(ctx, 7, realty.PropertyPatch{}, 0)
	mu.Lock()
	defer mu.Unlock()
	if k := keys["/v1/properties"]; len(k) != 2 || len(k[0]) != 34 || k[0] != k[1] {
		t.Errorf("create: keys %q, want one new key, quoted, twice", k)
	}
	if k := keys["/v1/properties/batch"]; len(k) != 2 || k[0] != `"batch-1"` || k[1] != k[0] {
		t.Errorf("import: keys %q, want the context's twice", k)
	}
	if k := keys["/v1/properties/7"]; !errors.Is(err, realty.ErrUnavailable) || len(k) != 1 || k[0] != "" {
		t.Errorf("update after a lost answer: %v, keys %q; want unavailable after one request, without a key", err, k)
	}
}
