// Package notify is the notification pipeline (Step 5): it reads the
// table's stream (a Lambda stream batch in AWS, the local poller of
// internal/streams in `ejournal serve`), turns each change of a mark, an
// absence, a term mark or an inbox item asking for an SMS into notices for
// the parents (or the recipient), queues them in the outbox, and sends the
// SMS that are due.
//
// Timing: an immediate notice waits the school's correction window (5
// minutes by default) before it is sent, so a mark corrected meanwhile
// replaces the pending SMS instead of sending two, and quick edits go out
// as one. Quiet hours (21:00–08:00 by default, school time) push an SMS to
// their end; a digest waits for the parent's digest time and lists the
// day's notices about one child in one SMS.
package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ejournal/internal/ejournal"
	"ejournal/internal/sms"
)

// Store is what the pipeline reads and writes.
type Store interface {
	ejournal.OutboxService
	School(ctx context.Context, id string) (*ejournal.School, error)
	Subject(ctx context.Context, schoolID, id string) (*ejournal.Subject, error)
	Year(ctx context.Context, schoolID, id string) (*ejournal.SchoolYear, error)
	Parents(ctx context.Context, schoolID, childID string) ([]*ejournal.Link, error)
	NotifySettings(ctx context.Context, schoolID string) (*ejournal.NotifySettings, error)
	NotifyPreferencesFor(ctx context.Context, schoolID string, parentIDs []string) ([]*ejournal.NotifyPreference, error)
}

// Pipeline consumes the stream and dispatches the SMS.
type Pipeline struct {
	Store Store
	// Sender sends SMS: SNS in AWS, the outbox log locally.
	Sender sms.Sender
	Logger *slog.Logger
	// Now is the clock.
	Now func() time.Time
}

func (p *Pipeline) now() time.Time {
	if p.Now == nil {
		return time.Now().UTC()
	}
	return p.Now()
}

func (p *Pipeline) logger() *slog.Logger {
	if p.Logger == nil {
		return slog.Default()
	}
	return p.Logger
}

// Handle consumes one batch of stream records and reports the records that
// failed by their sequence numbers (ReportBatchItemFailures), so that only
// they are delivered again; the others go through. Delivering a record
// again queues nothing twice.
func (p *Pipeline) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	// An empty list, not null: the batch went through.
	res := events.DynamoDBEventResponse{BatchItemFailures: []events.DynamoDBBatchItemFailure{}}
	inv := newInvocation(p)
	for _, r := range ev.Records {
		c, err := DecodeRecord(r)
		if err == nil && c != nil {
			err = inv.consume(ctx, c)
		}
		if err != nil {
			p.logger().Error("notification record failed", "event_id", r.EventID, "sequence", r.Change.SequenceNumber, "error", err.Error())
			res.BatchItemFailures = append(res.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: r.Change.SequenceNumber})
		}
	}
	return res, nil
}

// HandleLambda is the notifications function's handler: a stream batch
// (with "Records") is consumed; any other event (the schedule's) dispatches
// the SMS that are due.
func (p *Pipeline) HandleLambda(ctx context.Context, raw json.RawMessage) (any, error) {
	var probe struct {
		Records []json.RawMessage `json:"Records"`
	}
	if err := json.Unmarshal(raw, &probe); err == nil && probe.Records != nil {
		var ev events.DynamoDBEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, fmt.Errorf("stream event: %w", err)
		}
		return p.Handle(ctx, ev)
	}
	return p.Dispatch(ctx)
}

// invocation caches what one batch reads: the same school, subject,
// parents and preferences serve many records.
type invocation struct {
	p        *Pipeline
	now      time.Time
	schools  map[string]*schoolInfo
	subjects map[[2]string]string
	terms    map[[3]string]string
	parents  map[[2]string][]string
	people   map[[2]string]*ejournal.Person
	prefs    map[[3]string]*ejournal.NotifyPreference
	prefRead map[[2]string]bool
}

// schoolInfo is a school's time zone and notification settings.
type schoolInfo struct {
	loc      *time.Location
	settings *ejournal.NotifySettings
}

func newInvocation(p *Pipeline) *invocation {
	return &invocation{
		p: p, now: p.now(), schools: map[string]*schoolInfo{}, subjects: map[[2]string]string{}, terms: map[[3]string]string{},
		parents: map[[2]string][]string{}, people: map[[2]string]*ejournal.Person{},
		prefs: map[[3]string]*ejournal.NotifyPreference{}, prefRead: map[[2]string]bool{},
	}
}

func (inv *invocation) school(ctx context.Context, sid string) (*schoolInfo, error) {
	if s, ok := inv.schools[sid]; ok {
		return s, nil
	}
	sc, err := inv.p.Store.School(ctx, sid)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(sc.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("school %s time zone: %w", sid, err)
	}
	set, err := inv.p.Store.NotifySettings(ctx, sid)
	if err != nil {
		return nil, err
	}
	s := &schoolInfo{loc: loc, settings: set}
	inv.schools[sid] = s
	return s, nil
}

// loadPeople reads the people of ids not read yet in one batch.
func (inv *invocation) loadPeople(ctx context.Context, sid string, ids []string) error {
	var missing []string
	for _, id := range ids {
		if _, ok := inv.people[[2]string{sid, id}]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	got, err := inv.p.Store.NoticePeople(ctx, sid, missing)
	if err != nil {
		return err
	}
	for _, id := range missing {
		inv.people[[2]string{sid, id}] = got[id] // nil for a person who is gone
	}
	return nil
}

func (inv *invocation) parentsOf(ctx context.Context, sid, child string) ([]string, error) {
	k := [2]string{sid, child}
	if ps, ok := inv.parents[k]; ok {
		return ps, nil
	}
	links, err := inv.p.Store.Parents(ctx, sid, child)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var ids []string
	for _, l := range links {
		if !seen[l.ParentID] {
			seen[l.ParentID] = true
			ids = append(ids, l.ParentID)
		}
	}
	inv.parents[k] = ids
	return ids, nil
}

func (inv *invocation) preferences(ctx context.Context, sid string, parents []string) error {
	var missing []string
	for _, id := range parents {
		if !inv.prefRead[[2]string{sid, id}] {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	ps, err := inv.p.Store.NotifyPreferencesFor(ctx, sid, missing)
	if err != nil {
		return err
	}
	for _, pr := range ps {
		inv.prefs[[3]string{sid, pr.ParentID, pr.ChildID}] = pr
	}
	for _, id := range missing {
		inv.prefRead[[2]string{sid, id}] = true
	}
	return nil
}

func (inv *invocation) subjectName(ctx context.Context, sid, id string) (string, error) {
	k := [2]string{sid, id}
	if n, ok := inv.subjects[k]; ok {
		return n, nil
	}
	s, err := inv.p.Store.Subject(ctx, sid, id)
	if err != nil {
		return "", err
	}
	inv.subjects[k] = s.Name
	return s.Name, nil
}

// termName is the name of a term ("I полугодие") or the year period.
func (inv *invocation) termName(ctx context.Context, sid, yid, period string) (string, error) {
	if period == ejournal.YearPeriod {
		return period, nil
	}
	k := [3]string{sid, yid, period}
	if n, ok := inv.terms[k]; ok {
		return n, nil
	}
	y, err := inv.p.Store.Year(ctx, sid, yid)
	if err != nil {
		return "", err
	}
	for _, t := range y.Terms {
		inv.terms[[3]string{sid, yid, t.ID}] = t.Name
	}
	return inv.terms[k], nil
}

// consume queues the notices of one change.
func (inv *invocation) consume(ctx context.Context, c *Change) error {
	sc, err := inv.school(ctx, c.SchoolID)
	if err != nil {
		return err
	}
	if c.Kind == ejournal.NoticeMessage {
		return inv.consumeMessage(ctx, c, sc)
	}
	parents, err := inv.parentsOf(ctx, c.SchoolID, c.StudentID)
	if err != nil || len(parents) == 0 {
		return err
	}
	if err := inv.loadPeople(ctx, c.SchoolID, append([]string{c.StudentID}, parents...)); err != nil {
		return err
	}
	if err := inv.preferences(ctx, c.SchoolID, parents); err != nil {
		return err
	}
	student := inv.people[[2]string{c.SchoolID, c.StudentID}]
	if student == nil {
		return nil // the student is gone; nobody to tell about
	}
	facts := ejournal.NoticeFacts{Kind: c.Kind, ChildFirstName: student.FirstName, Value: c.Value, TermValue: c.TermValue, Changed: c.Changed, Code: c.Code, Date: c.Date}
	if facts.Subject, err = inv.subjectName(ctx, c.SchoolID, c.SubjectID); err != nil {
		return err
	}
	if c.Kind == ejournal.NoticeTermMark {
		if facts.Term, err = inv.termName(ctx, c.SchoolID, c.YearID, c.Period); err != nil {
			return err
		}
	}
	for _, id := range parents {
		parent := inv.people[[2]string{c.SchoolID, id}]
		if parent == nil {
			continue
		}
		pref := sc.settings.Preference(id, c.StudentID, inv.prefs[[3]string{c.SchoolID, id, c.StudentID}])
		if pref.Mode == ejournal.NotifyOff || !pref.SMS && !pref.InApp {
			continue
		}
		n := inv.notice(c, sc, parent, facts)
		n.ChildID, n.SMS = c.StudentID, pref.SMS
		if pref.InApp {
			n.Inbox = &ejournal.InboxItem{
				ID: "n-" + n.Key, SchoolID: c.SchoolID, RecipientID: id, Kind: c.Kind, ChildID: c.StudentID,
				Body: ejournal.NoticeText(facts), CreatedAt: inv.now,
			}
		}
		if pref.Mode == ejournal.NotifyDigest {
			n.Digest = true
			n.SendAfter = quiet(ejournal.NextDigest(inv.now, sc.loc, pref.DigestTime), sc)
			n.Group = "digest-" + n.SendAfter.In(sc.loc).Format("2006-01-02")
		}
		if err := inv.queue(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

// consumeMessage queues the SMS copy of an inbox item; the item itself is
// the in-app copy.
func (inv *invocation) consumeMessage(ctx context.Context, c *Change, sc *schoolInfo) error {
	if err := inv.loadPeople(ctx, c.SchoolID, []string{c.RecipientID}); err != nil {
		return err
	}
	person := inv.people[[2]string{c.SchoolID, c.RecipientID}]
	if person == nil {
		return nil
	}
	if err := inv.preferences(ctx, c.SchoolID, []string{c.RecipientID}); err != nil {
		return err
	}
	if !inv.smsCopies(c.SchoolID, c.RecipientID, sc) {
		return nil
	}
	n := inv.notice(c, sc, person, ejournal.NoticeFacts{Kind: ejournal.NoticeMessage, Sender: c.Sender, Body: c.Body})
	n.SMS = true
	n.SendAfter = quiet(inv.now, sc)
	return inv.queue(ctx, n)
}

// smsCopies tells whether a parent takes SMS copies of messages: a
// message is not about one child, so a parent who turned SMS off (or all
// notices off) for every child with a stored choice gets none; without a
// stored choice the school's defaults decide.
func (inv *invocation) smsCopies(sid, parent string, sc *schoolInfo) bool {
	stored := false
	for k, pref := range inv.prefs {
		if k[0] != sid || k[1] != parent || pref == nil {
			continue
		}
		stored = true
		if pref.SMS && pref.Mode != ejournal.NotifyOff {
			return true
		}
	}
	return !stored && sc.settings.DefaultSMS && sc.settings.DefaultMode != ejournal.NotifyOff
}

// notice is the immediate notice of c to recipient: sent after the
// correction window, outside quiet hours, unless the recipient cannot get
// SMS (recorded as suppressed).
func (inv *invocation) notice(c *Change, sc *schoolInfo, recipient *ejournal.Person, facts ejournal.NoticeFacts) *ejournal.Notice {
	window := time.Duration(sc.settings.CorrectionMinutes) * time.Minute
	n := &ejournal.Notice{
		SchoolID: c.SchoolID, RecipientID: recipient.ID, Key: c.NoticeKey(recipient.ID), EventKey: c.EventKey(), Group: c.EventKey(),
		Facts: facts, SendAfter: quiet(inv.now.Add(window), sc), SegmentCost: sc.settings.SegmentCost,
		Month: inv.now.In(sc.loc).Format("2006-01"), At: inv.now,
	}
	switch pd := recipient.Personal; {
	case pd == nil || pd.Phone == "":
		n.Suppress = ejournal.ReasonNoPhone
	case !pd.SMSConsent:
		n.Suppress = ejournal.ReasonNoConsent
	default:
		n.Phone = pd.Phone
	}
	return n
}

func (inv *invocation) queue(ctx context.Context, n *ejournal.Notice) error {
	queued, err := inv.p.Store.QueueNotice(ctx, n)
	if err != nil {
		return err
	}
	if !queued {
		inv.p.logger().Info("notice already queued", "school_id", n.SchoolID, "recipient_id", n.RecipientID, "key", n.Key)
	}
	return nil
}

// quiet moves t out of the school's quiet hours.
func quiet(t time.Time, sc *schoolInfo) time.Time {
	after, _ := ejournal.QuietUntil(t, sc.loc, sc.settings.QuietStart, sc.settings.QuietEnd)
	return after.UTC()
}
