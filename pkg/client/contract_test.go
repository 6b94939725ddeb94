package client_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/realtyhq/realty/internal/contract"
	"github.com/realtyhq/realty/internal/server"
	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/testdb"
	"github.com/realtyhq/realty/pkg/client"
	"github.com/realtyhq/realty/pkg/realty"
)

// startServer serves the API on a fresh database of the dialect; every
// request and response through the returned transport is checked against
// the OpenAPI document.
func startServer(t *testing.T, dialect string) (*httptest.Server, *http.Client) {
	t.Helper()
	core, err := service.New(testdb.Open(t, dialect))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(server.New(core, server.Config{LoginPerEmail: 1000, LoginPerAddress: 1000}).Handler())
	t.Cleanup(ts.Close)
	return ts, &http.Client{Transport: newValidator(t, http.DefaultTransport)}
}

// TestContract runs the realty.Service contract through pkg/client against
// the HTTP server, on SQLite and on MySQL.
func TestContract(t *testing.T) {
	t.Parallel()
	for _, dialect := range testdb.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			contract.Run(t, func(t *testing.T) contract.ServiceFor {
				ts, hc := startServer(t, dialect)
				c, err := client.New(ts.URL, client.WithHTTPClient(hc))
				if err != nil {
					t.Fatal(err)
				}
				return func(token string) realty.Service { return c.ForToken(token) }
			})
		})
	}
}

func readAll(r io.Reader) []byte {
	b, _ := io.ReadAll(r)
	return b
}

func nopCloser(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }
