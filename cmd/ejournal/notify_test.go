package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"ejournal/internal/config"
	"ejournal/internal/demo"
	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// TestServeNotifies runs the local server as `make run` does (SMS_SINK
// unset: SMS go to the outbox) on the demo: the demo teacher gives the
// demo student a mark through the HTTP API, and the SMS to the student's
// mother appears in GET /v1/dev/sms within seconds — carried by the
// table's stream, read by the local poller and handed to the notification
// handler.
func TestServeNotifies(t *testing.T) {
	ctx := context.Background()
	client := dynamotest.Client(t)
	table := dynamotest.NewTable(t, client)
	var out bytes.Buffer
	st, _ := startRun(t, testOptions(t, config.Config{Table: table, Endpoint: dynamotest.Endpoint(t)}, &out))
	db := dynamo.New(client, table)
	accounts := map[string]demo.Account{}
	for _, a := range demo.Accounts() {
		accounts[a.Login] = a
	}
	student, err := db.Person(ctx, demo.SchoolID, accounts["student"].PersonID)
	if err != nil {
		t.Fatal(err)
	}
	// The demo's mother may have withheld her consent; she gives it.
	mother, err := db.Person(ctx, demo.SchoolID, accounts["parent"].PersonID)
	if err != nil {
		t.Fatal(err)
	}
	if !mother.Personal.SMSConsent {
		mother.Personal.SMSConsent = true
		if err := db.UpdatePerson(ctx, mother); err != nil {
			t.Fatal(err)
		}
	}
	rel, err := db.Relations(ctx, demo.SchoolID, accounts["teacher"].PersonID)
	if err != nil {
		t.Fatal(err)
	}
	var subject string
	for _, tc := range rel.Assignments {
		if tc.ClassID == student.ClassID && tc.GroupID == "" {
			subject = tc.SubjectID
		}
	}
	if subject == "" {
		t.Fatalf("the demo teacher teaches no whole-class subject in the student's class %s", student.ClassID)
	}
	year, err := db.Year(ctx, demo.SchoolID, demo.YearID)
	if err != nil {
		t.Fatal(err)
	}
	date := min(max(ejournal.DateOf(time.Now()), year.Start), year.End)

	teacher := signIn(t, st.URL, "teacher")
	var lesson struct {
		ID string `json:"id"`
	}
	post(t, st.URL, "/v1/lessons", teacher, map[string]any{"date": date, "class_id": student.ClassID, "subject_id": subject, "period": 8}, &lesson)
	post(t, st.URL, "/v1/lessons/"+lesson.ID+"/marks", teacher, map[string]any{"marks": []map[string]any{{"student_id": student.ID, "value": 5}}}, nil)

	marked := time.Now()
	admin := signIn(t, st.URL, "admin")
	deadline := marked.Add(20 * time.Second)
	for {
		var got struct {
			Items []ejournal.OutboxMessage `json:"items"`
		}
		if status := get(t, st.URL, "/v1/dev/sms", admin, &got); status != http.StatusOK {
			t.Fatalf("GET /v1/dev/sms: status %d", status)
		}
		for _, m := range got.Items {
			if m.RecipientID == mother.ID && strings.HasPrefix(m.Text, strings.Fields(student.FirstName)[0]+":") {
				if m.State != ejournal.OutboxPending && m.State != ejournal.OutboxSent || m.Segments != 1 || !strings.Contains(m.Text, "5") {
					t.Errorf("the mother's SMS %+v, want pending or sent, one segment, the mark 5", m)
				}
				t.Logf("SMS in the local outbox %v after the mark: %q, %s", time.Since(marked).Round(time.Millisecond), m.Text, m.State)
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no SMS to the mother in the local outbox within 20 s: %+v", got.Items)
		}
		time.Sleep(100 * time.Millisecond) // polling an HTTP endpoint, not synchronising
	}
}

// post sends body as JSON with the header and decodes a 201 answer into v.
func post(t *testing.T, base, path string, header []string, body, v any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		var e bytes.Buffer
		e.ReadFrom(res.Body)
		t.Fatalf("POST %s: status %d: %s", path, res.StatusCode, e.String())
	}
	if v != nil {
		if err := json.NewDecoder(res.Body).Decode(v); err != nil {
			t.Fatal(fmt.Errorf("POST %s: %w", path, err))
		}
	}
}
