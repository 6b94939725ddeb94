// Package client is a typed Go client of the realty REST API. A *Client
// implements realty.Service, so code written against the interface works the
// same on a local database or against `realty serve`; problem responses come
// back as the same typed errors (realty.ErrNotFound, *realty.ValidationError...).
//
// Requests honour their context. Requests that cannot have changed anything,
// or only once, are retried a few times with backoff: every request whose
// connection could not be opened, and reads (GET) and creates that failed in
// flight or got 503. A create (CreateProperty, AddRoom, ImportProperties)
// carries an Idempotency-Key, the context's (realty.WithIdempotencyKey) or a
// new one, the same on every attempt: the server makes it once.
package client

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/realtyhq/realty/pkg/realty"
)

// Client talks to one realty server, acting for one token (or nobody).
type Client struct {
	base      *url.URL
	hc        *http.Client
	token     string
	userAgent string
	retries   int
	backoff   time.Duration
}

var _ realty.Service = (*Client)(nil)

// Option configures a Client.
type Option func(*Client)

// WithToken makes the client act for the holder of a bearer token.
func WithToken(token string) Option { return func(c *Client) { c.token = token } }

// WithHTTPClient sets the http.Client (timeouts, transport, proxies).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// WithRetries sets how many times a safe request is retried (default 3) and
// the first backoff (default 100ms, doubled each time, with jitter).
func WithRetries(n int, backoff time.Duration) Option {
	return func(c *Client) { c.retries, c.backoff = n, backoff }
}

// New returns a client of the server at baseURL, such as http://localhost:8080.
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimSuffix(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid server URL %q: want http(s)://host[:port]", baseURL)
	}
	c := &Client{base: u, hc: &http.Client{Timeout: 30 * time.Second}, userAgent: "realty-go-client",
		retries: 3, backoff: 100 * time.Millisecond}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// ForToken returns a copy of c acting for another token (WithToken is the
// option that sets the first one).
func (c *Client) ForToken(token string) *Client {
	cp := *c
	cp.token = token
	return &cp
}

// BaseURL returns the server's URL.
func (c *Client) BaseURL() string { return c.base.String() }

// request is one API call.
type request struct {
	method    string
	path      string
	query     url.Values
	body      any
	patch     bool   // send the body as application/merge-patch+json
	ifVersion int64  // If-Match, when > 0
	etag      *int64 // when set, receives the version of the response's ETag
	// create: sent with an Idempotency-Key (the context's, or a new one),
	// so that it may be sent again after an answer that never came.
	create bool
	key    string // the Idempotency-Key of every attempt
}

// do sends r and decodes a 2xx response into out (when not nil).
func (c *Client) do(ctx context.Context, r request, out any) error {
	if err := realty.CheckVersion(r.ifVersion); err != nil {
		return err // as the service would: If-Match cannot carry it
	}
	var payload []byte
	if r.body != nil {
		var err error
		if payload, err = json.Marshal(r.body); err != nil {
			return err
		}
	}
	if r.create {
		r.key = realty.IdempotencyKey(ctx)
		if r.key == "" {
			r.key = newIdempotencyKey()
		}
		if err := realty.ValidateIdempotencyKey(r.key); err != nil {
			return err // as the service would: the header could not carry it as it is
		}
	}
	for attempt := 0; ; attempt++ {
		resp, err := c.send(ctx, r, payload)
		retry, wait := c.shouldRetry(r.method == http.MethodGet || r.method == http.MethodHead || r.key != "",
			resp, err, attempt)
		if !retry {
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if r.etag != nil && resp.StatusCode < 300 {
				*r.etag, _ = strconv.ParseInt(strings.Trim(resp.Header.Get("ETag"), `"`), 10, 64)
			}
			return decodeResponse(resp, out)
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (c *Client) send(ctx context.Context, r request, payload []byte) (*http.Response, error) {
	u := *c.base
	u.Path += r.path
	u.RawQuery = r.query.Encode()
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		ct := "application/json"
		if r.patch {
			ct = "application/merge-patch+json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if r.ifVersion > 0 {
		req.Header.Set("If-Match", `"`+strconv.FormatInt(r.ifVersion, 10)+`"`)
	}
	if r.key != "" {
		req.Header.Set("Idempotency-Key", strconv.Quote(r.key)) // a structured-field string
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &connError{url: c.base.String(), err: err}
	}
	return resp, nil
}

// connError is a failure to talk to the server at all.
type connError struct {
	url string
	err error
}

func (e *connError) Error() string {
	return fmt.Sprintf("cannot reach the realty server at %s: %v", e.url, unwrapURLError(e.err))
}
func (e *connError) Unwrap() []error { return []error{realty.ErrUnavailable, e.err} }

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// neverSent reports a connection that could not be opened: the server saw nothing.
func neverSent(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe) && oe.Op == "dial"
}

// shouldRetry decides whether to try again, and after how long. A safe
// request (a read, or a create with an idempotency key) is sent again after
// a connection that failed at any point, or a 503; any other only when it
// never reached the server.
func (c *Client) shouldRetry(safe bool, resp *http.Response, err error, attempt int) (bool, time.Duration) {
	if attempt >= c.retries {
		return false, 0
	}
	var ce *connError
	switch {
	case errors.As(err, &ce):
		if !safe && !neverSent(ce.err) {
			return false, 0
		}
	case err != nil:
		return false, 0
	case resp.StatusCode != http.StatusServiceUnavailable || !safe:
		return false, 0
	}
	wait := c.backoff << attempt
	wait += time.Duration(rand.Int64N(int64(wait)/2 + 1))
	if resp != nil {
		if ra := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ra > 0 {
			wait = min(ra, 5*time.Second)
		}
	}
	return true, wait
}

// maxResponse bounds what the client reads of a response.
const maxResponse = 32 << 20

func decodeResponse(resp *http.Response, out any) error {
	body := io.LimitReader(resp.Body, maxResponse)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if out == nil || resp.StatusCode == http.StatusNoContent {
			return nil
		}
		if err := json.NewDecoder(body).Decode(out); err != nil {
			return fmt.Errorf("read the server's response: %w", err)
		}
		return nil
	}
	return problemError(resp, body)
}

// newIdempotencyKey is a random key for a create: 128 bits, in hex.
func newIdempotencyKey() string {
	b := make([]byte, 16)
	_, _ = crand.Read(b) // never fails
	return hex.EncodeToString(b)
}
