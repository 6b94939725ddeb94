package server

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/realtyhq/realty/pkg/realty"
)

// OpenAPI is the API's OpenAPI 3 document: the public contract, served at
// /openapi.json and checked against real requests and responses by tests.
//
//go:embed openapi.json
var OpenAPI []byte

//go:embed docs.html
var docsPage []byte

func serveOpenAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, OpenAPI)
}

func serveDocs(c echo.Context) error {
	c.Response().Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'")
	return c.HTMLBlob(http.StatusOK, docsPage)
}

// problemPage is the page of one problem type, or with no kinds the index;
// parsed on first use, not in every CLI command's start-up.
var problemPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("problem").Parse(problemHTML))
})

const problemHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>realty problem types</title>
<style>body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 50rem; padding: 1rem 2rem; }
td, th { padding: .25rem .75rem .25rem 0; text-align: left; vertical-align: top; }</style></head>
<body><h1>{{.Title}}</h1>
<p>Errors of the <a href="/docs">realty API</a> are <code>application/problem+json</code> (RFC 9457):
<code>type</code> names one of these pages, <code>code</code> its last segment; validation problems
list every failing member in <code>errors</code>.</p>
<table><tr><th>code</th><th>HTTP status</th><th>CLI exit code</th><th>meaning</th></tr>
{{range .Kinds}}<tr><td><a href="/problems/{{.Code}}"><code>{{.Code}}</code></a></td><td>{{.Status}}</td><td>{{.Exit}}</td><td>{{.Phrase}}</td></tr>
{{end}}</table></body></html>
`

// serveProblems documents the problem types of realty.Kinds: every one at
// /problems, one at /problems/{code} (the problem's type).
func serveProblems(c echo.Context) error {
	code := c.Param("code")
	data := struct {
		Title string
		Kinds []realty.Kind
	}{Title: "Problem types", Kinds: realty.Kinds}
	if code != "" {
		data.Title, data.Kinds = "Problem type "+code, nil
		for _, k := range realty.Kinds {
			if k.Code == code {
				data.Kinds = append(data.Kinds, k)
			}
		}
		if data.Kinds == nil {
			return fmt.Errorf("no problem type %q: %w", code, realty.ErrNotFound)
		}
	}
	var b bytes.Buffer
	if err := problemPage().Execute(&b, data); err != nil {
		return err
	}
	return c.HTMLBlob(http.StatusOK, b.Bytes())
}
