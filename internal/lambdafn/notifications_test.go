package lambdafn_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
	"ejournal/internal/snstest"
	"ejournal/internal/streams"
)

// TestNotificationsFunction runs the notifications binary under the
// emulator with what Lambda gives it: a batch of the table's stream (read
// from DynamoDB Local's stream after a real mark was written) and then the
// schedule's event. The SMS goes through the real SNS client to snstest.
func TestNotificationsFunction(t *testing.T) {
	w := newJournalWorld(t)
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// No quiet hours and no correction window, so the SMS is due at once
	// whatever the wall clock says.
	settings := ejournal.DefaultNotifySettings(school)
	settings.QuietStart, settings.QuietEnd, settings.CorrectionMinutes = "00:00", "00:00", 0
	must(w.db.SaveNotifySettings(ctx, settings))
	const phone = "+79120000077"
	must(w.db.CreatePerson(ctx, &ejournal.Person{ID: "parent-1", SchoolID: school, Kind: ejournal.Parent, LastName: "Петрова", FirstName: "Ольга",
		Personal: &ejournal.Personal{Phone: phone, SMSConsent: true}}))
	must(w.db.Link(ctx, &ejournal.Link{SchoolID: school, ParentID: "parent-1", ChildID: jStudent, Relation: ejournal.Mother}))
	l := w.lesson(t)

	// The stream from here on: the mark's record, as Lambda would get it.
	var batch events.DynamoDBEvent
	poller := &streams.Poller{API: streams.NewClient(dynamotest.Endpoint(t)), Table: w.table, Handler: func(_ context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
		batch.Records = append(batch.Records, ev.Records...)
		return events.DynamoDBEventResponse{}, nil
	}}
	must(poller.Start(ctx))
	must(w.db.CreateMarks(ctx, l, []*ejournal.Mark{{StudentID: jStudent, Value: 5, WorkType: "oral", TeacherID: jTeacher}}))
	pollUntil(t, poller, func() bool { return len(batch.Records) > 0 })
	payload, err := json.Marshal(batch)
	must(err)

	sns := snstest.New(t)
	fn := start(t, "./functions/notifications", append(w.env, "SMS_SINK=sns", "SMS_SENDER_ID=EJournal", "AWS_ENDPOINT_URL_SNS="+sns.URL))
	var res events.DynamoDBEventResponse
	must(json.Unmarshal(fn.Invoke(t, payload), &res))
	if len(res.BatchItemFailures) != 0 {
		t.Fatalf("batch item failures %+v", res.BatchItemFailures)
	}
	// A record the function cannot read is reported alone.
	bad := batch
	bad.Records = append([]events.DynamoDBEventRecord{{EventName: "INSERT", Change: events.DynamoDBStreamRecord{SequenceNumber: "1", NewImage: map[string]events.DynamoDBAttributeValue{
		"type": events.NewStringAttribute("mark"), "value": events.NewStringAttribute("пять")}}}}, batch.Records...)
	payload, err = json.Marshal(bad)
	must(err)
	must(json.Unmarshal(fn.Invoke(t, payload), &res))
	if len(res.BatchItemFailures) != 1 || res.BatchItemFailures[0].ItemIdentifier != "1" {
		t.Fatalf("batch item failures %+v, want only the unreadable record", res.BatchItemFailures)
	}

	// The schedule's event sends what is due: one SMS, the redelivered
	// record notwithstanding.
	var sent struct {
		Sent int `json:"sent"`
	}
	must(json.Unmarshal(fn.Invoke(t, []byte(`{"source":"aws.events","detail-type":"Scheduled Event","detail":{}}`)), &sent))
	got := sns.Published()
	if sent.Sent != 1 || len(got) != 1 || got[0].Phone != phone || !strings.HasPrefix(got[0].Message, "Анна: ") || !strings.Contains(got[0].Message, "5") {
		t.Fatalf("dispatch sent %d; published %+v, want one SMS about Анна's 5 to the mother", sent.Sent, got)
	}
	if a := got[0].Attributes["AWS.SNS.SMS.SMSType"]; a.StringValue != "Transactional" {
		t.Errorf("SMSType %+v", a)
	}
}

// pollUntil polls the stream until done, every 20 ms for at most 20 s:
// the stream is asynchronous, and DynamoDB Local serves every request on
// one thread, so a tight loop would slow the whole engine.
func pollUntil(t *testing.T, p *streams.Poller, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := p.Poll(context.Background()); err != nil {
			t.Fatal(err)
		}
		if done() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the stream record did not come within 20 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
