package apitest_test

import (
	"net/http"
	"strings"
	"testing"

	"ejournal/internal/apitest"
)

func TestParseRejects(t *testing.T) {
	t.Parallel()
	for name, doc := range map[string]string{
		"not JSON":         `{"openapi":`,
		"not an object":    `[]`,
		"OpenAPI 3.0":      `{"openapi":"3.0.3","paths":{}}`,
		"dangling $ref":    `{"openapi":"3.1.0","paths":{},"components":{"schemas":{"A":{"$ref":"#/components/schemas/B"}}}}`,
		"remote $ref":      `{"openapi":"3.1.0","paths":{"/x":{"get":{"responses":{"200":{"$ref":"other.json#/x"}}}}}}`,
		"bad schema":       `{"openapi":"3.1.0","paths":{},"components":{"schemas":{"A":{"type":5}}}}`,
		"bad media schema": `{"openapi":"3.1.0","paths":{"/x":{"get":{"responses":{"200":{"description":"","content":{"application/json":{"schema":{"minLength":"x"}}}}}}}}}`,
	} {
		if _, err := apitest.Parse([]byte(doc)); err == nil {
			t.Errorf("%s: Parse accepted %s", name, doc)
		}
	}
}

// TestCheckResponse makes sure the checks catch a drift between the
// handlers and the document.
func TestCheckResponse(t *testing.T) {
	t.Parallel()
	doc := apitest.API(t)
	const class = `{"id":"c1","school_id":"s1","year_id":"y1","grade":5,"letter":"А","version":1,"created_at":"2025-09-01T10:00:00Z","updated_at":"2025-09-01T10:00:00.5Z"`
	const year = `{"id":"y1","school_id":"s1","name":"2025/2026","start":"%s","end":"2026-08-31","term_kind":"halves","terms":[{"id":"h1","name":"I","start":"2025-09-01","end":"2025-12-31"},{"id":"h2","name":"II","start":"2026-01-09","end":"2026-05-31"}],"version":1,"created_at":"2025-09-01T10:00:00Z","updated_at":"2025-09-01T10:00:00Z"}`
	const notFound = `{"error":{"code":"not_found","message":"Класс: запись не найдена"}}`
	hdr := func(kv ...string) http.Header {
		h := http.Header{"Content-Type": {"application/json; charset=utf-8"}, "X-Request-Id": {"0123456789abcdef01234567"}, "Content-Language": {"ru"}}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				h.Del(kv[i])
			} else {
				h.Set(kv[i], kv[i+1])
			}
		}
		return h
	}
	for _, tc := range []struct {
		name           string
		method, target string
		status         int
		header         http.Header
		body           string
		ok             bool
	}{
		{"class", "GET", "/v1/classes/c1", 200, hdr(), class + `}`, true},
		{"class with a query", "GET", "/v1/classes/c1?x=1", 200, hdr(), class + `}`, true},
		{"class with an extra field", "GET", "/v1/classes/c1", 200, hdr(), class + `,"room":"12"}`, false},
		{"class without version", "GET", "/v1/classes/c1", 200, hdr(), strings.Replace(class, `"version":1,`, "", 1) + `}`, false},
		{"class with a string grade", "GET", "/v1/classes/c1", 200, hdr(), strings.Replace(class, `"grade":5`, `"grade":"5"`, 1) + `}`, false},
		{"class with a bad time", "GET", "/v1/classes/c1", 200, hdr(), strings.Replace(class, `2025-09-01T10:00:00Z`, `yesterday`, 1) + `}`, false},
		{"year", "GET", "/v1/years/y1", 200, hdr(), strings.Replace(year, "%s", "2025-09-01", 1), true},
		{"year with a short date", "GET", "/v1/years/y1", 200, hdr(), strings.Replace(year, "%s", "2025-9-1", 1), false},
		{"year with an impossible date", "GET", "/v1/years/y1", 200, hdr(), strings.Replace(year, "%s", "2025-02-30", 1), false},
		{"list", "GET", "/v1/classes", 200, hdr(), `{"items":[` + class + `}]}`, true},
		{"list of nothing", "GET", "/v1/classes", 200, hdr(), `{"items":null}`, false},
		{"undocumented status", "GET", "/v1/classes/c1", 418, hdr(), notFound, false},
		{"no request id", "GET", "/v1/classes/c1", 200, hdr("X-Request-Id", ""), class + `}`, false},
		{"bad request id", "GET", "/v1/classes/c1", 200, hdr("X-Request-Id", "x"), class + `}`, false},
		{"text", "GET", "/v1/classes/c1", 200, hdr("Content-Type", "text/plain"), class + `}`, false},
		{"created", "POST", "/v1/classes", 201, hdr("Location", "/v1/classes/c1"), class + `}`, true},
		{"created without Location", "POST", "/v1/classes", 201, hdr(), class + `}`, false},
		{"not found", "GET", "/v1/classes/c1", 404, hdr(), notFound, true},
		{"not found with another code", "GET", "/v1/classes/c1", 404, hdr(), strings.Replace(notFound, "not_found", "invalid", 1), false},
		{"error without a language", "GET", "/v1/classes/c1", 404, hdr("Content-Language", ""), notFound, false},
		{"error with empty fields", "GET", "/v1/classes/c1", 404, hdr(), `{"error":{"code":"not_found","message":"x","fields":{}}}`, false},
		{"error with an unknown code", "GET", "/v1/classes/c1", 404, hdr(), `{"error":{"code":"gone","message":"x"}}`, false},
		{"invalid with fields", "POST", "/v1/classes", 400, hdr(), `{"error":{"code":"invalid","message":"x","fields":{"grade":"1 to 11"}}}`, true},
		{"unknown path", "GET", "/v1/nothing", 404, hdr(), notFound, true},
		{"unknown path answering 200", "GET", "/v1/nothing", 200, hdr(), `{}`, false},
		{"unknown path without the envelope", "GET", "/v1/nothing", 404, hdr(), `not found`, false},
		{"wrong method", "DELETE", "/v1/classes/c1", 405, hdr("Allow", "GET, PATCH"), `{"error":{"code":"invalid","message":"x"}}`, true},
		{"wrong method without Allow", "DELETE", "/v1/classes/c1", 405, hdr(), `{"error":{"code":"invalid","message":"x"}}`, false},
		{"health", "GET", "/healthz", 200, hdr(), `{"status":"ok"}`, true},
		{"health not ok", "GET", "/healthz", 200, hdr(), `{"status":"down"}`, false},
	} {
		err := doc.CheckResponse(tc.method, tc.target, tc.status, tc.header, []byte(tc.body))
		if (err == nil) != tc.ok {
			t.Errorf("%s: CheckResponse: %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}

func TestCheckRequest(t *testing.T) {
	t.Parallel()
	doc := apitest.API(t)
	for _, tc := range []struct {
		method, target, body string
		ok                   bool
	}{
		{"POST", "/v1/classes", `{"year_id":"y1","grade":5,"letter":"А"}`, true},
		{"POST", "/v1/classes", `{"year_id":"y1","grade":5}`, false},
		{"POST", "/v1/classes", `{"year_id":"y1","grade":5,"letter":"А","version":3}`, false},
		{"PATCH", "/v1/classes/c1", `{"version":1,"grade":6}`, true},
		{"PATCH", "/v1/classes/c1", `{"grade":6}`, false},
		{"PATCH", "/v1/classes/c1", `{"version":1,"year_id":"y2"}`, false},
		{"GET", "/v1/classes/c1", `{}`, false},
		{"DELETE", "/v1/classes/c1", ``, false},
	} {
		if err := doc.CheckRequest(tc.method, tc.target, "application/json", []byte(tc.body)); (err == nil) != tc.ok {
			t.Errorf("%s %s %s: %v, want ok %v", tc.method, tc.target, tc.body, err, tc.ok)
		}
	}
}

// TestAPITags checks that the document declares, with a description, every
// tag its operations use, and no tag that none uses: the merged parts add
// operations, the base document lists the tags.
func TestAPITags(t *testing.T) {
	t.Parallel()
	doc := apitest.API(t)
	declared := map[string]bool{}
	tags, _ := doc.Root()["tags"].([]any)
	for _, tag := range tags {
		m, _ := tag.(map[string]any)
		name, _ := m["name"].(string)
		if desc, _ := m["description"].(string); name == "" || desc == "" || declared[name] {
			t.Errorf("tag %v: want a unique name and a description", m)
		}
		declared[name] = true
	}
	used := map[string]bool{}
	for _, op := range doc.Operations() {
		opTags, _ := op.Object["tags"].([]any)
		if len(opTags) == 0 {
			t.Errorf("%s %s has no tag", op.Method, op.Path)
		}
		for _, tag := range opTags {
			name, _ := tag.(string)
			if !declared[name] {
				t.Errorf("%s %s: tag %q is not in the document's tags", op.Method, op.Path, name)
			}
			used[name] = true
		}
	}
	for name := range declared {
		if !used[name] {
			t.Errorf("tag %q is declared but no operation uses it", name)
		}
	}
}
