package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ejournal/internal/config"
	"ejournal/internal/dynamolocal"
	"ejournal/internal/dynamotest"
	"ejournal/internal/oidc"
	"ejournal/internal/oidc/oidctest"
)

// TestWebBrowser runs the web front end's browser tests (web/tests/run.mjs:
// Debian's Chromium driven by playwright-core, axe-core on every screen,
// screenshots under test-output/web) against the whole system as `make run`
// serves it: the built front end and every function's routes on one port,
// a freshly seeded demo school, the table's stream feeding notifications.
// It needs the build (web/dist, `make test` builds it), node and Chromium
// (.ci/run installs it); a missing one fails the test.
func TestWebBrowser(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, err := dynamolocal.FindRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	dist := webDist(root)
	if dist == "" {
		t.Fatal("web/dist is not built: run `npm run build` (`make test` builds it first)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed; the browser tests run with node and playwright-core")
	}
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("no Chromium at %s: install Debian's (apt-get install chromium; .ci/run does) or set CHROMIUM", chromium)
	}

	// A test Gosuslugi (an OpenID Connect provider) that signs in one subject at once; the scenario
	// web/tests/screens/gosuslugi.mjs links it to the demo parent and signs in with the app's button.
	// The provider sends the browser back to the app's page, so the server's address is chosen first.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	const subject = "esia-browser-parent"
	provider := oidctest.New(t, "ejournal-web", "browser-test-secret")
	provider.Approve(subject)

	client := dynamotest.Client(t)
	table := dynamotest.NewTable(t, client)
	var out bytes.Buffer
	o := testOptions(t, config.Config{Table: table, Endpoint: dynamotest.Endpoint(t), OIDC: oidc.Config{
		Issuer: provider.Issuer, ClientID: provider.ClientID, ClientSecret: provider.ClientSecret,
		RedirectURL: "http://" + addr + "/", DisplayName: "Госуслуги",
	}}, &out)
	o.webDir = dist
	o.addr = addr
	st, _ := startRun(t, o)

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	shots := filepath.Join(root, "test-output", "web")
	// WEB_TESTS="journal gosuslugi" runs only those scenarios (while working on them).
	cmd := exec.CommandContext(ctx, node, append([]string{filepath.Join("web", "tests", "run.mjs")}, strings.Fields(os.Getenv("WEB_TESTS"))...)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "BASE_URL="+st.URL, "OUT_DIR="+shots, "CHROMIUM="+chromium,
		"OIDC_ISSUER="+provider.Issuer, "OIDC_SUBJECT="+subject)
	var log bytes.Buffer
	cmd.Stdout = &log
	cmd.Stderr = &log
	start := time.Now()
	err = cmd.Run()
	t.Logf("web/tests/run.mjs against %s, %v:\n%s", st.URL, time.Since(start).Round(time.Second), log.String())
	// make test prints the summary from this file (go test hides a passing test's log).
	if err := os.MkdirAll(shots, 0o755); err == nil {
		_ = os.WriteFile(filepath.Join(shots, "run.log"), log.Bytes(), 0o644)
	}
	if err != nil {
		t.Fatalf("browser tests failed: %v (output above; screenshots in %s)", err, shots)
	}
	passed := strings.Count(log.String(), "\nok - ")
	if passed == 0 {
		t.Fatal("the browser tests reported no passed check")
	}
}
