package api_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"ejournal/internal/api"
	"ejournal/internal/apitest"
)

// TestOpenAPIRoutes keeps the document and the routes in step: every route
// is documented, every operation is served, and each documents what its
// route can answer.
func TestOpenAPIRoutes(t *testing.T) {
	t.Parallel()
	doc := apitest.API(t)
	ops := map[string]apitest.Operation{}
	for _, op := range doc.Operations() {
		ops[op.Method+" "+op.Path] = op
	}
	routes := (&api.Server{}).Routes()
	param := regexp.MustCompile(`\{([^}]+)\}`)
	for _, rt := range routes {
		key := rt.Method + " " + rt.Pattern
		op, ok := ops[key]
		if !ok {
			t.Errorf("route %s is not in openapi.json", key)
			continue
		}
		delete(ops, key)
		statuses := responseStatuses(op)
		security, hasSecurity := op.Object["security"].([]any)
		switch {
		case rt.Public && (!hasSecurity || len(security) != 0):
			t.Errorf("%s is public: its operation must say security: []", key)
		case !rt.Public && hasSecurity:
			t.Errorf("%s needs a signed-in user: its operation must not override security", key)
		case !rt.Public && !statuses["401"]:
			t.Errorf("%s needs a signed-in user but does not document 401", key)
		}
		if !statuses["500"] {
			t.Errorf("%s does not document 500", key)
		}
		if _, ok := op.Object["requestBody"]; ok && (!statuses["400"] || !statuses["413"]) {
			t.Errorf("%s takes a body but does not document 400 and 413", key)
		}
		if rt.Method == "POST" && !statuses["201"] && !statuses["200"] && !statuses["202"] || rt.Method != "POST" && !statuses["200"] && !statuses["302"] {
			t.Errorf("%s does not document its success status", key)
		}
		declared := pathParams(t, doc, op)
		for _, m := range param.FindAllStringSubmatch(rt.Pattern, -1) {
			if !declared[m[1]] {
				t.Errorf("%s does not declare the path parameter %q", key, m[1])
			}
			delete(declared, m[1])
		}
		if len(declared) > 0 {
			t.Errorf("%s declares path parameters its pattern lacks: %v", key, declared)
		}
	}
	for key := range ops {
		t.Errorf("openapi.json documents %s, which no route serves", key)
	}
}

func responseStatuses(op apitest.Operation) map[string]bool {
	out := map[string]bool{}
	responses, _ := op.Object["responses"].(map[string]any)
	for status := range responses {
		out[status] = true
	}
	return out
}

// pathParams returns the names of the path parameters an operation and its
// path item declare.
func pathParams(t *testing.T, doc *apitest.Doc, op apitest.Operation) map[string]bool {
	t.Helper()
	item, _ := doc.Root()["paths"].(map[string]any)[op.Path].(map[string]any)
	itemParams, _ := item["parameters"].([]any)
	opParams, _ := op.Object["parameters"].([]any)
	out := map[string]bool{}
	for _, p := range append(itemParams, opParams...) {
		m, _ := p.(map[string]any)
		if ref, ok := m["$ref"].(string); ok {
			name := strings.TrimPrefix(ref, "#/components/parameters/")
			m, _ = doc.Root()["components"].(map[string]any)["parameters"].(map[string]any)[name].(map[string]any)
		}
		if m["in"] == "path" {
			if m["required"] != true {
				t.Errorf("%s %s: path parameter %v is not required", op.Method, op.Path, m["name"])
			}
			out[m["name"].(string)] = true
		}
	}
	return out
}

// TestOpenAPIDocument checks the document as a whole: it parses, every $ref
// resolves, every schema compiles (apitest.Parse), and its operations are
// named and described.
func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	doc, err := apitest.Parse(api.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, op := range doc.Operations() {
		id, _ := op.Object["operationId"].(string)
		if id == "" || slices.Contains(ids, id) {
			t.Errorf("%s %s: operationId %q is missing or not unique", op.Method, op.Path, id)
		}
		ids = append(ids, id)
		for _, field := range []string{"summary", "description"} {
			if s, _ := op.Object[field].(string); s == "" {
				t.Errorf("%s %s has no %s", op.Method, op.Path, field)
			}
		}
	}
	schemes, _ := doc.Root()["components"].(map[string]any)["securitySchemes"].(map[string]any)
	bearer, _ := schemes["bearer"].(map[string]any)
	if bearer["type"] != "http" || bearer["scheme"] != "bearer" || !strings.Contains(bearer["description"].(string), api.DevAdminSwitch) {
		t.Errorf("the bearer security scheme %v must be http bearer and name the dev switch", bearer)
	}
}
