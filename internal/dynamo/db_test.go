package dynamo_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// spyAPI is the real client with a count of Query requests and a hook that
// may answer BatchWriteItem in its stead. The store calls it from one
// goroutine at a time.
type spyAPI struct {
	dynamo.API
	queries int
	// batches are the requests of every BatchWriteItem call.
	batches [][]types.WriteRequest
	// batch, when set, answers the n-th BatchWriteItem (from 1).
	batch func(ctx context.Context, n int, reqs []types.WriteRequest) (*dynamodb.BatchWriteItemOutput, error)
	table string
}

// openSpy returns a store on a new table whose client is a spyAPI.
func openSpy(t *testing.T) (*dynamo.DB, *spyAPI) {
	t.Helper()
	c := dynamotest.Client(t)
	spy := &spyAPI{API: c, table: dynamotest.NewTable(t, c)}
	return dynamo.New(spy, spy.table), spy
}

func (s *spyAPI) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	s.queries++
	return s.API.Query(ctx, in, opts...)
}

func (s *spyAPI) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	reqs := in.RequestItems[s.table]
	s.batches = append(s.batches, reqs)
	if s.batch == nil {
		return s.API.BatchWriteItem(ctx, in, opts...)
	}
	return s.batch(ctx, len(s.batches), reqs)
}

// forward sends store to the engine and reports unprocessed as not written.
func (s *spyAPI) forward(ctx context.Context, store, unprocessed []types.WriteRequest) (*dynamodb.BatchWriteItemOutput, error) {
	out := &dynamodb.BatchWriteItemOutput{}
	if len(store) > 0 {
		var err error
		if out, err = s.API.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{s.table: store}}); err != nil {
			return nil, err
		}
	}
	if len(unprocessed) > 0 {
		out.UnprocessedItems = map[string][]types.WriteRequest{s.table: unprocessed}
	}
	return out, nil
}

// subjects returns n raw subject items of school sid, each padded to about
// pad bytes, and their ids in order.
func subjects(t *testing.T, sid string, n, pad int) ([]dynamo.Item, []string) {
	t.Helper()
	items := make([]dynamo.Item, n)
	ids := make([]string, n)
	for i := range items {
		s := &ejournal.Subject{ID: fmt.Sprintf("sub%04d", i), SchoolID: sid, Name: fmt.Sprintf("Предмет %04d", i), ShortName: "П", Version: 1}
		m, err := dynamo.SubjectItem(s, pad)
		must(t, err)
		items[i], ids[i] = m, s.ID
	}
	return items, ids
}

// wantSubjects checks that the school's subjects are exactly want.
func wantSubjects(t *testing.T, db *dynamo.DB, sid string, want []string) {
	t.Helper()
	got, err := db.Subjects(t.Context(), sid)
	must(t, err)
	if ids := ids(got, func(s *ejournal.Subject) string { return s.ID }); !slices.Equal(ids, want) {
		t.Fatalf("%d subjects stored, want %d: %v", len(ids), len(want), ids)
	}
}

func TestListCrossesPages(t *testing.T) {
	t.Parallel()
	db, spy := openSpy(t)
	// 32 items of 40 KB are 1.3 MB: more than one 1 MB page of a Query.
	items, want := subjects(t, "s1", 32, 40_000)
	must(t, db.BatchPut(t.Context(), items))
	other, _ := subjects(t, "s2", 3, 0)
	must(t, db.BatchPut(t.Context(), other))
	spy.queries = 0
	wantSubjects(t, db, "s1", want)
	if spy.queries < 2 {
		t.Errorf("listing 1.3 MB took %d Query requests, want more than one page", spy.queries)
	}
}

func TestBatchPutResendsUnprocessedItems(t *testing.T) {
	t.Parallel()
	db, spy := openSpy(t)
	// The first call stores 10 of the first 25 and hands back the other 15.
	spy.batch = func(ctx context.Context, n int, reqs []types.WriteRequest) (*dynamodb.BatchWriteItemOutput, error) {
		if n == 1 {
			return spy.forward(ctx, reqs[:10], reqs[10:])
		}
		return spy.forward(ctx, reqs, nil)
	}
	items, want := subjects(t, "s1", 30, 0)
	must(t, db.BatchPut(t.Context(), items))
	wantSubjects(t, db, "s1", want)
	sizes := make([]int, len(spy.batches))
	for i, b := range spy.batches {
		sizes[i] = len(b)
	}
	if !slices.Equal(sizes, []int{25, 15, 5}) {
		t.Fatalf("batch sizes %v, want [25 15 5]: the 15 unprocessed items resent before the last 5", sizes)
	}
	if !slices.EqualFunc(spy.batches[1], spy.batches[0][10:], func(a, b types.WriteRequest) bool { return a.PutRequest == b.PutRequest }) {
		t.Error("the resend is not the items reported unprocessed")
	}
}

func TestBatchPutGivesUp(t *testing.T) {
	t.Parallel()
	db, spy := openSpy(t)
	// The engine never takes the first item.
	spy.batch = func(ctx context.Context, _ int, reqs []types.WriteRequest) (*dynamodb.BatchWriteItemOutput, error) {
		return spy.forward(ctx, reqs[1:], reqs[:1])
	}
	items, want := subjects(t, "s1", 5, 0)
	start := time.Now()
	err := db.BatchPut(t.Context(), items)
	wantError(t, err, ejournal.EINTERNAL)
	if len(spy.batches) != dynamo.MaxBatchAttempts {
		t.Errorf("%d attempts, want %d", len(spy.batches), dynamo.MaxBatchAttempts)
	}
	t.Logf("gave up after %v: %v", time.Since(start), err)
	wantSubjects(t, db, "s1", want[1:])

	// A cancelled context stops the backoff at once.
	spy.batches = nil
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	wantError(t, db.BatchPut(ctx, items), ejournal.EINTERNAL)
	if len(spy.batches) > 1 {
		t.Errorf("%d attempts with a cancelled context, want at most 1", len(spy.batches))
	}
}
