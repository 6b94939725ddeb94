package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/realtyhq/realty/internal/server"
)

var (
	docOnce   sync.Once
	docRouter routers.Router
	docErr    error
)

// openAPIRouter loads and validates the served document once.
func openAPIRouter(t testing.TB) routers.Router {
	t.Helper()
	docOnce.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(server.OpenAPI)
		if err != nil {
			docErr = err
			return
		}
		if err := doc.Validate(loader.Context); err != nil {
			docErr = fmt.Errorf("the OpenAPI document is invalid: %w", err)
			return
		}
		docRouter, docErr = gorillamux.NewRouter(doc)
	})
	if docErr != nil {
		t.Fatal(docErr)
	}
	return docRouter
}

// validator is an http.RoundTripper that checks each exchange against the
// OpenAPI document: the request's route must be documented; a request the
// document calls invalid must be refused (4xx); every response, status and
// body, must be documented.
type validator struct {
	t      testing.TB
	next   http.RoundTripper
	router routers.Router
}

func newValidator(t testing.TB, next http.RoundTripper) *validator {
	return &validator{t: t, next: next, router: openAPIRouter(t)}
}

func (v *validator) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body = readAll(req.Body)
		req.Body.Close()
		req.Body = nopCloser(body)
	}
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		v.t.Errorf("%s %s is not in the OpenAPI document: %v", req.Method, req.URL.Path, err)
		return v.next.RoundTrip(req)
	}
	check := req.Clone(context.Background())
	check.Body = nopCloser(body)
	in := &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}}
	reqErr := openapi3filter.ValidateRequest(context.Background(), in)

	resp, err := v.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	respBody := readAll(resp.Body)
	resp.Body.Close()
	resp.Body = nopCloser(respBody)
	if reqErr != nil && (resp.StatusCode < 400 || resp.StatusCode >= 500) {
		v.t.Errorf("%s %s: the document calls the request invalid (%v), but the server answered %d",
			req.Method, req.URL.Path, shortErr(reqErr), resp.StatusCode)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode,
		Header: resp.Header, Body: nopCloser(respBody), Options: in.Options}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		v.t.Errorf("%s %s -> %d: the response does not match the document: %v\n%s",
			req.Method, req.URL.Path, resp.StatusCode, shortErr(err), respBody)
	}
	return resp, nil
}

func shortErr(err error) string {
	var re *openapi3filter.RequestError
	if errors.As(err, &re) {
		return re.Error()
	}
	return err.Error()
}
