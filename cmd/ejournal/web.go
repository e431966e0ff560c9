package main

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// webCSP is the Content-Security-Policy of the front end served locally:
// its own files and API only, no inline script, no frames. The hosted
// front end gets the same policy from CloudFront (infra/web.yaml; a test
// keeps the two equal).
const webCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// withWeb serves the built front end of dir (web/dist) on the API's
// origin: the API's paths (/v1/…, /healthz) go to api, a file of dir is
// served as it is, and any other path gets index.html, since the app
// routes on the client.
func withWeb(api http.Handler, dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1/") || r.URL.Path == "/healthz" {
			api.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", webCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		name := path.Clean("/" + r.URL.Path)
		if fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name))); err != nil || fi.IsDir() && name != "/" {
			if strings.Count(strings.TrimSuffix(name, "/"), "/") > 1 {
				// The app refers to its files relatively (./assets/…), so a
				// deeper path would load nothing: send it to the app's start,
				// as the hosted front end's CloudFront Function does.
				http.Redirect(w, r, "/", http.StatusFound)
				return
			}
			r = r.Clone(r.Context())
			r.URL.Path = "/"
		}
		if r.URL.Path == "/" || strings.HasSuffix(r.URL.Path, "/sw.js") || strings.HasSuffix(r.URL.Path, "/config.json") {
			// The shell, the service worker and the configuration must
			// never be stale; the hashed assets may be cached.
			h.Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}

// webDist returns root's built front end (web/dist), or "" when it has
// not been built.
func webDist(root string) string {
	dir := filepath.Join(root, "web", "dist")
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return ""
	}
	return dir
}
