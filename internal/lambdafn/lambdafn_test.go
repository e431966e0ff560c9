package lambdafn_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ejournal/internal/api"
	"ejournal/internal/apitest"
	"ejournal/internal/auth"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
	"ejournal/internal/lambdatest"
)

const school = "sch-1"

// admin is the developer administrator of the test school.
var admin = http.Header{"X-School-Id": {school}}

// startDirectory runs the directory function, built as for AWS, under the
// emulator on a new table of the test engine.
func startDirectory(tb testing.TB) *lambdatest.Emulator {
	tb.Helper()
	return start(tb, "./functions/directory", directoryEnv(tb))
}

// start runs the function main package pkg, built as for AWS, under the
// emulator with the environment env.
func start(tb testing.TB, pkg string, env []string) *lambdatest.Emulator {
	tb.Helper()
	return lambdatest.Start(tb, lambdatest.Build(tb, pkg, runtime.GOOS, runtime.GOARCH), env...)
}

// directoryEnv is the environment of a function on a new table, acting
// as the developer administrator: the directory test creates its school
// through the API, which only the operator may do.
func directoryEnv(tb testing.TB) []string {
	tb.Helper()
	env, _ := functionEnv(tb, dynamotest.NewTable(tb, dynamotest.Client(tb)))
	return append(env, api.DevAdminSwitch+"=1")
}

// functionEnv is the environment of a function on table of the test
// engine with token sign-in: the signing key is a new key file in a
// temporary directory, made as a local server makes it. It returns the
// key too, to check the tokens the function signs.
func functionEnv(tb testing.TB, table string) ([]string, ed25519.PrivateKey) {
	tb.Helper()
	file := filepath.Join(tb.TempDir(), "signing-key.pem")
	key, err := auth.LoadOrCreateKeyFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	return []string{
		"TABLE_NAME=" + table,
		"DYNAMODB_ENDPOINT=" + dynamotest.Endpoint(tb),
		"SIGNING_KEY_FILE=" + file,
	}, key
}

func withHeader(h http.Header, kv ...string) http.Header {
	h = h.Clone()
	if h == nil {
		h = http.Header{}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

// check asserts that the answer r to ev has the status and the headers
// every API answer carries, matches the OpenAPI document and, when want is
// not empty, that its body is the JSON want.
func check(t *testing.T, ev events.APIGatewayV2HTTPRequest, r lambdatest.Response, status int, want string) {
	t.Helper()
	checkAnswer(t, ev, r, status, want, false)
}

// checkAnswer is check, for a file (an XLSX or CSV download) when file is
// set: its Content-Type is the exchange's to check, not JSON.
func checkAnswer(t *testing.T, ev events.APIGatewayV2HTTPRequest, r lambdatest.Response, status int, want string, file bool) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body %s", r.Status, status, r.Body)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json; charset=utf-8" && !file {
		t.Errorf("content-type %q", got)
	}
	if r.Header.Get("X-Request-Id") == "" {
		t.Error("no x-request-id")
	}
	if err := apitest.API(t).CheckResponse(ev.RequestContext.HTTP.Method, ev.RawPath, r.Status, r.Header, r.Body); err != nil {
		t.Errorf("%s %s: the answer does not match the OpenAPI document: %v\nbody: %s", ev.RequestContext.HTTP.Method, ev.RawPath, err, r.Body)
	}
	if want == "" {
		return
	}
	var got, exp any
	if err := json.Unmarshal(r.Body, &got); err != nil {
		t.Fatalf("body %s: %v", r.Body, err)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("want %s: %v", want, err)
	}
	if !reflect.DeepEqual(got, exp) {
		t.Errorf("body\n got %s\nwant %s", r.Body, want)
	}
}

// exchange is one request to a function and the answer it must give.
type exchange struct {
	name   string
	method string
	target string
	header http.Header
	body   string
	status int
	// want, when not empty, is the JSON body of the answer.
	want string
	// headers are headers the answer must carry.
	headers map[string]string
}

// run sends the request to fn and checks the answer.
func (x exchange) run(t *testing.T, fn *lambdatest.Emulator) lambdatest.Response {
	t.Helper()
	ev := lambdatest.Event(x.method, x.target, x.header, x.body)
	r := fn.HTTP(t, ev)
	_, file := x.headers["Content-Type"]
	checkAnswer(t, ev, r, x.status, x.want, file)
	for k, v := range x.headers {
		if got := r.Header.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	return r
}

// runAll runs each exchange as a subtest.
func runAll(t *testing.T, fn *lambdatest.Emulator, xs []exchange) {
	t.Helper()
	for _, x := range xs {
		t.Run(x.name, func(t *testing.T) { x.run(t, fn) })
	}
}

func TestDirectoryFunction(t *testing.T) {
	fn := startDirectory(t)
	// post sends ev, which must create a record, and decodes the record
	// into v; id names it for the Location check.
	post := func(ev events.APIGatewayV2HTTPRequest, v any, id func() string) string {
		t.Helper()
		r := fn.HTTP(t, ev)
		check(t, ev, r, http.StatusCreated, "")
		if err := json.Unmarshal(r.Body, v); err != nil {
			t.Fatal(err)
		}
		if got, want := r.Header.Get("Location"), ev.RawPath+"/"+id(); got != want {
			t.Errorf("location %q, want %q", got, want)
		}
		return string(r.Body)
	}

	var s ejournal.School
	post(lambdatest.Event(http.MethodPost, "/v1/schools", admin, `{"id":"`+school+`","name":"МАОУ СОШ № 1","time_zone":"Asia/Yekaterinburg"}`),
		&s, func() string { return s.ID })
	if s.ID != school || s.Version != 1 {
		t.Fatalf("school %+v", s)
	}
	var y ejournal.SchoolYear
	post(lambdatest.Event(http.MethodPost, "/v1/years", admin, `{"name":"2025/2026","start":"2025-09-01","end":"2026-08-31","term_kind":"halves","terms":[
		{"id":"h1","name":"1 полугодие","start":"2025-09-01","end":"2025-12-28"},
		{"id":"h2","name":"2 полугодие","start":"2026-01-12","end":"2026-05-31"}]}`), &y, func() string { return y.ID })
	if y.SchoolID != school || len(y.Terms) != 2 {
		t.Fatalf("year %+v", y)
	}
	// API Gateway may hand the body over base64-encoded; the adapter decodes it.
	ev := lambdatest.Event(http.MethodPost, "/v1/classes", admin, "")
	ev.Body = base64.StdEncoding.EncodeToString([]byte(`{"year_id":"` + y.ID + `","grade":5,"letter":"А"}`))
	ev.IsBase64Encoded = true
	var c ejournal.Class
	class := post(ev, &c, func() string { return c.ID })
	if c.ID == "" || c.YearID != y.ID || c.Name() != "5А" || c.SchoolID != school {
		t.Fatalf("class %+v", c)
	}

	runAll(t, fn, []exchange{
		{name: "health", method: "GET", target: "/healthz", header: http.Header{"X-Request-Id": {"req-0123456789"}},
			status: 200, want: `{"status":"ok"}`, headers: map[string]string{"X-Request-Id": "req-0123456789"}},
		{name: "class by id", method: "GET", target: "/v1/classes/" + c.ID, header: admin, status: 200, want: class},
		{name: "classes of the year", method: "GET", target: "/v1/classes?year_id=" + y.ID, header: admin, status: 200, want: `{"items":[` + class + `]}`},
		{name: "malformed JSON", method: "POST", target: "/v1/classes", header: admin, body: `{"grade":`,
			status: 400, want: `{"error":{"code":"invalid","message":"Некорректный JSON."}}`, headers: map[string]string{"Content-Language": "ru"}},
		{name: "grade 12", method: "POST", target: "/v1/classes", header: admin, body: `{"year_id":"` + y.ID + `","grade":12,"letter":"А"}`,
			status: 400, want: `{"error":{"code":"invalid","message":"Проверьте введённые данные.","fields":{"grade":"Параллель — число от 1 до 11."}}}`},
		{name: "grade 12 in English", method: "POST", target: "/v1/classes", header: withHeader(admin, "Accept-Language", "en"), body: `{"year_id":"` + y.ID + `","grade":12,"letter":"А"}`,
			status: 400, want: `{"error":{"code":"invalid","message":"Please check the data you entered.","fields":{"grade":"The grade is a number from 1 to 11."}}}`,
			headers: map[string]string{"Content-Language": "en"}},
		{name: "unknown class", method: "GET", target: "/v1/classes/nope", header: admin,
			status: 404, want: `{"error":{"code":"not_found","message":"Класс: запись не найдена"}}`},
		{name: "no school", method: "GET", target: "/v1/classes", header: withHeader(nil, "Accept-Language", "en"),
			status: 401, want: `{"error":{"code":"unauthorized","message":"Give the school in the X-School-Id header."}}`},
	})
}

// fatalRecorder is a testing.TB whose Fatal ends only the goroutine and
// keeps the message, to test that a helper fails the test.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestHelloAndFunctionErrors(t *testing.T) {
	fn := lambdatest.Start(t, lambdatest.Build(t, "./internal/lambdafn/testdata/hello", runtime.GOOS, runtime.GOARCH))
	r := fn.HTTP(t, lambdatest.Event(http.MethodGet, "/", nil, ""))
	if r.Status != http.StatusOK || string(r.Body) != "hello" {
		t.Fatalf("hello: %d %q", r.Status, r.Body)
	}
	// An event the handler cannot decode is a function error, which the
	// emulator answers with status 200 and errorMessage/errorType.
	rec := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn.Invoke(rec, []byte(`[1]`))
	}()
	<-done
	if !strings.Contains(rec.msg, "function failed") {
		t.Errorf("a function error did not fail the test: %q", rec.msg)
	}
}

func TestBuildFlagsMatchMakefile(t *testing.T) {
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	var flags []string
	for _, f := range lambdatest.BuildFlags {
		if k, v, ok := strings.Cut(f, "="); ok && strings.Contains(v, " ") {
			f = k + `="` + v + `"`
		}
		flags = append(flags, f)
	}
	want := "LAMBDA_FLAGS := " + strings.Join(flags, " ")
	if !slices.Contains(strings.Split(string(mk), "\n"), want) {
		t.Errorf("Makefile has no line %q: lambdatest.Build would not build functions as `make build` does", want)
	}
}

// BenchmarkColdStart compares the cold start of the directory function
// with a hello-world, both built as for AWS and run under the emulator: for
// each of a few fresh emulators, the time from starting the process to the
// first invocation's answer, and the init phase the emulator reports. The
// directory's first request lists classes, so it includes the first
// DynamoDB call. It also reports the linux/arm64 binary sizes.
func BenchmarkColdStart(b *testing.B) {
	const starts = 7
	fns := []*coldStart{
		{name: "hello", pkg: "./internal/lambdafn/testdata/hello", target: "/"},
		{name: "directory", pkg: "./functions/directory", target: "/v1/classes", env: directoryEnv(b)},
	}
	for _, f := range fns {
		f.bin = lambdatest.Build(b, f.pkg, runtime.GOOS, runtime.GOARCH)
		st, err := os.Stat(lambdatest.Build(b, f.pkg, "linux", "arm64"))
		if err != nil {
			b.Fatal(err)
		}
		f.sizeMB = float64(st.Size()) / 1e6
	}
	for b.Loop() {
		// The first round only warms the page cache and DynamoDB Local's JIT;
		// the rounds are interleaved so that noise hits both functions alike.
		for i := range starts + 1 {
			for _, f := range fns {
				if s := f.measure(b); i > 0 {
					f.samples = append(f.samples, s)
				}
			}
		}
	}
	hello, dir := fns[0], fns[1]
	first := func(s sample) float64 { return s.first }
	init := func(s sample) float64 { return s.init }
	for _, f := range fns {
		b.ReportMetric(f.median(first), f.name+"_first_invoke_ms")
		b.ReportMetric(f.median(init), f.name+"_init_ms")
		b.ReportMetric(f.sizeMB, f.name+"_bin_MB")
	}
	b.ReportMetric(dir.median(first)/hello.median(first), "first_invoke_ratio")
	b.ReportMetric(dir.median(init)/hello.median(init), "init_ratio")
	b.Logf("cold start under aws-lambda-rie on %s/%s: medians of %d fresh starts, ms", runtime.GOOS, runtime.GOARCH, len(hello.samples))
	b.Logf("(ready: process start to listening; init: the emulator's INIT REPORT; 1st req: ready to first answer; first: process start to first answer)")
	b.Logf("%-10s %8s %8s %8s %8s %8s %12s", "function", "ready", "init", "1st req", "first", "2nd req", "linux/arm64")
	for _, f := range fns {
		b.Logf("%-10s %8.2f %8.2f %8.2f %8.2f %8.2f %9.2f MB", f.name,
			f.median(func(s sample) float64 { return s.ready }), f.median(init),
			f.median(func(s sample) float64 { return s.request }), f.median(first),
			f.median(func(s sample) float64 { return s.warm }), f.sizeMB)
	}
	b.Logf("directory/hello: first invoke %.2fx, init %.2fx", dir.median(first)/hello.median(first), dir.median(init)/hello.median(init))
}

// coldStart is one function of the cold start benchmark.
type coldStart struct {
	name, pkg, target string
	env               []string
	bin               string
	sizeMB            float64
	samples           []sample
}

// sample is one cold start, in milliseconds.
type sample struct {
	ready   float64 // process start until the emulator listens
	request float64 // from then until the first answer
	first   float64 // process start until the first answer
	init    float64 // the function's init phase
	warm    float64 // the second request
}

func (f *coldStart) measure(b *testing.B) sample {
	e := lambdatest.Start(b, f.bin, f.env...)
	defer e.Stop()
	ev := lambdatest.Event(http.MethodGet, f.target, admin, "")
	r := e.HTTP(b, ev)
	done := time.Now()
	if r.Status != http.StatusOK {
		b.Fatalf("%s: status %d: %s", f.name, r.Status, r.Body)
	}
	e.HTTP(b, ev)
	warm := time.Since(done)
	init, ok := e.InitDuration()
	if !ok {
		b.Fatalf("%s: no INIT REPORT in the emulator's output:\n%s", f.name, e.Output())
	}
	return sample{ready: ms(e.Ready.Sub(e.Started)), request: ms(done.Sub(e.Ready)), first: ms(done.Sub(e.Started)), init: ms(init), warm: ms(warm)}
}

func (f *coldStart) median(field func(sample) float64) float64 {
	xs := make([]float64, len(f.samples))
	for i, s := range f.samples {
		xs[i] = field(s)
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
