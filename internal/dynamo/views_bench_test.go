package dynamo_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ejournal/internal/api"
	"ejournal/internal/apitest"
	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// recordingAPI counts every request and keeps the first page of each read
// request, so that a benchmark can replay exactly what the store asked.
type recordingAPI struct {
	dynamo.API
	mu       sync.Mutex
	requests int
	reads    []any // *dynamodb.QueryInput or *dynamodb.GetItemInput, in order
}

func (r *recordingAPI) note(in any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	if in != nil {
		r.reads = append(r.reads, in)
	}
}

func (r *recordingAPI) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	if in.ExclusiveStartKey == nil {
		r.note(in)
	} else {
		r.note(nil)
	}
	return r.API.Query(ctx, in, opts...)
}

func (r *recordingAPI) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	r.note(in)
	return r.API.GetItem(ctx, in, opts...)
}

func (r *recordingAPI) take() (int, []any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n, reads := r.requests, r.reads
	r.requests, r.reads = 0, nil
	return n, reads
}

// replay sends reads with the bare SDK client and reads every page: the
// first two (the class and its school year) one after the other, the rest
// at once, as the handler does. It returns the number of items fetched.
func replay(ctx context.Context, c *dynamodb.Client, reads []any) (int, error) {
	var mu sync.Mutex
	items := 0
	send := func(in any) error {
		n := 0
		switch in := in.(type) {
		case *dynamodb.GetItemInput:
			out, err := c.GetItem(ctx, in)
			if err != nil {
				return err
			}
			n = len(out.Item)
		case *dynamodb.QueryInput:
			for p := dynamodb.NewQueryPaginator(c, in); p.HasMorePages(); {
				out, err := p.NextPage(ctx)
				if err != nil {
					return err
				}
				n += len(out.Items)
			}
		}
		mu.Lock()
		items += n
		mu.Unlock()
		return nil
	}
	for _, in := range reads[:2] {
		if err := send(in); err != nil {
			return 0, err
		}
	}
	errs := make(chan error, len(reads))
	var wg sync.WaitGroup
	for _, in := range reads[2:] {
		wg.Go(func() { errs <- send(in) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return items, nil
}

// BenchmarkClassJournal serves the class journal of a term for 30 students
// × 50 lessons through the HTTP handler, and replays the DynamoDB requests
// it made with the bare SDK client. It reports the requests per view, the
// handler's time, the raw requests' time and their ratio.
func BenchmarkClassJournal(b *testing.B) {
	c := dynamotest.Client(b)
	rec := &recordingAPI{API: c}
	db := dynamo.New(rec, dynamotest.NewTable(b, c))
	start := time.Now()
	j := seedJournal(b, db, "bench", 30, 50)
	seeded := time.Since(start)
	srv := &api.Server{Directory: db, Views: db, Logger: slog.New(slog.DiscardHandler),
		Auth: apitest.Tokens{"admin": {PersonID: "p-admin", SchoolID: j.School, Roles: []ejournal.Role{ejournal.Administrator}}}}
	h := srv.Handler(api.FuncGrading)
	target := fmt.Sprintf("/v1/classes/%s/journal?subject_id=%s&term_id=%s", j.Class.ID, j.Subject.ID, j.Term.ID)
	serve := func() (time.Duration, int) {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Authorization", "Bearer admin")
		w := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(w, req)
		d := time.Since(t0)
		if w.Code != http.StatusOK {
			b.Fatalf("journal: %d %s", w.Code, w.Body)
		}
		return d, w.Body.Len()
	}
	ctx := context.Background()
	serve() // warm both paths up once
	rec.take()
	requests, reads := 0, []any(nil)
	const rounds = 5 // per iteration, alternating, to even out the engine's noise
	var server, raw time.Duration
	var size, items int
	b.ResetTimer()
	for range b.N {
		for range rounds {
			d, n := serve()
			server, size = server+d, n
			requests, reads = rec.take()
			t0 := time.Now()
			var err error
			if items, err = replay(ctx, c, reads); err != nil {
				b.Fatal(err)
			}
			raw += time.Since(t0)
		}
	}
	b.StopTimer()
	calls := float64(b.N * rounds)
	serverMS, rawMS := float64(server.Microseconds())/1000/calls, float64(raw.Microseconds())/1000/calls
	b.ReportMetric(float64(requests), "requests/view")
	b.ReportMetric(serverMS, "server-ms/view")
	b.ReportMetric(rawMS, "raw-sdk-ms/view")
	b.ReportMetric(serverMS/rawMS, "ratio")
	b.ReportMetric(0, "ns/op")
	b.Logf("class journal, 30 students × 50 lessons (%d marks, %d absences; %d items, %d-byte answer; seeded in %s): %d DynamoDB requests, server %.1f ms, raw SDK %.1f ms, ratio %.2f",
		j.Marks, j.Absent, items, size, seeded.Round(time.Millisecond), requests, serverMS, rawMS, serverMS/rawMS)
}
