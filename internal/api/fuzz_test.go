package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// fuzzSeeds are awkward request bodies; each is tried on every resource.
var fuzzSeeds = []string{
	``, ` `, `null`, `true`, `0`, `"x"`, `[]`, `{}`, `{`, `}`, `{"`, `{"grade":}`, `{"grade":5}}`, `{}]`, `{} {}`,
	`{"version":1}`, `{"version":0}`, `{"version":-1}`, `{"version":1.5}`, `{"version":"1"}`, `{"version":null}`,
	`{"version":9223372036854775807,"grade":5}`, `{"version":9223372036854775808}`, `{"version":1e400}`,
	`{"grade":1e400}`, `{"grade":-9223372036854775809}`, `{"grade":5,"grade":"x"}`, `{"GRADE":5}`,
	`{"letter":"\u0000"}`, `{"letter":"\ud800"}`, "{\"letter\":\"\xff\xfe\"}", "\xef\xbb\xbf{}", `{"letter":"А\u0301"}`,
	`{"id":"../../x"}`, `{"id":"a#b"}`, `{"id":""}`, `{"school_id":"school-b"}`, `{"school_id":""}`,
	`{"created_at":"yesterday"}`, `{"created_at":"2025-13-01T00:00:00Z"}`, `{"updated_at":1}`,
	`{"terms":[{"start":{}}]}`, `{"terms":{}}`, `{"terms":[null,null]}`, `{"term_kind":"quarters","terms":[]}`,
	`{"grades":[0]}`, `{"grades":[1,1]}`, `{"grades":[1,2,3,4,5,6,7,8,9,10,11,12]}`, `{"grades":null}`,
	`{"year_id":"school-b-year","grade":5,"letter":"А"}`, `{"class_teacher_id":"school-a-student"}`, `{"group_id":"school-a-group2"}`,
	`{"hours_per_week":41}`, `{"name":"` + strings.Repeat("я", 201) + `"}`, `{"name":"` + strings.Repeat(" ", 10_000) + `x"}`,
	strings.Repeat("[", 10_001) + strings.Repeat("]", 10_001),
	`{"a":` + strings.Repeat(`{"a":`, 1000) + `1` + strings.Repeat(`}`, 1001),
}

// FuzzDecodeJSON sends arbitrary bytes as the body of a create and of an
// update of one resource (picked by kind). The server must never fail
// (5xx, which a panic becomes) and every answer must match the OpenAPI
// document, so every 4xx is a valid error envelope. `make test` runs the
// seeds; run it for real with
//
//	go run ./cmd/ejournal with-dynamodb -- go test -run '^$' -fuzz FuzzDecodeJSON -fuzztime 30s ./internal/api
func FuzzDecodeJSON(f *testing.F) {
	w := newWorld(f)
	for i, rc := range resources {
		valid, _ := json.Marshal(w.body(rc.create, nil))
		patch, _ := json.Marshal(w.body(rc.change, map[string]any{"version": 1}))
		f.Add(uint8(i), valid)
		f.Add(uint8(i), patch)
		for _, s := range fuzzSeeds {
			f.Add(uint8(i), []byte(s))
		}
	}
	c := w.as(adminA)
	// Bodies the server accepts may hold what the document forbids
	// (e.g. version on create, which is ignored).
	c.LaxRequests = true
	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		rc := resources[int(kind)%len(resources)]
		post := c.Post(t, rc.path, body)
		patch := c.Patch(t, rc.path+"/"+w.a[rc.kind], body)
		for _, status := range []int{post.Status, patch.Status} {
			if status >= http.StatusInternalServerError {
				t.Fatalf("status %d for %s body %q\nPOST: %s\nPATCH: %s", status, rc.path, body, post.Body, patch.Body)
			}
		}
	})
}
