package streams_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
	"ejournal/internal/streams"
)

// recorder is a stream handler that records the schools it is handed
// (other items are skipped) and fails the records of the schools in fail.
type recorder struct {
	mu   sync.Mutex
	seen []string
	fail map[string]bool
}

func (r *recorder) handle(_ context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var res events.DynamoDBEventResponse
	for _, rec := range ev.Records {
		if ty, ok := rec.Change.NewImage["type"]; !ok || ty.String() != "school" {
			continue // the audit entries
		}
		id := rec.Change.NewImage["id"].String()
		r.seen = append(r.seen, id)
		if r.fail[id] {
			res.BatchItemFailures = append(res.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: rec.Change.SequenceNumber})
		}
	}
	return res, nil
}

func (r *recorder) schools() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.seen)
}

func createSchool(t *testing.T, db *dynamo.DB, id string) {
	t.Helper()
	if err := db.CreateSchool(context.Background(), &ejournal.School{ID: id, Name: "Школа " + id, TimeZone: "Asia/Yekaterinburg"}); err != nil {
		t.Fatal(err)
	}
}

// pollUntil polls until the handler has seen want, with a deadline.
func pollUntil(t *testing.T, p *streams.Poller, r *recorder, want []string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !slices.Equal(r.schools(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("handler saw %v, want %v", r.schools(), want)
		}
		if _, err := p.Poll(context.Background()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond) // the stream is asynchronous; no tight loop
	}
}

// TestPollerPosition: a first start reads only what is written after it;
// a restart with the state file resumes after the last record handled, so
// nothing is delivered twice.
func TestPollerPosition(t *testing.T) {
	db := dynamotest.MustOpenStream(t)
	api := streams.NewClient(dynamotest.Endpoint(t))
	state := filepath.Join(t.TempDir(), "stream.json")
	createSchool(t, db, "before")
	r := &recorder{}
	p := &streams.Poller{API: api, Table: db.Table(), Handler: r.handle, StateFile: state}
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	createSchool(t, db, "first")
	pollUntil(t, p, r, []string{"first"})

	r2 := &recorder{}
	p2 := &streams.Poller{API: api, Table: db.Table(), Handler: r2.handle, StateFile: state}
	if err := p2.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	createSchool(t, db, "second")
	pollUntil(t, p2, r2, []string{"second"})
}

// TestPollerRedelivers: a record reported failed is delivered again (with
// the records after it) until it has failed MaxAttempts times, then it is
// skipped and the stream goes on.
func TestPollerRedelivers(t *testing.T) {
	db := dynamotest.MustOpenStream(t)
	r := &recorder{fail: map[string]bool{"bad": true}}
	p := &streams.Poller{API: streams.NewClient(dynamotest.Endpoint(t)), Table: db.Table(), Handler: r.handle, MaxAttempts: 3}
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	createSchool(t, db, "ok1")
	pollUntil(t, p, r, []string{"ok1"})
	createSchool(t, db, "bad")
	createSchool(t, db, "ok2")
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := p.Poll(context.Background()); err != nil {
			t.Fatal(err)
		}
		seen := r.schools()
		if count(seen, "bad") >= 3 && seen[len(seen)-1] == "ok2" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("handler saw %v", seen)
		}
		time.Sleep(20 * time.Millisecond)
	}
	createSchool(t, db, "ok3")
	before := count(r.schools(), "bad")
	pollUntil(t, p, r, append(r.schools(), "ok3"))
	if got := count(r.schools(), "bad"); got != 3 || before != 3 {
		t.Errorf("the failing record was delivered %d times, want 3", got)
	}
}

func count(s []string, v string) int {
	n := 0
	for _, x := range s {
		if x == v {
			n++
		}
	}
	return n
}

// TestRecord: a DynamoDB Streams record becomes the JSON Lambda delivers,
// every attribute type included.
func TestRecord(t *testing.T) {
	at := time.Unix(1759298400, 0).UTC()
	img := map[string]types.AttributeValue{
		"s": &types.AttributeValueMemberS{Value: "x"}, "n": &types.AttributeValueMemberN{Value: "1.5"},
		"b": &types.AttributeValueMemberB{Value: []byte("hi")}, "t": &types.AttributeValueMemberBOOL{Value: true},
		"ss": &types.AttributeValueMemberSS{Value: []string{"a", "b"}}, "ns": &types.AttributeValueMemberNS{Value: []string{"1", "2"}},
		"bs": &types.AttributeValueMemberBS{Value: [][]byte{[]byte("a")}}, "z": &types.AttributeValueMemberNULL{Value: true},
		"l": &types.AttributeValueMemberL{Value: []types.AttributeValue{&types.AttributeValueMemberS{Value: "y"}, &types.AttributeValueMemberN{Value: "2"}}},
		"m": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"k": &types.AttributeValueMemberS{Value: "v"}}},
	}
	rec := streams.Record("arn:stream", types.Record{
		AwsRegion: aws.String("ddblocal"), EventID: aws.String("e1"), EventName: types.OperationTypeInsert,
		EventSource: aws.String("aws:dynamodb"), EventVersion: aws.String("1.1"),
		Dynamodb: &types.StreamRecord{
			ApproximateCreationDateTime: &at, Keys: map[string]types.AttributeValue{"PK": img["s"]}, NewImage: img,
			SequenceNumber: aws.String("000001"), SizeBytes: aws.Int64(42), StreamViewType: types.StreamViewTypeNewAndOldImages,
		},
	})
	got, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"awsRegion":"ddblocal","dynamodb":{"ApproximateCreationDateTime":1759298400,"Keys":{"PK":{"S":"x"}},` +
		`"NewImage":{"b":{"B":"aGk="},"bs":{"BS":["YQ=="]},"l":{"L":[{"S":"y"},{"N":"2"}]},"m":{"M":{"k":{"S":"v"}}},"n":{"N":"1.5"},` +
		`"ns":{"NS":["1","2"]},"s":{"S":"x"},"ss":{"SS":["a","b"]},"t":{"BOOL":true},"z":{"NULL":true}},` +
		`"SequenceNumber":"000001","SizeBytes":42,"StreamViewType":"NEW_AND_OLD_IMAGES"},` +
		`"eventID":"e1","eventName":"INSERT","eventSource":"aws:dynamodb","eventVersion":"1.1","eventSourceARN":"arn:stream"}`
	if string(got) != want {
		t.Errorf("record JSON\n got %s\nwant %s", got, want)
	}
	var back events.DynamoDBEventRecord
	if err := json.Unmarshal(got, &back); err != nil || back.Change.NewImage["n"].Number() != "1.5" {
		t.Errorf("the JSON does not read back as a Lambda record: %v", err)
	}
}
