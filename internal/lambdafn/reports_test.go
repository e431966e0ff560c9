package lambdafn_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"ejournal/internal/dynamotest"
	"ejournal/internal/streams"
)

// TestReportsFunction runs the reports binary under the emulator: a
// report as JSON and as a file through API Gateway events, and a
// background job started, as in AWS, by its item's record on the table
// stream.
func TestReportsFunction(t *testing.T) {
	w := newJournalWorld(t)
	ctx := context.Background()
	fn := start(t, "./functions/reports", w.devAdminEnv())

	var sheet struct {
		Rows []struct {
			StudentID string `json:"student_id"`
		} `json:"rows"`
	}
	decode(t, fn, exchange{method: http.MethodGet, target: "/v1/classes/" + jClass + "/reports/summary-sheet", header: admin, status: http.StatusOK}, &sheet)
	if len(sheet.Rows) != 1 || sheet.Rows[0].StudentID != jStudent {
		t.Fatalf("summary sheet rows %+v, want the class's one student", sheet.Rows)
	}
	exchange{method: http.MethodGet, target: "/v1/classes/" + jClass + "/reports/summary-sheet?format=xlsx", header: admin, status: http.StatusOK,
		headers: map[string]string{"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}}.run(t, fn)
	wantInvalid(t, fn, exchange{method: http.MethodGet, target: "/v1/classes/" + jClass + "/reports/summary-sheet?format=doc", header: admin}, "format")

	// A job: queued by the API, started by its stream record.
	var batch events.DynamoDBEvent
	poller := &streams.Poller{API: streams.NewClient(dynamotest.Endpoint(t)), Table: w.table, Handler: func(_ context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
		for _, r := range ev.Records {
			if r.EventName == "INSERT" && r.Change.NewImage["type"].String() == "report_job" {
				batch.Records = append(batch.Records, r)
			}
		}
		return events.DynamoDBEventResponse{}, nil
	}}
	if err := poller.Start(ctx); err != nil {
		t.Fatal(err)
	}
	var job struct {
		ID    string `json:"id"`
		State string `json:"state"`
	}
	decode(t, fn, exchange{method: http.MethodPost, target: "/v1/reports/jobs", header: admin, status: http.StatusAccepted,
		body: `{"kind":"attendance","format":"csv","params":{"year_id":"` + jYear + `"}}`}, &job)
	if job.State != "queued" {
		t.Fatalf("job %+v, want queued", job)
	}
	pollUntil(t, poller, func() bool { return len(batch.Records) > 0 })
	payload, err := json.Marshal(batch)
	if err != nil {
		t.Fatal(err)
	}
	var res events.DynamoDBEventResponse
	if err := json.Unmarshal(fn.Invoke(t, payload), &res); err != nil || len(res.BatchItemFailures) != 0 {
		t.Fatalf("stream batch: %+v, %v", res, err)
	}
	decode(t, fn, exchange{method: http.MethodGet, target: "/v1/reports/jobs/" + job.ID, header: admin, status: http.StatusOK}, &job)
	if job.State != "done" {
		t.Fatalf("job after its stream record: %+v, want done", job)
	}
	exchange{method: http.MethodGet, target: "/v1/reports/jobs/" + job.ID + "/file", header: admin, status: http.StatusOK,
		headers: map[string]string{"Content-Type": "text/csv; charset=utf-8"}}.run(t, fn)
}
