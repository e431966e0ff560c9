package dynamo_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ejournal/internal/demo"
	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// requestCounter is the real client with a count of every request it
// sends, of each kind the generation uses.
type requestCounter struct {
	dynamo.API
	gets, queries, transactions atomic.Int64
}

func (c *requestCounter) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.gets.Add(1)
	return c.API.GetItem(ctx, in, opts...)
}

func (c *requestCounter) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.queries.Add(1)
	return c.API.Query(ctx, in, opts...)
}

func (c *requestCounter) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.transactions.Add(1)
	return c.API.TransactWriteItems(ctx, in, opts...)
}

// take returns the counts since the last take: reads (GetItem and Query
// pages) and transactions.
func (c *requestCounter) take() (reads, transactions int64) {
	return c.gets.Swap(0) + c.queries.Swap(0), c.transactions.Swap(0)
}

// BenchmarkGenerateTerm generates a whole term's lessons for the demo
// school (talitsa-8: 18 classes, its demo timetable) from an empty term,
// then generates the same term again (which changes nothing). It reports
// the wall time and the DynamoDB requests of each. The demo seed generates
// the term of today; the benchmark takes another one.
func BenchmarkGenerateTerm(b *testing.B) {
	c := dynamotest.Client(b)
	counter := &requestCounter{API: c}
	db := dynamo.New(counter, dynamotest.NewTable(b, c))
	ctx := context.Background()
	start := time.Now()
	if _, err := demo.Seed(ctx, db, demo.DefaultPassword); err != nil {
		b.Fatal(err)
	}
	seeded := time.Since(start)
	term := demo.TermOf("2027-01-12") // the third term
	if loc, err := time.LoadLocation("Asia/Yekaterinburg"); err == nil && demo.TermOf(ejournal.DateOf(time.Now().In(loc))).ID == term.ID {
		term = demo.TermOf("2027-04-01")
	}
	generate := func() (*ejournal.GenerateResult, time.Duration, int64, int64) {
		b.Helper()
		counter.take()
		t0 := time.Now()
		res, err := db.GenerateLessons(ctx, demo.SchoolID, demo.YearID, "", term.Start, term.End)
		d := time.Since(t0)
		if err != nil {
			b.Fatal(err)
		}
		reads, tx := counter.take()
		return res, d, reads, tx
	}
	b.ResetTimer()
	first, firstTime, firstReads, firstTx := generate()
	var again *ejournal.GenerateResult
	var againTime time.Duration
	var againReads, againTx int64
	for range b.N {
		again, againTime, againReads, againTx = generate()
	}
	b.StopTimer()
	if first.Created == 0 || again.Created+again.Updated+again.Deleted != 0 || again.Unchanged != first.Created {
		b.Fatalf("first run %+v, second %+v", *first, *again)
	}
	b.ReportMetric(float64(first.Created), "lessons")
	b.ReportMetric(firstTime.Seconds(), "create-s")
	b.ReportMetric(float64(firstReads+firstTx), "create-requests")
	b.ReportMetric(againTime.Seconds(), "again-s")
	b.ReportMetric(float64(againReads+againTx), "again-requests")
	b.ReportMetric(0, "ns/op")
	b.Logf("term %s (%s..%s) of %s, demo seeded in %s: %d lessons made in %s with %d requests (%d reads, %d transactions); made again in %s with %d requests (%d reads, %d transactions): %+v",
		term.ID, term.Start, term.End, demo.SchoolID, seeded.Round(time.Millisecond),
		first.Created, firstTime.Round(time.Millisecond), firstReads+firstTx, firstReads, firstTx,
		againTime.Round(time.Millisecond), againReads+againTx, againReads, againTx, *again)
}
