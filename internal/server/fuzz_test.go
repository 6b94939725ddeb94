package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/realtyhq/realty/internal/server"
	"github.com/realtyhq/realty/internal/service"
	"github.com/realtyhq/realty/internal/testdb"
)

var fuzzRoutes = []struct{ method, path string }{
	{"POST", "/v1/properties"}, {"PATCH", "/v1/properties/1"}, {"POST", "/v1/properties/1/rooms"},
	{"PATCH", "/v1/properties/1/rooms/1"}, {"PATCH", "/v1/users/me"}, {"PUT", "/v1/users/me/password"},
	{"POST", "/v1/users"}, {"POST", "/v1/auth/tokens"}, {"GET", "/v1/properties"}, {"POST", "/v1/properties/batch"},
}

// FuzzRequestDecoders sends arbitrary bodies, content types and queries to
// every route that decodes input: the server never fails with a 500, and
// every error is a well-formed problem with a 4xx status.
func FuzzRequestDecoders(f *testing.F) {
	core, err := service.New(testdb.Open(f, "sqlite"), service.WithArgon2(service.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}))
	if err != nil {
		f.Fatal(err)
	}
	h := server.New(core, server.Config{LoginPerEmail: 1 << 20, LoginPerAddress: 1 << 20}).Handler()
	token := fuzzSetup(f, h)

	f.Add(uint8(0), "application/json", "", []byte(`{"name":"Loft","type":"loft","city":"Lyon","rooms":[{"type":"bedroom","area":12.5}]}`))
	f.Add(uint8(1), "application/merge-patch+json", "", []byte(`{"name":null,"description":"x"}`))
	f.Add(uint8(2), "application/json", "", []byte(`{"type":"kitchen","area":1e400,"level":-9999999999999}`))
	f.Add(uint8(3), "application/json", "", []byte(`{"area":null,"features":["a","A"," a "]}`))
	f.Add(uint8(4), "application/json", "", []byte(`{"birth_date":"2000-02-30"}`))
	f.Add(uint8(6), "application/json", "", []byte(`{"email":"x@example.com","password":"12345678","first_name":"a","last_name":"b"}`))
	f.Add(uint8(8), "", "city=Saint-%C3%89tienne&limit=0&cursor=%FF", []byte(nil))
	f.Fuzz(func(t *testing.T, route uint8, contentType, query string, body []byte) {
		r := fuzzRoutes[int(route)%len(fuzzRoutes)]
		req := httptest.NewRequest(r.method, r.path, bytes.NewReader(body))
		req.URL.RawQuery = query
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s?%s %q (%s): %d %s", r.method, r.path, query, body, contentType, rec.Code, rec.Body)
		}
		if rec.Code >= 400 {
			var p struct {
				Code   string `json:"code"`
				Status int    `json:"status"`
			}
			if rec.Header().Get("Content-Type") != "application/problem+json" ||
				json.Unmarshal(rec.Body.Bytes(), &p) != nil || p.Code == "" || p.Status != rec.Code {
				t.Fatalf("%d is not a well-formed problem: %s", rec.Code, rec.Body)
			}
		} else if !json.Valid(rec.Body.Bytes()) && rec.Code != http.StatusNoContent {
			t.Fatalf("%d with a body that is not JSON: %s", rec.Code, rec.Body)
		}
	})
}

// fuzzSetup registers a user who owns property 1 with room 1 and returns its token.
func fuzzSetup(f *testing.F, h http.Handler) string {
	send := func(method, path, token, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	send("POST", "/v1/users", "", `{"email":"f@example.com","password":"fuzz-password","first_name":"F","last_name":"Z"}`)
	var s struct{ Token string }
	_ = json.Unmarshal(send("POST", "/v1/auth/tokens", "", `{"email":"f@example.com","password":"fuzz-password"}`).Body.Bytes(), &s)
	if rec := send("POST", "/v1/properties", s.Token, `{"name":"P","type":"loft","city":"Lyon","rooms":[{"type":"bedroom"}]}`); rec.Code != 201 {
		f.Fatalf("setup: %d %s", rec.Code, rec.Body)
	}
	return s.Token
}
