package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWithWeb: the API's paths reach the API; the front end's files are
// served with the security headers; any other path gets the app's
// index.html (client-side routes), never a directory listing.
func TestWithWeb(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"index.html": "<!doctype html>app", "assets/app-1a2b.js": "console.log(1)", "config.json": `{"apiBase":"/"}`} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("api " + r.URL.Path)) })
	h := withWeb(api, dir)
	for _, c := range []struct{ path, body, cache string }{
		{"/v1/me", "api /v1/me", ""},
		{"/healthz", "api /healthz", ""},
		{"/", "<!doctype html>app", "no-cache"},
		{"/assets/app-1a2b.js", "console.log(1)", ""},
		{"/config.json", `{"apiBase":"/"}`, "no-cache"},
		{"/journal", "<!doctype html>app", "no-cache"},
		{"/assets/", "<!doctype html>app", "no-cache"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, c.path, nil))
		if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != c.body {
			t.Errorf("GET %s: %d %q, want %q", c.path, rec.Code, rec.Body.String(), c.body)
		}
		if got := rec.Header().Get("Cache-Control"); got != c.cache {
			t.Errorf("GET %s: Cache-Control %q, want %q", c.path, got, c.cache)
		}
		if api := strings.HasPrefix(c.body, "api "); !api && (rec.Header().Get("Content-Security-Policy") != webCSP || rec.Header().Get("X-Content-Type-Options") != "nosniff") {
			t.Errorf("GET %s: security headers %v", c.path, rec.Header())
		}
	}
	for _, p := range []string{"/journal/5a", "/assets/missing/x", "/a/b/", "/../../etc/passwd"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		if rec.Code != http.StatusFound || rec.Header().Get("Location") != "/" {
			t.Errorf("GET %s: %d to %q, want 302 to /", p, rec.Code, rec.Header().Get("Location"))
		}
	}
	if webDist(t.TempDir()) != "" {
		t.Error("webDist of a tree without web/dist/index.html is not empty")
	}
}

// TestWebCSPMatchesHosting: the local server sends the Content-Security-Policy
// the hosted front end gets from CloudFront, so what works under make run
// works when hosted.
func TestWebCSPMatchesHosting(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "infra", "web.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "ContentSecurityPolicy: >-\n")
	if !ok {
		t.Fatal("infra/web.yaml has no folded ContentSecurityPolicy")
	}
	var parts []string
	for _, line := range strings.Split(rest, "\n") {
		if !strings.HasPrefix(line, "              ") {
			break
		}
		parts = append(parts, strings.TrimSpace(line))
	}
	if hosted := strings.Join(parts, " "); hosted != webCSP {
		t.Errorf("hosted CSP\n  %s\nlocal CSP\n  %s", hosted, webCSP)
	}
}
