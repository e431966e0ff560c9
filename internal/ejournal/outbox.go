package ejournal

import (
	"context"
	"time"
)

// The notification pipeline (Step 5) turns a change in the journal into
// notices, one per recipient, and a notice into at most one SMS:
//
//   - The stream consumer builds a Notice per recipient and queues it
//     (OutboxService.QueueNotice): one transaction writes the notice's
//     idempotency key, the in-app inbox item and the SMS as an outbox item
//     in state pending with the time it may go out (SendAfter).
//   - A notice about the same event for the same recipient that arrives
//     while the SMS is still pending (a corrected mark inside the
//     correction window) replaces its text; a digest notice joins the
//     recipient's pending digest of that day.
//   - The dispatcher sends the pending SMS that are due, spending the
//     school's monthly budget, and records each one as sent, failed or
//     suppressed (and why).

// Reasons an SMS is suppressed or failed.
const (
	ReasonNoConsent = "no_consent" // the recipient has not agreed to SMS
	ReasonNoPhone   = "no_phone"   // the recipient has no phone number
	ReasonOptedOut  = "opted_out"  // the number opted out of SMS (SNS)
	ReasonBudget    = "budget"     // the school's monthly budget is spent
	ReasonGaveUp    = "gave_up"    // transient failures, too many attempts
)

// Notice is one notice for one recipient, ready to be queued.
type Notice struct {
	SchoolID    string
	RecipientID string
	// ChildID is the student the notice is about ("" for a message).
	ChildID string
	// Key is the idempotency key: the same key is queued once (for
	// NoticeKeyTTL), however often the stream delivers the change.
	Key string
	// EventKey names the record whose change this is; a later notice with
	// the same EventKey replaces a pending one.
	EventKey string
	// Group is the pending SMS the notice joins: notices with the same
	// recipient, child and group share one SMS while it is pending (the
	// event key for a single notice, the day for a digest).
	Group string
	// Digest renders the SMS as a digest of all its notices.
	Digest bool
	Facts  NoticeFacts
	// SMS asks for an SMS; Phone is where it goes. Suppress, when set, is
	// why the SMS is recorded as suppressed instead (no consent, no phone).
	SMS      bool
	Phone    string
	Suppress string
	// SendAfter is the earliest time the SMS may go out (correction window,
	// quiet hours, digest time).
	SendAfter time.Time
	// SegmentCost is the price of a segment, copied onto the SMS.
	SegmentCost Hundredths
	// Month is the "YYYY-MM" the SMS is filed under (the school's month of
	// its creation).
	Month string
	// Inbox, when set, is the in-app copy written with the notice.
	Inbox *InboxItem
	At    time.Time
}

// NoticeKeyTTL is how long an idempotency key is kept: longer than any
// retry of a stream record (24 hours in AWS).
const NoticeKeyTTL = 7 * 24 * time.Hour

// DueShards is the number of partitions of the index of SMS due to be
// sent, so that no partition gets hot.
const DueShards = 4

// Budget is a school's SMS spending of one month.
type Budget struct {
	// Used is the number of segments sent (or being sent).
	Used int `json:"used"`
	// Warned is set once the spending crossed 80% of the budget.
	Warned bool `json:"warned"`
}

// OutboxReport is a school's SMS delivery report of one month.
type OutboxReport struct {
	SchoolID string `json:"school_id"`
	Month    string `json:"month"`
	Sent     int    `json:"sent"`
	Failed   int    `json:"failed"`
	Pending  int    `json:"pending"`
	// Suppressed counts the SMS not sent, by reason.
	Suppressed map[string]int `json:"suppressed"`
	// Segments is the number of segments of the SMS sent.
	Segments int `json:"segments"`
	// Spend is the estimated cost of the SMS sent, in roubles.
	Spend Hundredths `json:"spend"`
	// Budget is the monthly budget in segments; Used the segments spent
	// against it and Share the part used, in percent.
	Budget int        `json:"budget"`
	Used   int        `json:"used"`
	Share  Hundredths `json:"share"`
	// Warning is set once the spending crossed 80% of the budget.
	Warning bool `json:"warning"`
}

// outboxService is the store of the notification pipeline.
type outboxService interface {
	// QueueNotice writes n: its idempotency key, its inbox item and its SMS
	// (pending, replacing or joining one still pending, or suppressed with
	// n.Suppress). It returns false, writing nothing, when the key was
	// queued before.
	QueueNotice(ctx context.Context, n *Notice) (bool, error)
	// DueMessages returns the pending SMS whose SendAfter is not after now,
	// at most limit of them, oldest first.
	DueMessages(ctx context.Context, now time.Time, limit int) ([]*OutboxMessage, error)
	// ClaimMessage takes a due SMS for sending until lease; it returns
	// false when another dispatcher or a replacing notice changed it since
	// it was read.
	ClaimMessage(ctx context.Context, m *OutboxMessage, lease time.Time) (bool, error)
	// FinishMessage stores a claimed SMS's outcome: sent, failed,
	// suppressed, or pending again with a later SendAfter.
	FinishMessage(ctx context.Context, m *OutboxMessage) error
	// SpendBudget adds segments to the school's spending of month unless
	// that passes limit; it returns whether it did and the spending after.
	SpendBudget(ctx context.Context, schoolID, month string, segments, limit int) (bool, Budget, error)
	// RefundBudget gives back the segments of an SMS that was not sent.
	RefundBudget(ctx context.Context, schoolID, month string, segments int) error
	// WarnBudget records that the spending of month crossed the warning
	// line; it returns true only for the first call.
	WarnBudget(ctx context.Context, schoolID, month string) (bool, error)
	// OutboxReport counts the SMS of month (one Query of the month's
	// outbox) and reads the month's spending.
	OutboxReport(ctx context.Context, schoolID, month string) (*OutboxReport, error)
	// Outbox lists the SMS of the given months, newest first, at most limit.
	Outbox(ctx context.Context, schoolID string, months []string, limit int) ([]*OutboxMessage, error)
	// NoticePeople reads the people of ids in one batch; missing ones are
	// left out.
	NoticePeople(ctx context.Context, schoolID string, ids []string) (map[string]*Person, error)
}
