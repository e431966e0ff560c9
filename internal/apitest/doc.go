// Package apitest helps test the HTTP API: it checks responses (and the
// requests that succeeded) against the OpenAPI document and drives the
// handlers through httptest as a chosen principal, on a fresh table of the
// test DynamoDB engine.
package apitest

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"ejournal/internal/api"
)

// docURL names the document inside the schema compiler.
const docURL = "openapi.json"

// methods are the operation keys of an OpenAPI path item.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Doc is a parsed OpenAPI 3.1 document whose schemas are compiled for
// validation. OpenAPI 3.1 schemas are JSON Schema 2020-12, so each schema is
// compiled by its JSON pointer inside the whole document.
type Doc struct {
	root    map[string]any
	schemas map[string]*jsonschema.Schema
	ops     []Operation
}

// Operation is one documented operation.
type Operation struct {
	// Method is upper case, as in net/http.
	Method string
	// Path is the path template, e.g. /v1/classes/{id}.
	Path string
	// Object is the operation object of the document.
	Object map[string]any
	ptr    string
}

var (
	apiOnce sync.Once
	apiDoc  *Doc
	apiErr  error
)

// API returns the document embedded in package api, parsed once per test
// process. A document that does not parse fails the test.
func API(tb testing.TB) *Doc {
	tb.Helper()
	apiOnce.Do(func() { apiDoc, apiErr = Parse(api.OpenAPI()) })
	if apiErr != nil {
		tb.Fatalf("OpenAPI document: %v", apiErr)
	}
	return apiDoc
}

// Parse reads an OpenAPI 3.1 document, checks that every $ref in it
// resolves and compiles every schema it holds.
func Parse(raw []byte) (*Doc, error) {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("the document is not a JSON object")
	}
	if ver, _ := root["openapi"].(string); !strings.HasPrefix(ver, "3.1.") {
		return nil, fmt.Errorf("openapi is %q, want 3.1.x", root["openapi"])
	}
	d := &Doc{root: root, schemas: map[string]*jsonschema.Schema{}}
	var errs []error
	var schemaPtrs []string
	walk(root, "", func(ptr, key string, val any) {
		switch key {
		case "$ref":
			s, _ := val.(string)
			if _, err := d.resolve(s); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", ptr, err))
			}
		case "schema":
			// The schema of a parameter, header or media type; schemas inside
			// schemas are compiled with their parent.
			if !strings.HasPrefix(ptr, "/components/schemas/") {
				schemaPtrs = append(schemaPtrs, ptr+"/schema")
			}
		}
	})
	if schemas, ok := lookup(root, "components", "schemas").(map[string]any); ok {
		for name := range schemas {
			schemaPtrs = append(schemaPtrs, "/components/schemas/"+escape(name))
		}
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(docURL, root); err != nil {
		return nil, err
	}
	for _, ptr := range schemaPtrs {
		s, err := c.Compile(docURL + "#" + ptr)
		if err != nil {
			errs = append(errs, fmt.Errorf("compile %s: %w", ptr, err))
			continue
		}
		d.schemas[ptr] = s
	}
	paths, _ := root["paths"].(map[string]any)
	for path, item := range paths {
		item, _ := item.(map[string]any)
		for _, m := range methods {
			if o, ok := item[m].(map[string]any); ok {
				d.ops = append(d.ops, Operation{Method: strings.ToUpper(m), Path: path, Object: o, ptr: "/paths/" + escape(path) + "/" + m})
			}
		}
	}
	slices.SortFunc(d.ops, func(a, b Operation) int { return strings.Compare(a.Path+" "+a.Method, b.Path+" "+b.Method) })
	return d, errors.Join(errs...)
}

// Root is the whole document as decoded JSON (numbers are json.Number).
func (d *Doc) Root() map[string]any { return d.root }

// Operations lists every operation of the document, by path and method.
func (d *Doc) Operations() []Operation { return d.ops }

// Find returns the operation that serves method on a concrete URL path. A
// path template's literal segments win over its {parameters}.
func (d *Doc) Find(method, path string) (Operation, bool) {
	var best Operation
	bestScore := -1
	for _, op := range d.ops {
		if op.Method != method {
			continue
		}
		if score, ok := matchPath(op.Path, path); ok && score > bestScore {
			best, bestScore = op, score
		}
	}
	return best, bestScore >= 0
}

// matchPath matches a path against a template and scores the match by its
// number of literal segments.
func matchPath(template, path string) (int, bool) {
	ts, ps := strings.Split(template, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return 0, false
	}
	score := 0
	for i, t := range ts {
		switch {
		case strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}"):
			if ps[i] == "" {
				return 0, false
			}
		case t == ps[i]:
			score++
		default:
			return 0, false
		}
	}
	return score, true
}

// CheckResponse checks a response to method on URL path target against the
// document: the status must be documented for the operation, the documented
// required headers present and valid, and the body valid against the
// documented schema of its media type. A path or method no operation serves
// must answer 404 or 405 (with Allow) and the Error envelope.
func (d *Doc) CheckResponse(method, target string, status int, header http.Header, body []byte) error {
	path, _, _ := strings.Cut(target, "?")
	op, ok := d.Find(method, path)
	if !ok {
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
			return fmt.Errorf("no documented operation %s %s, yet status %d", method, path, status)
		}
		if status == http.StatusMethodNotAllowed && header.Get("Allow") == "" {
			return errors.New("405 without an Allow header")
		}
		return d.Validate("/components/schemas/Error", body)
	}
	ptr := op.ptr + "/responses/" + strconv.Itoa(status)
	res, err := d.resolve("#" + ptr)
	if err != nil {
		return fmt.Errorf("status %d is not documented for %s %s", status, op.Method, op.Path)
	}
	if ref, ok := res["$ref"].(string); ok {
		ptr = strings.TrimPrefix(ref, "#")
		if res, err = d.resolve(ref); err != nil {
			return err
		}
	}
	if err := d.checkHeaders(ptr, res, header); err != nil {
		return fmt.Errorf("%s %s %d: %w", op.Method, op.Path, status, err)
	}
	content, _ := res["content"].(map[string]any)
	if len(content) == 0 {
		if len(body) > 0 {
			return fmt.Errorf("%s %s %d: documented without content, got a body", op.Method, op.Path, status)
		}
		return nil
	}
	mt, _, err := mime.ParseMediaType(header.Get("Content-Type"))
	if err != nil || content[mt] == nil {
		return fmt.Errorf("%s %s %d: Content-Type %q is not documented", op.Method, op.Path, status, header.Get("Content-Type"))
	}
	if mt != "application/json" {
		// A file (an XLSX export) is not JSON: its type is all there is to check.
		return nil
	}
	if err := d.Validate(ptr+"/content/"+escape(mt)+"/schema", body); err != nil {
		return fmt.Errorf("%s %s %d: %w", op.Method, op.Path, status, err)
	}
	return nil
}

// checkHeaders checks the headers documented for the response at ptr.
func (d *Doc) checkHeaders(ptr string, res map[string]any, header http.Header) error {
	hs, _ := res["headers"].(map[string]any)
	for name, h := range hs {
		hptr := ptr + "/headers/" + escape(name)
		hm, _ := h.(map[string]any)
		if ref, ok := hm["$ref"].(string); ok {
			hptr = strings.TrimPrefix(ref, "#")
			hm, _ = d.resolve(ref)
		}
		v := header.Get(name)
		if v == "" {
			if req, _ := hm["required"].(bool); req {
				return fmt.Errorf("required header %s is missing", name)
			}
			continue
		}
		if s := d.schemas[hptr+"/schema"]; s != nil {
			if err := s.Validate(v); err != nil {
				return fmt.Errorf("header %s: %w", name, err)
			}
		}
	}
	return nil
}

// CheckRequest checks a request body against the documented request body
// schema of the operation serving method on target; a body of another
// media type than JSON is checked for being documented only.
func (d *Doc) CheckRequest(method, target, contentType string, body []byte) error {
	path, _, _ := strings.Cut(target, "?")
	op, ok := d.Find(method, path)
	if !ok {
		return fmt.Errorf("no documented operation %s %s", method, path)
	}
	rb, ok := op.Object["requestBody"].(map[string]any)
	if !ok {
		if len(body) > 0 {
			return fmt.Errorf("%s %s takes no request body", op.Method, op.Path)
		}
		return nil
	}
	mt, _, err := mime.ParseMediaType(contentType)
	content, _ := rb["content"].(map[string]any)
	if err != nil || content[mt] == nil {
		return fmt.Errorf("%s %s: request Content-Type %q is not documented", op.Method, op.Path, contentType)
	}
	if mt != "application/json" {
		// A file (text/csv, XLSX) is not JSON: its type is all there is to check.
		return nil
	}
	if err := d.Validate(op.ptr+"/requestBody/content/"+escape(mt)+"/schema", body); err != nil {
		return fmt.Errorf("%s %s request: %w", op.Method, op.Path, err)
	}
	return nil
}

// Validate checks a JSON body against the schema at the JSON pointer ptr,
// e.g. /components/schemas/Error.
func (d *Doc) Validate(ptr string, body []byte) error {
	s := d.schemas[ptr]
	if s == nil {
		return fmt.Errorf("no compiled schema at %s", ptr)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("body is not JSON: %w: %q", err, body)
	}
	return s.Validate(v)
}

// resolve returns the object at a local reference "#/a/b".
func (d *Doc) resolve(ref string) (map[string]any, error) {
	ptr, ok := strings.CutPrefix(ref, "#")
	if !ok || (ptr != "" && !strings.HasPrefix(ptr, "/")) {
		return nil, fmt.Errorf("reference %q is not local", ref)
	}
	var cur any = d.root
	for _, tok := range strings.Split(ptr, "/")[1:] {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("reference %q does not resolve", ref)
		}
		if cur, ok = m[unescape(tok)]; !ok {
			return nil, fmt.Errorf("reference %q does not resolve", ref)
		}
	}
	m, ok := cur.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("reference %q is not an object", ref)
	}
	return m, nil
}

// walk calls fn for every member of every object under v, with the JSON
// pointer of the object holding it.
func walk(v any, ptr string, fn func(ptr, key string, val any)) {
	switch v := v.(type) {
	case map[string]any:
		for k, val := range v {
			fn(ptr, k, val)
			walk(val, ptr+"/"+escape(k), fn)
		}
	case []any:
		for i, val := range v {
			walk(val, ptr+"/"+strconv.Itoa(i), fn)
		}
	}
}

func lookup(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

func escape(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1")
}

func unescape(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}
