package dynamo_test

import (
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// flakyHTTP is the SDK's HTTP client with a wire tap: it records the status
// of every request by operation and can lose the answer of one request. A
// lost answer is the worst case of a network failure: the engine has applied
// the request, the caller sees a connection reset, and the SDK's retryer
// sends the very same request again.
type flakyHTTP struct {
	next   dynamodb.HTTPClient
	mu     sync.Mutex
	lose   string           // operation whose next answer is lost
	status map[string][]int // statuses of the requests by operation
}

// openFlaky returns a store on a new table whose client goes through a
// flakyHTTP; otherwise the client is the one dynamo.NewClient builds,
// retryer included.
func openFlaky(t *testing.T) (*dynamo.DB, *flakyHTTP) {
	t.Helper()
	c := dynamotest.Client(t)
	h := &flakyHTTP{status: map[string][]int{}}
	flaky := dynamodb.New(c.Options(), func(o *dynamodb.Options) {
		h.next = o.HTTPClient
		o.HTTPClient = h
	})
	return dynamo.New(flaky, dynamotest.NewTable(t, c)), h
}

// loseNext makes the next answer of op go missing and forgets the statuses.
func (h *flakyHTTP) loseNext(op string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lose = op
	h.status = map[string][]int{}
}

func (h *flakyHTTP) reset() { h.loseNext("") }

// sent returns the statuses of the requests of op since the last reset.
func (h *flakyHTTP) sent(op string) []int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.status[op]
}

// Do implements dynamodb.HTTPClient.
func (h *flakyHTTP) Do(r *http.Request) (*http.Response, error) {
	target := r.Header.Get("X-Amz-Target")
	op := target[strings.LastIndex(target, ".")+1:]
	resp, err := h.next.Do(r)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.status[op] = append(h.status[op], resp.StatusCode)
	if op != h.lose {
		return resp, nil
	}
	h.lose = ""
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
}

// wantResent checks that op went out twice, the first answer being lost,
// and returns the status of the second attempt.
func wantResent(t *testing.T, h *flakyHTTP, op string) int {
	t.Helper()
	st := h.sent(op)
	if len(st) != 2 || st[0] != http.StatusOK {
		t.Fatalf("%s statuses %v, want 200 (lost) and a resend", op, st)
	}
	return st[1]
}

func TestRetriedWriteWhoseAnswerWasLost(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, wire := openFlaky(t)

	// Records that are not audited (sessions, counters) are written with a
	// single conditional PutItem; the store's request id detects the resend.
	t.Run("create", func(t *testing.T) {
		wire.loseNext("PutItem")
		p := &dynamo.Plain{ID: "p1", Name: "first"}
		must(t, db.CreatePlain(ctx, p))
		// The resend meets its own item and is refused by the condition.
		if st := wantResent(t, wire, "PutItem"); st != http.StatusBadRequest {
			t.Errorf("resent PutItem status %d, want 400 (condition failed on our own item)", st)
		}
		stored, err := db.GetPlain(ctx, "p1")
		must(t, err)
		if stored.Version != 1 || p.Version != 1 || stored.Name != "first" {
			t.Fatalf("after a resent create: stored %+v (caller's version %d), want version 1", stored, p.Version)
		}
	})

	t.Run("update", func(t *testing.T) {
		p, err := db.GetPlain(ctx, "p1")
		must(t, err)
		p.Name = "second"
		wire.loseNext("PutItem")
		must(t, db.UpdatePlain(ctx, p))
		if st := wantResent(t, wire, "PutItem"); st != http.StatusBadRequest {
			t.Errorf("resent PutItem status %d, want 400 (version already moved on by our own write)", st)
		}
		stored, err := db.GetPlain(ctx, "p1")
		must(t, err)
		if p.Version != 2 || stored.Version != 2 || stored.Name != "second" {
			t.Fatalf("after a resent update: caller's version %d, stored %+v; want version 2", p.Version, stored)
		}
	})

	// Audited records and records with references are written in a
	// transaction; the SDK fills its ClientRequestToken once, so the resend
	// carries the same token.
	must(t, db.CreateSchool(ctx, &ejournal.School{ID: "s1", Name: "Школа", TimeZone: "Asia/Yekaterinburg"}))
	var class *ejournal.Class
	t.Run("create in a transaction", func(t *testing.T) {
		y := newYear("s1", 2025)
		must(t, db.CreateYear(ctx, y))
		class = &ejournal.Class{SchoolID: "s1", YearID: y.ID, Grade: 1, Letter: "А"}
		wire.loseNext("TransactWriteItems")
		must(t, db.CreateClass(ctx, class))
		// DynamoDB Local honours the token: the resend is answered 200
		// without being applied again (a 400 would mean the condition
		// failed and the store fell back on the request id).
		if st := wantResent(t, wire, "TransactWriteItems"); st != http.StatusOK {
			t.Errorf("resent TransactWriteItems status %d, want 200 (same ClientRequestToken)", st)
		}
		classes, err := db.Classes(ctx, "s1", ejournal.ClassFilter{})
		must(t, err)
		if len(classes) != 1 || classes[0].Version != 1 || class.Version != 1 {
			t.Fatalf("classes after a resent create: %+v, want one of version 1", classes)
		}
	})

	t.Run("update in a transaction", func(t *testing.T) {
		class.Letter = "Б"
		wire.loseNext("TransactWriteItems")
		must(t, db.UpdateClass(ctx, class))
		if st := wantResent(t, wire, "TransactWriteItems"); st != http.StatusOK {
			t.Errorf("resent TransactWriteItems status %d, want 200 (same ClientRequestToken)", st)
		}
		stored, err := db.Class(ctx, "s1", class.ID)
		must(t, err)
		if class.Version != 2 || stored.Version != 2 || stored.Letter != "Б" {
			t.Fatalf("after a resent update: caller's version %d, stored %+v; want version 2", class.Version, stored)
		}
	})
}
