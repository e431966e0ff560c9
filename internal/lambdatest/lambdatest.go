// Package lambdatest runs Lambda functions the way AWS does, for tests: it
// builds a function's bootstrap like `make build`, starts it under the AWS
// Lambda runtime interface emulator (aws-lambda-rie) and invokes it with API
// Gateway HTTP API (payload format 2.0) events, one invocation at a time.
package lambdatest

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ejournal/internal/api"
	"ejournal/internal/dynamolocal"
)

// BuildFlags are the go build flags of every function; the Makefile's
// LAMBDA_FLAGS must say the same (a test checks it).
var BuildFlags = []string{"-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w"}

// Build compiles the main package pkg (relative to the module root, e.g.
// "./functions/directory") into a bootstrap for goos/goarch, as `make build`
// does, and returns the binary's path in a new temporary directory.
func Build(tb testing.TB, pkg, goos, goarch string) string {
	tb.Helper()
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	root, err := dynamolocal.FindRoot(wd)
	if err != nil {
		tb.Fatal(err)
	}
	out := filepath.Join(tb.TempDir(), "bootstrap")
	args := append(append([]string{"build"}, BuildFlags...), "-o", out, pkg)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build %s for %s/%s: %v\n%s", pkg, goos, goarch, err, b)
	}
	return out
}

// Emulator is a function running under aws-lambda-rie.
type Emulator struct {
	// Started is when the emulator process was started.
	Started time.Time
	// Ready is when the emulator first accepted a connection.
	Ready time.Time

	url  string
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	mu   sync.Mutex // the emulator crashes on concurrent invocations
	stop sync.Once
}

// env is the part of Lambda's environment that matters to a Go function,
// with fixed credentials that only a local engine accepts.
func env(dir string) []string {
	return []string{
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"TZ=:UTC",
		"LANG=en_US.UTF-8",
		"LAMBDA_TASK_ROOT=" + dir,
		"AWS_REGION=us-east-1",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=local",
		"AWS_SECRET_ACCESS_KEY=local",
		"AWS_SESSION_TOKEN=local",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256", // as template.yaml's Globals
		"AWS_LAMBDA_FUNCTION_TIMEOUT=10",
	}
}

// Start runs bootstrap under aws-lambda-rie on free loopback ports with a
// Lambda-like environment plus extra (KEY=VALUE entries, which win), and
// returns once the emulator accepts connections. The emulator initialises
// the function lazily, on the first invocation, as Lambda does on a cold
// start. It is stopped when the test ends; its output is logged if the test
// failed.
func Start(tb testing.TB, bootstrap string, extra ...string) *Emulator {
	tb.Helper()
	rie, err := emulatorPath()
	if err != nil {
		tb.Fatal(err)
	}
	addrs, err := freeAddrs(2)
	if err != nil {
		tb.Fatal(err)
	}
	dir := filepath.Dir(bootstrap)
	e := &Emulator{url: "http://" + addrs[0] + "/2015-03-31/functions/function/invocations", out: &syncBuffer{}, done: make(chan struct{})}
	// The runtime API gets its own port: the emulator's default, 9001, would
	// collide with other emulators of a parallel test run.
	e.cmd = exec.Command(rie, "--runtime-interface-emulator-address", addrs[0], "--runtime-api-address", addrs[1], bootstrap)
	e.cmd.Dir = dir
	e.cmd.Env = append(env(dir), extra...)
	e.cmd.Stdout, e.cmd.Stderr = e.out, e.out
	// SIGTERM makes the emulator kill the function's process (which runs in
	// a process group of its own) and exit.
	e.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	e.Started = time.Now()
	if err := e.cmd.Start(); err != nil {
		tb.Fatalf("start aws-lambda-rie: %v", err)
	}
	go func() { _ = e.cmd.Wait(); close(e.done) }()
	tb.Cleanup(func() {
		e.Stop()
		if tb.Failed() {
			tb.Logf("aws-lambda-rie output:\n%s", e.Output())
		}
	})
	if err := e.waitReady(addrs[0]); err != nil {
		tb.Fatalf("%v\n%s", err, e.Output())
	}
	return e
}

func (e *Emulator) waitReady(addr string) error {
	deadline := time.After(10 * time.Second)
	for {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			e.Ready = time.Now()
			return c.Close()
		}
		select {
		case <-e.done:
			return errors.New("aws-lambda-rie exited before it was ready")
		case <-deadline:
			return fmt.Errorf("aws-lambda-rie did not listen on %s within 10s", addr)
		case <-time.After(time.Millisecond):
		}
	}
}

// Stop ends the function and the emulator and waits for the emulator to
// exit.
func (e *Emulator) Stop() {
	e.stop.Do(func() {
		_ = e.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-e.done:
		case <-time.After(5 * time.Second):
			_ = e.cmd.Process.Kill()
			<-e.done
		}
	})
}

// Output is what the emulator and the function have written so far.
func (e *Emulator) Output() string { return e.out.String() }

var initReport = regexp.MustCompile(`INIT REPORT\(durationMs: ([0-9.]+)\)`)

// InitDuration is the function's init phase (process start until it asks
// for its first event) as the emulator logs it in "INIT REPORT(durationMs:
// X)"; false before the first invocation. The "Init Duration" of the
// emulator's REPORT line is not used: it times only the start of the
// asynchronous init, not the init itself.
func (e *Emulator) InitDuration() (time.Duration, bool) {
	m := initReport.FindStringSubmatch(e.Output())
	if m == nil {
		return 0, false
	}
	ms, err := strconv.ParseFloat(m[1], 64)
	return time.Duration(ms * float64(time.Millisecond)), err == nil
}

// Invoke sends one event and returns the function's result. A transport
// failure, a non-200 answer from the emulator and a function error (which
// the emulator returns with status 200 as errorMessage/errorType) all fail
// the test.
func (e *Emulator) Invoke(tb testing.TB, payload []byte) []byte {
	tb.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	resp, err := http.Post(e.url, "application/json", bytes.NewReader(payload))
	if err != nil {
		tb.Fatalf("invoke: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("invoke: read result: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("invoke: emulator answered %s: %s", resp.Status, body)
	}
	var fnErr struct {
		Message string `json:"errorMessage"`
		Type    string `json:"errorType"`
	}
	if json.Unmarshal(body, &fnErr) == nil && (fnErr.Message != "" || fnErr.Type != "") {
		tb.Fatalf("invoke: function failed: %s: %s", fnErr.Type, fnErr.Message)
	}
	return body
}

// Response is a function's answer to an HTTP API event, as API Gateway
// turns it into an HTTP response.
type Response struct {
	Status  int
	Header  http.Header
	Cookies []string
	Body    []byte
}

// HTTP invokes the function with an HTTP API event and decodes its answer.
func (e *Emulator) HTTP(tb testing.TB, ev events.APIGatewayV2HTTPRequest) Response {
	tb.Helper()
	payload, err := json.Marshal(ev)
	if err != nil {
		tb.Fatal(err)
	}
	var out events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(e.Invoke(tb, payload), &out); err != nil {
		tb.Fatalf("%s %s: result is not an HTTP API response: %v", ev.RequestContext.HTTP.Method, ev.RawPath, err)
	}
	r := Response{Status: out.StatusCode, Header: http.Header{}, Cookies: out.Cookies, Body: []byte(out.Body)}
	for k, v := range out.Headers {
		r.Header.Set(k, v)
	}
	if out.IsBase64Encoded {
		if r.Body, err = base64.StdEncoding.DecodeString(out.Body); err != nil {
			tb.Fatalf("%s %s: base64 body: %v", ev.RequestContext.HTTP.Method, ev.RawPath, err)
		}
	}
	return r
}

// Event builds the event API Gateway's HTTP API sends for a request to
// target (path and query) with the given headers and body: lower-case
// header names, cookies moved to their own list, the route key and path
// parameters of the API route that matches (else "$default"), and a request
// context. Callers may change fields, e.g. to send a base64-encoded body.
func Event(method, target string, header http.Header, body string) events.APIGatewayV2HTTPRequest {
	u, err := url.Parse(target)
	if err != nil {
		panic(fmt.Sprintf("lambdatest: bad target %q: %v", target, err))
	}
	const domain = "abc123.execute-api.us-east-1.amazonaws.com"
	headers := map[string]string{
		"host":              domain,
		"user-agent":        "lambdatest/1",
		"x-forwarded-for":   "203.0.113.7",
		"x-forwarded-port":  "443",
		"x-forwarded-proto": "https",
		"x-amzn-trace-id":   "Root=1-" + randomHex(4) + "-" + randomHex(12),
	}
	if body != "" {
		headers["content-length"] = strconv.Itoa(len(body))
	}
	var cookies []string
	for k, v := range header {
		if strings.EqualFold(k, "Cookie") {
			for _, c := range v {
				cookies = append(cookies, strings.Split(c, "; ")...)
			}
			continue
		}
		headers[strings.ToLower(k)] = strings.Join(v, ",")
	}
	var query map[string]string
	for k, v := range u.Query() {
		if query == nil {
			query = map[string]string{}
		}
		query[k] = strings.Join(v, ",")
	}
	routeKey, params := route(method, u.Path)
	now := time.Now().UTC()
	return events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              routeKey,
		RawPath:               u.EscapedPath(),
		RawQueryString:        u.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		QueryStringParameters: query,
		PathParameters:        params,
		Body:                  body,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     routeKey,
			AccountID:    "123456789012",
			Stage:        "$default",
			RequestID:    randomHex(8),
			APIID:        "abc123",
			DomainName:   domain,
			DomainPrefix: "abc123",
			Time:         now.Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:    now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    method,
				Path:      u.EscapedPath(),
				Protocol:  "HTTP/1.1",
				SourceIP:  "203.0.113.7",
				UserAgent: headers["user-agent"],
			},
		},
	}
}

// routes matches requests against the API's routes, as API Gateway does.
var routes = sync.OnceValue(func() *http.ServeMux {
	mux := http.NewServeMux()
	for _, rt := range (&api.Server{}).Routes() {
		mux.Handle(rt.Method+" "+rt.Pattern, http.NotFoundHandler())
	}
	return mux
})

// route returns the route key ("GET /v1/classes/{id}") and path parameters
// of the API route matching method and path, or "$default".
func route(method, path string) (string, map[string]string) {
	_, pattern := routes().Handler(&http.Request{Method: method, URL: &url.URL{Path: path}, Host: "localhost"})
	if pattern == "" {
		return "$default", nil
	}
	_, patternPath, _ := strings.Cut(pattern, " ")
	var params map[string]string
	segs := strings.Split(path, "/")
	for i, s := range strings.Split(patternPath, "/") {
		if strings.HasPrefix(s, "{") && i < len(segs) {
			if params == nil {
				params = map[string]string{}
			}
			params[strings.Trim(s, "{}")] = segs[i]
		}
	}
	return pattern, params
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// emulatorPath finds aws-lambda-rie in PATH or where `make tools` installs it.
func emulatorPath() (string, error) {
	if p, err := exec.LookPath("aws-lambda-rie"); err == nil {
		return p, nil
	}
	out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output()
	if err == nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		var dirs []string
		if len(lines) == 2 {
			dirs = append(dirs, lines[0])
			for _, p := range filepath.SplitList(lines[1]) {
				dirs = append(dirs, filepath.Join(p, "bin"))
			}
		}
		for _, d := range dirs {
			p := filepath.Join(d, "aws-lambda-rie")
			if st, err := os.Stat(p); d != "" && err == nil && !st.IsDir() {
				return p, nil
			}
		}
	}
	return "", errors.New("aws-lambda-rie (the AWS Lambda runtime interface emulator) is not in PATH or $(go env GOPATH)/bin: run `make tools`")
}

// freeAddrs returns n distinct free loopback addresses.
func freeAddrs(n int) ([]string, error) {
	var addrs []string
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer l.Close()
		addrs = append(addrs, l.Addr().String())
	}
	return addrs, nil
}

// syncBuffer collects the output of a process for concurrent readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
