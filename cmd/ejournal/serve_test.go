package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ejournal/internal/config"
	"ejournal/internal/demo"
	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
)

// startRun runs serve's run in the background until the returned stop is
// called (or the test ends) and returns what it reported when ready.
func startRun(t *testing.T, o options) (started, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan started, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, o, func(s started) { ready <- s }) }()
	var st started
	select {
	case st = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("run: %v", err)
	}
	var stopped bool
	stop := func() {
		t.Helper()
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run after cancel: %v", err)
		}
	}
	t.Cleanup(stop)
	return st, stop
}

// testOptions are run's options for a test: a free port, the signing key
// in a temporary directory and the demo password.
func testOptions(t *testing.T, cfg config.Config, out *bytes.Buffer) options {
	t.Helper()
	cfg.SigningKeyFile = filepath.Join(t.TempDir(), "signing-key.pem")
	return options{addr: "127.0.0.1:0", cfg: cfg, out: out, logger: slog.New(slog.DiscardHandler), password: demo.DefaultPassword}
}

type classList struct {
	Items []struct {
		ID       string `json:"id"`
		SchoolID string `json:"school_id"`
	} `json:"items"`
}

// get fetches base+path with the header (name, value pairs) and decodes a
// JSON body into v (if given); it returns the status.
func get(t *testing.T, base, path string, header []string, v any) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if v != nil && res.StatusCode == http.StatusOK {
		if err := json.NewDecoder(res.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	return res.StatusCode
}

// signIn signs in with a demo login and returns the Authorization header.
func signIn(t *testing.T, base, login string) []string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"login": login, "password": demo.DefaultPassword})
	res, err := http.Post(base+"/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&tok); err != nil || res.StatusCode != http.StatusOK || tok.AccessToken == "" {
		t.Fatalf("sign in as %s: status %d, %v", login, res.StatusCode, err)
	}
	return []string{"Authorization", "Bearer " + tok.AccessToken}
}

// classCase is a request for the class list and what it must give.
type classCase struct {
	name, path string
	header     []string
	status     int
	classes    int
	wantSchool string
}

func checkClasses(t *testing.T, base string, tests []classCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got classList
			if status := get(t, base, tt.path, tt.header, &got); status != tt.status {
				t.Fatalf("GET %s: status %d, want %d", tt.path, status, tt.status)
			}
			if tt.wantSchool == "" {
				return
			}
			if len(got.Items) != tt.classes {
				t.Errorf("GET %s: %d classes, want %d", tt.path, len(got.Items), tt.classes)
			}
			for _, c := range got.Items {
				if c.SchoolID != tt.wantSchool {
					t.Errorf("class %s of school %s listed for %s", c.ID, c.SchoolID, tt.wantSchool)
				}
			}
		})
	}
}

// TestServe runs the server twice on one table: the first run writes the
// demo and answers the demo accounts' sign-ins; the second finds the demo
// there and, with the developer switch on, also serves requests without a
// token as the administrator while requests with one act as their user.
func TestServe(t *testing.T) {
	endpoint := dynamotest.Endpoint(t)
	client := dynamotest.Client(t)
	table := dynamotest.NewTable(t, client)
	var out bytes.Buffer
	start := time.Now()
	st, stop := startRun(t, testOptions(t, config.Config{Table: table, Endpoint: endpoint}, &out))
	if !st.Seeded || st.Endpoint != endpoint {
		t.Fatalf("first run: %+v, want the demo seeded on %s", st, endpoint)
	}
	t.Logf("first run ready in %v", time.Since(start).Round(time.Millisecond))
	admin, admin2, teacher := signIn(t, st.URL, "admin"), signIn(t, st.URL, "admin2"), signIn(t, st.URL, "teacher")
	checkClasses(t, st.URL, []classCase{
		{name: "health", path: "/healthz", status: http.StatusOK},
		{name: "anonymous", path: "/v1/classes", status: http.StatusUnauthorized},
		{name: "admin", path: "/v1/classes", header: admin, status: http.StatusOK, classes: demo.SchoolCounts.Classes, wantSchool: demo.SchoolID},
		{name: "admin2", path: "/v1/classes", header: admin2, status: http.StatusOK, classes: demo.SmallSchoolCounts.Classes, wantSchool: demo.SmallSchoolID},
		{name: "teacher, one year", path: "/v1/classes?year_id=" + demo.YearID, header: teacher, status: http.StatusOK, classes: demo.SchoolCounts.Classes, wantSchool: demo.SchoolID},
		{name: "X-School-Id is no way out", path: "/v1/classes", header: append([]string{"X-School-Id", demo.SmallSchoolID}, teacher...), status: http.StatusOK, classes: demo.SchoolCounts.Classes, wantSchool: demo.SchoolID},
	})
	stop()
	banner := out.String()
	want := []string{st.URL, endpoint, demo.SchoolID, demo.SmallSchoolID, "written now", "password " + demo.DefaultPassword,
		"curl " + st.URL + "/healthz", "curl -s " + st.URL + "/v1/auth/login", `"Authorization: Bearer $TOKEN" ` + st.URL + "/v1/classes"}
	for _, a := range demo.Accounts() {
		want = append(want, "    "+a.Login+" ", a.Who)
	}
	for _, w := range want {
		if !strings.Contains(banner, w) {
			t.Errorf("start-up banner lacks %q:\n%s", w, banner)
		}
	}
	if strings.Contains(banner, "WARNING") {
		t.Errorf("the banner warns of the developer switch, which is off:\n%s", banner)
	}

	// The second run reuses the data; the developer switch is on.
	out.Reset()
	st, stop = startRun(t, testOptions(t, config.Config{Table: table, Endpoint: endpoint, DevAdmin: true}, &out))
	if st.Seeded {
		t.Errorf("second run seeded the demo again")
	}
	db := dynamo.New(client, table)
	for school, want := range map[string]demo.Counts{demo.SchoolID: demo.SchoolCounts, demo.SmallSchoolID: demo.SmallSchoolCounts} {
		got, err := demo.Count(context.Background(), db, school)
		if err != nil || got != want {
			t.Errorf("after the second run, Count(%s) = %+v, %v; want %+v", school, got, err, want)
		}
	}
	checkClasses(t, st.URL, []classCase{
		{name: "dev admin", path: "/v1/classes", status: http.StatusOK, classes: demo.SchoolCounts.Classes, wantSchool: demo.SchoolID},
		{name: "dev admin of the small school", path: "/v1/classes", header: []string{"X-School-Id", demo.SmallSchoolID}, status: http.StatusOK, classes: demo.SmallSchoolCounts.Classes, wantSchool: demo.SmallSchoolID},
		{name: "a token acts as its user", path: "/v1/classes", header: signIn(t, st.URL, "admin2"), status: http.StatusOK, classes: demo.SmallSchoolCounts.Classes, wantSchool: demo.SmallSchoolID},
	})
	stop()
	if s := out.String(); !strings.Contains(s, "already there") || !strings.Contains(s, "WARNING: EJOURNAL_DEV_INSECURE_ADMIN=1") {
		t.Errorf("second run's banner:\n%s", s)
	}
}

// TestServeStartsDynamoDBLocal runs serve without DYNAMODB_ENDPOINT twice
// on one data directory: each run starts its own DynamoDB Local and stops it
// on cancel, and a school created in the first run is there in the second.
// The demo is left out: writing it to disk takes long, and TestServe covers it.
func TestServeStartsDynamoDBLocal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dynamodb")
	noDemo := func(context.Context, demo.Store, string) (bool, error) { return false, nil }
	school := `{"id":"persisted","name":"Школа, которая переживает перезапуск","time_zone":"Asia/Yekaterinburg"}`
	for run := 1; run <= 2; run++ {
		var out bytes.Buffer
		o := testOptions(t, config.Config{Table: "ejournal", DevAdmin: true}, &out)
		o.dataDir, o.seed = dir, noDemo
		st, stop := startRun(t, o)
		if run == 1 {
			res, err := http.Post(st.URL+"/v1/schools", "application/json", strings.NewReader(school))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("create school: status %d", res.StatusCode)
			}
		} else if status := get(t, st.URL, "/v1/schools/persisted", []string{"X-School-Id", "persisted"}, nil); status != http.StatusOK {
			t.Errorf("after a restart, GET /v1/schools/persisted: status %d, want 200", status)
		}
		stop()
		if !strings.Contains(out.String(), dir) {
			t.Errorf("run %d: banner does not name the data dir %s:\n%s", run, dir, out.String())
		}
		u, err := url.Parse(st.Endpoint)
		if err != nil {
			t.Fatal(err)
		}
		if c, err := net.DialTimeout("tcp", u.Host, time.Second); err == nil {
			c.Close()
			t.Fatalf("run %d: DynamoDB Local still answers on %s after the server stopped", run, u.Host)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "shared-local-instance.db")); err != nil {
		t.Errorf("no DynamoDB Local data under %s: %v", dir, err)
	}
}
