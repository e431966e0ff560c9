package dynamo_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

var outboxNow = time.Date(2025, 10, 1, 6, 0, 0, 0, time.UTC)

// markNotice is a notice of a mark about child to recipient, sent after
// the given delay.
func markNotice(key, event, recipient string, value int, after time.Duration) *ejournal.Notice {
	return &ejournal.Notice{
		SchoolID: "s1", RecipientID: recipient, ChildID: "c1", Key: key, EventKey: event, Group: event,
		Facts: ejournal.NoticeFacts{Kind: ejournal.NoticeMark, ChildFirstName: "Мария", Subject: "Математика", Value: value, Date: "2025-10-01"},
		SMS:   true, Phone: "+79120000001", SendAfter: outboxNow.Add(after), SegmentCost: 350, Month: "2025-10", At: outboxNow,
		Inbox: &ejournal.InboxItem{ID: "n-" + key, SchoolID: "s1", RecipientID: recipient, Kind: ejournal.NoticeMark, Body: "x", CreatedAt: outboxNow},
	}
}

func openOutbox(t *testing.T) *dynamo.DB {
	t.Helper()
	db := dynamotest.MustOpen(t)
	db.Now = func() time.Time { return outboxNow }
	return db
}

// TestQueueNotice: a notice is queued once per key; a notice of the same
// event replaces the pending SMS's text; one of another event gets its
// own SMS; the due index lists them once due.
func TestQueueNotice(t *testing.T) {
	db := openOutbox(t)
	ctx := context.Background()
	for i, want := range []bool{true, false} {
		ok, err := db.QueueNotice(ctx, markNotice("k1", "e1", "p1", 5, 5*time.Minute))
		must(t, err)
		if ok != want {
			t.Fatalf("queue #%d: %v, want %v", i+1, ok, want)
		}
	}
	ok, err := db.QueueNotice(ctx, markNotice("k2", "e1", "p1", 4, 5*time.Minute))
	must(t, err)
	if !ok {
		t.Fatal("the correction was not queued")
	}
	_, err = db.QueueNotice(ctx, markNotice("k3", "e2", "p1", 3, 10*time.Minute))
	must(t, err)
	due, err := db.DueMessages(ctx, outboxNow.Add(5*time.Minute), 10)
	must(t, err)
	if len(due) != 1 || due[0].Text != ejournal.NoticeText(markNotice("", "", "", 4, 0).Facts) || due[0].Segments != 1 || due[0].Cost != 350 {
		t.Fatalf("due at +5 min: %+v, want the corrected SMS only", due)
	}
	due, err = db.DueMessages(ctx, outboxNow.Add(10*time.Minute), 10)
	must(t, err)
	if len(due) != 2 {
		t.Fatalf("due at +10 min: %d SMS, want 2", len(due))
	}
	inbox, err := db.Inbox(ctx, "s1", "p1", "", 10)
	must(t, err)
	if len(inbox.Items) != 3 {
		t.Errorf("inbox: %d items, want one per key (3)", len(inbox.Items))
	}

	// Claimed by a dispatcher, the SMS is no longer replaced: a later
	// correction gets an SMS of its own.
	m := due[0]
	ok, err = db.ClaimMessage(ctx, m, outboxNow.Add(2*time.Minute))
	must(t, err)
	if !ok || m.Attempts != 1 {
		t.Fatalf("claim: %v, attempts %d", ok, m.Attempts)
	}
	if ok, _ := db.ClaimMessage(ctx, &ejournal.OutboxMessage{ID: m.ID, SchoolID: m.SchoolID, CreatedAt: m.CreatedAt}, outboxNow.Add(2*time.Minute)); ok {
		t.Fatal("a held SMS was claimed twice")
	}
	m.State, m.SNSMessageID, m.SentAt = ejournal.OutboxSent, "sns-1", outboxNow
	must(t, db.FinishMessage(ctx, m))
	rep, err := db.OutboxReport(ctx, "s1", "2025-10")
	must(t, err)
	if rep.Sent != 1 || rep.Pending != 1 || rep.Segments != 1 || rep.Spend != 350 {
		t.Errorf("report %+v", rep)
	}
	due, err = db.DueMessages(ctx, outboxNow.Add(time.Hour), 10)
	must(t, err)
	if len(due) != 1 {
		t.Errorf("due after sending one: %d, want 1", len(due))
	}
}

// TestSuppressedNotice: a notice that may not be sent is recorded as
// suppressed and never due.
func TestSuppressedNotice(t *testing.T) {
	db := openOutbox(t)
	ctx := context.Background()
	n := markNotice("k1", "e1", "p1", 5, 0)
	n.Suppress, n.Phone = ejournal.ReasonNoConsent, ""
	_, err := db.QueueNotice(ctx, n)
	must(t, err)
	due, err := db.DueMessages(ctx, outboxNow.Add(time.Hour), 10)
	must(t, err)
	rep, err := db.OutboxReport(ctx, "s1", "2025-10")
	must(t, err)
	if len(due) != 0 || rep.Suppressed[ejournal.ReasonNoConsent] != 1 {
		t.Errorf("due %v, report %+v", due, rep)
	}
}

// TestSpendBudget: concurrent spenders never pass the limit; a refund
// gives segments back; the warning is recorded once.
func TestSpendBudget(t *testing.T) {
	db := openOutbox(t)
	ctx := context.Background()
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for range 12 {
		wg.Go(func() {
			ok, _, err := db.SpendBudget(ctx, "s1", "2025-10", 1, 5)
			if err != nil {
				t.Error(err)
			}
			if ok {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if allowed.Load() != 5 {
		t.Fatalf("%d spends allowed, want 5", allowed.Load())
	}
	if ok, b, err := db.SpendBudget(ctx, "s1", "2025-10", 1, 5); err != nil || ok || b.Used != 5 {
		t.Fatalf("spend past the limit: %v, %+v, %v", ok, b, err)
	}
	must(t, db.RefundBudget(ctx, "s1", "2025-10", 2))
	if ok, b, err := db.SpendBudget(ctx, "s1", "2025-10", 2, 5); err != nil || !ok || b.Used != 5 {
		t.Fatalf("spend after a refund: %v, %+v, %v", ok, b, err)
	}
	for i, want := range []bool{true, false} {
		first, err := db.WarnBudget(ctx, "s1", "2025-10")
		must(t, err)
		if first != want {
			t.Errorf("warning #%d: %v, want %v", i+1, first, want)
		}
	}
	rep, err := db.OutboxReport(ctx, "s1", "2025-10")
	must(t, err)
	if rep.Used != 5 || !rep.Warning {
		t.Errorf("report %+v, want 5 used and the warning", rep)
	}
}
