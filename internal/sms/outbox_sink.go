package sms

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"os"
	"slices"
	"sync"

	"ejournal/internal/ejournal"
)

// OutboxSink is the local Sender (SMS_SINK=outbox): it never calls AWS. Each
// message becomes a JSON log line, without the phone number (only its last
// two digits), and Send succeeds with a generated id; the outbox record the
// pipeline keeps is where the text is read back. Numbers marked with
// OptOut count as opted out, as SNS would answer.
type OutboxSink struct {
	log *slog.Logger

	mu       sync.Mutex
	optedOut map[string]bool
	sent     []ejournal.OutboxMessage
}

var _ Sender = (*OutboxSink)(nil)

// NewOutboxSink returns a sink logging to log, or to a JSON handler on
// standard error when log is nil.
func NewOutboxSink(log *slog.Logger) *OutboxSink {
	if log == nil {
		log = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	return &OutboxSink{log: log, optedOut: map[string]bool{}}
}

// OptOut marks phones as opted out.
func (o *OutboxSink) OptOut(phones ...string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, p := range phones {
		o.optedOut[p] = true
	}
}

// Send logs m and returns a generated id; an invalid or opted-out number
// fails permanently, as it would with SNS.
func (o *OutboxSink) Send(ctx context.Context, m *ejournal.OutboxMessage) (string, error) {
	if err := checkMessage(m); err != nil {
		return "", err
	}
	m.Attempts++
	if opted, _ := o.OptedOut(ctx, m.Phone); opted {
		return "", &Error{Op: "publish", Code: CodeOptedOut, Permanent: true, Attempts: 1, Err: errors.New("phone number is opted out")}
	}
	id := "local-" + randomHex(8)
	segments, _ := ejournal.SMSSegments(m.Text)
	o.log.LogAttrs(ctx, slog.LevelInfo, "sms sent to local outbox",
		slog.String("sms_id", id),
		slog.String("outbox_id", m.ID),
		slog.String("school_id", m.SchoolID),
		slog.String("recipient_id", m.RecipientID),
		slog.String("phone_tail", m.Phone[len(m.Phone)-2:]),
		slog.Int("segments", segments),
		slog.String("text", m.Text),
	)
	o.mu.Lock()
	defer o.mu.Unlock()
	sent := *m
	sent.SNSMessageID = id
	o.sent = append(o.sent, sent)
	return id, nil
}

// OptedOut reports whether phone was marked with OptOut.
func (o *OutboxSink) OptedOut(_ context.Context, phone string) (bool, error) {
	if !ValidPhone(phone) {
		return false, invalidPhone("opt-out check")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.optedOut[phone], nil
}

// Sent returns copies of the messages sent so far, in order, each with the
// id Send returned.
func (o *OutboxSink) Sent() []ejournal.OutboxMessage {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.sent)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
