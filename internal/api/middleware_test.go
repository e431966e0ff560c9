package api_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"ejournal/internal/api"
	"ejournal/internal/apitest"
	"ejournal/internal/ejournal"
)

// bare returns a client of a server without a store: its directory is dir
// (nil panics on use) and its log goes to the returned buffer.
func bare(t *testing.T, dir ejournal.DirectoryService) (apitest.Client, *apitest.Buffer) {
	t.Helper()
	log := &apitest.Buffer{}
	s := &api.Server{Directory: dir, Auth: tokens, Logger: slog.New(slog.NewJSONHandler(log, nil))}
	return apitest.Client{Handler: s.Handler(), Doc: apitest.API(t)}, log
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	c, _ := bare(t, nil)
	generated := regexp.MustCompile(`^[0-9a-f]{24}$`)
	for _, tc := range []struct {
		name, sent string
		echoed     bool
	}{
		{"absent", "", false},
		{"valid", "req-2025.09.01_ABC", true},
		{"longest", strings.Repeat("a", 128), true},
		{"too short", "abc1234", false},
		{"too long", strings.Repeat("a", 129), false},
		{"bad characters", "id with spaces", false},
		{"header injection", "abcdefgh\r\nX-Evil: 1", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cc := c
			if tc.sent != "" {
				cc = c.With("X-Request-Id", tc.sent)
			}
			for _, target := range []string{"/healthz", "/v1/years", "/v1/no-such-path"} {
				got := cc.Get(t, target).Header.Get("X-Request-Id")
				if tc.echoed && got != tc.sent || !tc.echoed && !generated.MatchString(got) {
					t.Errorf("%s: X-Request-Id %q for %q sent", target, got, tc.sent)
				}
			}
		})
	}
	a := c.Get(t, "/healthz").Header.Get("X-Request-Id")
	if b := c.Get(t, "/healthz").Header.Get("X-Request-Id"); a == b {
		t.Errorf("two requests got the same id %q", a)
	}
}

func TestLanguage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, tc := range []struct {
		header, lang, message, grade string
	}{
		{"", "ru", "Войдите в систему.", "Параллель — число от 1 до 11."},
		{"en", "en", "Please sign in.", "The grade is a number from 1 to 11."},
		{"en-US,en;q=0.9", "en", "Please sign in.", "The grade is a number from 1 to 11."},
		{"ru-RU,ru;q=0.9,en;q=0.8", "ru", "Войдите в систему.", "Параллель — число от 1 до 11."},
		{"ru;q=0.4, en;q=0.8", "en", "Please sign in.", "The grade is a number from 1 to 11."},
		{"de-DE, fr;q=0.9", "ru", "Войдите в систему.", "Параллель — число от 1 до 11."},
	} {
		t.Run(tc.header, func(t *testing.T) {
			c := w.Client
			if tc.header != "" {
				c = c.With("Accept-Language", tc.header)
			}
			res := c.Get(t, "/v1/years")
			if e := wantError(t, res, http.StatusUnauthorized, ""); e.Message != tc.message {
				t.Errorf("message %q, want %q", e.Message, tc.message)
			}
			if got := res.Header.Get("Content-Language"); got != tc.lang {
				t.Errorf("Content-Language %q, want %q", got, tc.lang)
			}
			res = c.As(adminA).Post(t, "/v1/classes", w.body(map[string]any{"year_id": "$a.year", "grade": 12, "letter": "А"}, nil))
			if e := wantError(t, res, http.StatusBadRequest, "grade"); e.Fields["grade"] != tc.grade {
				t.Errorf("grade message %q, want %q", e.Fields["grade"], tc.grade)
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.as(adminA)
	const limit = 1 << 20
	// body is a valid subject padded with spaces to n bytes.
	body := func(name string, n int) string {
		s := `{"name":"` + name + `","short_name":"Хим"}`
		return s + strings.Repeat(" ", n-len(s))
	}
	before := listIDs(t, admin, "/v1/subjects")
	e := wantError(t, admin.Post(t, "/v1/subjects", body("Химия", limit+1)), http.StatusRequestEntityTooLarge, "")
	if e.Code != ejournal.EINVALID || e.Message != "Слишком большой запрос." {
		t.Errorf("error %+v", e)
	}
	if after := listIDs(t, admin, "/v1/subjects"); len(after) != len(before) {
		t.Errorf("a refused request wrote a subject: %v", after)
	}
	subject := admin.Post(t, "/v1/subjects", body("Химия", limit)).Want(t, http.StatusCreated).Object(t)
	target := "/v1/subjects/" + subject["id"].(string)
	wantError(t, admin.Patch(t, target, strings.Replace(body("Биология", limit+1), "{", `{"version":1,`, 1)), http.StatusRequestEntityTooLarge, "")
	wantFields(t, admin.Get(t, target).Want(t, http.StatusOK).Object(t), map[string]any{"name": "Химия", "version": 1})
	wantError(t, w.as(operator).Post(t, "/v1/schools", strings.Repeat(" ", limit+1)), http.StatusRequestEntityTooLarge, "")
}

// failingDirectory fails every listing of years with an internal error
// whose text must never reach users.
type failingDirectory struct{ ejournal.DirectoryService }

func (failingDirectory) Years(context.Context, string) ([]*ejournal.SchoolYear, error) {
	return nil, errors.New("dynamodb: table ejournal-secret is gone")
}

func TestInternalErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		dir  ejournal.DirectoryService
		// logged must appear in the log and never in the response.
		logged string
	}{
		{"panic", nil, "nil pointer dereference"},
		{"error", failingDirectory{}, "ejournal-secret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, log := bare(t, tc.dir)
			for _, lang := range []string{"ru", "en"} {
				res := c.As(adminA).With("Accept-Language", lang).Get(t, "/v1/years")
				e := wantError(t, res, http.StatusInternalServerError, "")
				if want := ejournal.Internal(nil).Message.In(lang); e.Message != want || e.Code != ejournal.EINTERNAL || e.Fields != nil {
					t.Errorf("error %+v, want the generic %q", e, want)
				}
				for _, leak := range []string{tc.logged, "runtime", "goroutine", ".go:", "dynamodb"} {
					if bytes.Contains(res.Body, []byte(leak)) {
						t.Errorf("the response leaks %q: %s", leak, res.Body)
					}
				}
				if id := res.Header.Get("X-Request-Id"); !strings.Contains(log.String(), id) {
					t.Errorf("the log lacks request %s", id)
				}
			}
			if !strings.Contains(log.String(), tc.logged) {
				t.Errorf("the log lacks the cause %q:\n%s", tc.logged, log)
			}
			// The server keeps serving.
			c.Get(t, "/healthz").Want(t, http.StatusOK)
		})
	}
}

func TestRouting(t *testing.T) {
	t.Parallel()
	c, _ := bare(t, nil)
	for _, tc := range []struct {
		method, target string
		status         int
		allow          string
	}{
		{"GET", "/", http.StatusNotFound, ""},
		{"GET", "/v1", http.StatusNotFound, ""},
		{"GET", "/v1/no-such-path", http.StatusNotFound, ""},
		{"GET", "/v1/classes/a/b", http.StatusNotFound, ""},
		{"GET", "/v1/classes/", http.StatusNotFound, ""},
		{"POST", "/v2/classes", http.StatusNotFound, ""},
		{"DELETE", "/v1/classes/x", http.StatusMethodNotAllowed, "GET, PATCH"},
		{"PUT", "/v1/classes/x", http.StatusMethodNotAllowed, "GET, PATCH"},
		{"DELETE", "/v1/classes", http.StatusMethodNotAllowed, "GET, POST"},
		{"PATCH", "/v1/schools", http.StatusMethodNotAllowed, "GET, POST"},
		{"POST", "/healthz", http.StatusMethodNotAllowed, "GET"},
		{"PUT", "/v1/openapi.json", http.StatusMethodNotAllowed, "GET"},
	} {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			// Routing answers before authentication.
			res := c.Do(t, tc.method, tc.target, nil)
			e := wantError(t, res, tc.status, "")
			if want := map[int]string{404: ejournal.ENOTFOUND, 405: ejournal.EINVALID}[tc.status]; e.Code != want {
				t.Errorf("code %q, want %q", e.Code, want)
			}
			if got := res.Header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow %q, want %q", got, tc.allow)
			}
		})
	}
}

func TestPlatform(t *testing.T) {
	t.Parallel()
	c, _ := bare(t, nil)
	res := c.Get(t, "/healthz").Want(t, http.StatusOK)
	if string(res.Body) != "{\"status\":\"ok\"}\n" {
		t.Errorf("healthz body %q", res.Body)
	}
	for _, h := range [][2]string{{"X-Content-Type-Options", "nosniff"}, {"Cache-Control", "no-store"}, {"Content-Type", "application/json; charset=utf-8"}} {
		if got := res.Header.Get(h[0]); got != h[1] {
			t.Errorf("%s: %q, want %q", h[0], got, h[1])
		}
	}
	res = c.Get(t, "/v1/openapi.json").Want(t, http.StatusOK)
	if !bytes.Equal(res.Body, api.OpenAPI()) {
		t.Error("/v1/openapi.json differs from the embedded document")
	}
	if got := res.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type %q", got)
	}
}
