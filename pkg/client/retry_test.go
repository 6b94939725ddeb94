package client_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
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
