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
	"ejournal/internal/ejournal"
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

func testOptions(cfg config.Config, out *bytes.Buffer) options {
	return options{addr: "127.0.0.1:0", cfg: cfg, out: out, logger: slog.New(slog.DiscardHandler)}
}

type classList struct {
	Items []struct {
		ID       string `json:"id"`
		SchoolID string `json:"school_id"`
	} `json:"items"`
}

// get fetches base+path as the school (if given) and decodes a JSON body
// into v (if given); it returns the status.
func get(t *testing.T, base, path, school string, v any) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if school != "" {
		req.Header.Set("X-School-Id", school)
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

func TestServe(t *testing.T) {
	endpoint := dynamotest.Endpoint(t)
	client := dynamotest.Client(t)
	table := dynamotest.NewTable(t, client)
	var out bytes.Buffer
	st, stop := startRun(t, testOptions(config.Config{Table: table, Endpoint: endpoint, DevAdmin: true}, &out))
	if !st.Seeded || st.Endpoint != endpoint {
		t.Fatalf("first run: %+v, want the demo seeded on %s", st, endpoint)
	}
	tests := []struct {
		name, path, school string
		status             int
		classes            int
		wantSchool         string
	}{
		{name: "health", path: "/healthz", status: http.StatusOK},
		{name: "default school", path: "/v1/classes", status: http.StatusOK, classes: demo.SchoolCounts.Classes, wantSchool: demo.SchoolID},
		{name: "small school", path: "/v1/classes", school: demo.SmallSchoolID, status: http.StatusOK, classes: demo.SmallSchoolCounts.Classes, wantSchool: demo.SmallSchoolID},
		{name: "one year", path: "/v1/classes?year_id=" + demo.YearID, school: demo.SchoolID, status: http.StatusOK, classes: demo.SchoolCounts.Classes, wantSchool: demo.SchoolID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got classList
			if status := get(t, st.URL, tt.path, tt.school, &got); status != tt.status {
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
	stop()
	for _, want := range []string{st.URL, endpoint, demo.SchoolID, demo.SmallSchoolID, "curl " + st.URL + "/healthz", "curl " + st.URL + "/v1/classes", "WARNING: EJOURNAL_DEV_INSECURE_ADMIN=1", "written now"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("start-up banner lacks %q:\n%s", want, out.String())
		}
	}

	// A second run reuses the data; without the dev switch /v1 needs sign-in.
	out.Reset()
	st, stop = startRun(t, testOptions(config.Config{Table: table, Endpoint: endpoint}, &out))
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
	if status := get(t, st.URL, "/healthz", "", nil); status != http.StatusOK {
		t.Errorf("second run: /healthz status %d", status)
	}
	if status := get(t, st.URL, "/v1/classes", "", nil); status != http.StatusUnauthorized {
		t.Errorf("without the dev switch: /v1/classes status %d, want 401", status)
	}
	stop()
	if s := out.String(); !strings.Contains(s, "already there") || strings.Contains(s, "WARNING") {
		t.Errorf("second run's banner:\n%s", s)
	}
}

// TestServeStartsDynamoDBLocal runs serve without DYNAMODB_ENDPOINT twice
// on one data directory: each run starts its own DynamoDB Local and stops it
// on cancel, and a school created in the first run is there in the second.
// The demo is left out: writing it to disk takes long, and TestServe covers it.
func TestServeStartsDynamoDBLocal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dynamodb")
	noDemo := func(context.Context, ejournal.DirectoryService) (bool, error) { return false, nil }
	school := `{"id":"persisted","name":"Школа, которая переживает перезапуск","time_zone":"Asia/Yekaterinburg"}`
	for run := 1; run <= 2; run++ {
		var out bytes.Buffer
		o := testOptions(config.Config{Table: "ejournal", DevAdmin: true}, &out)
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
		} else if status := get(t, st.URL, "/v1/schools/persisted", "persisted", nil); status != http.StatusOK {
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
