package notify_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ejournal/internal/ejournal"
	"ejournal/internal/notify"
)

// TestMarkSMS: a mark sends exactly one SMS to each parent who agreed to
// SMS, after the correction window, through the real SNS client, with the
// expected text and attributes; the grandmother without consent and the
// opted-out guardian get none (recorded as suppressed) but all four get
// the in-app notice; the father of two gets one SMS per child. Delivering
// the same stream records again sends nothing more.
func TestMarkSMS(t *testing.T) {
	w := newWorld(t)
	w.give(map[string]int{maria: 5, petr: 4})
	w.sync("mark", "mark")

	if res := w.dispatch(); res.Sent != 0 {
		t.Fatalf("sent %d SMS inside the correction window", res.Sent)
	}
	w.clock.Advance(5 * time.Minute)
	if res := w.dispatch(); res.Sent != 3 || res.Suppressed != 1 {
		t.Fatalf("dispatch: %+v, want 3 sent (mother, father ×2) and 1 suppressed (opted out)", res)
	}
	got := w.published()
	wantMaria := markText("Мария", 5, false)
	if m := got[phones[mother]]; !slices.Equal(m, []string{wantMaria}) {
		t.Errorf("mother got %q, want %q", m, wantMaria)
	}
	if f := got[phones[father]]; len(f) != 2 || !slices.Contains(f, wantMaria) || !slices.Contains(f, markText("Пётр", 4, false)) {
		t.Errorf("father got %q, want one SMS per child", f)
	}
	if len(got[phones[granny]])+len(got[phones[guardian]]) != 0 {
		t.Errorf("SMS to the parent without consent or the opted-out one: %v", got)
	}
	for _, p := range w.sns.Published() {
		if p.Attributes["AWS.SNS.SMS.SMSType"].StringValue != "Transactional" || p.Attributes["AWS.SNS.SMS.SenderID"].StringValue != "EJournal" {
			t.Errorf("publish attributes %+v", p.Attributes)
		}
	}
	out := w.outbox()
	for who, want := range map[string]string{granny: ejournal.ReasonNoConsent, guardian: ejournal.ReasonOptedOut} {
		if len(out[who]) != 1 || out[who][0].State != ejournal.OutboxSuppressed || out[who][0].Reason != want {
			t.Errorf("outbox of %s: %+v, want one suppressed (%s)", who, out[who], want)
		}
	}
	for _, m := range out[mother] {
		if m.State != ejournal.OutboxSent || m.SNSMessageID == "" || m.Segments != 1 || m.Cost != ejournal.DefaultSegmentCost {
			t.Errorf("mother's SMS %+v, want sent, one segment at the default cost", m)
		}
	}
	for _, who := range []string{mother, father, granny, guardian} {
		inbox, err := w.db.Inbox(context.Background(), school, who, "", 50)
		w.must(err)
		if !slices.ContainsFunc(inbox.Items, func(it *ejournal.InboxItem) bool { return it.Body == wantMaria && it.ChildID == maria }) {
			t.Errorf("inbox of %s: %+v, want the in-app notice", who, inbox.Items)
		}
	}

	// The stream delivers the same records again (a Lambda retry).
	again := w.replayMarks()
	if res, err := w.pipe.Handle(context.Background(), again); err != nil || len(res.BatchItemFailures) != 0 {
		t.Fatalf("replay: %+v, %v", res, err)
	}
	w.clock.Advance(10 * time.Minute)
	if res := w.dispatch(); res.Sent+res.Suppressed != 0 {
		t.Errorf("replayed records dispatched %+v, want nothing", res)
	}
	if n := len(w.sns.Published()); n != 3 {
		t.Errorf("%d SMS published after the replay, want still 3", n)
	}
}

// replayMarks reads the mark records of the stream again from its
// beginning, as a retried Lambda invocation would get them.
func (w *world) replayMarks() events.DynamoDBEvent {
	w.t.Helper()
	var ev events.DynamoDBEvent
	for _, r := range w.streamRecords() {
		if ty, ok := r.Change.NewImage["type"]; ok && ty.DataType() == events.DataTypeString && ty.String() == "mark" {
			ev.Records = append(ev.Records, r)
		}
	}
	if len(ev.Records) == 0 {
		w.t.Fatal("no mark records in the stream")
	}
	return ev
}

// TestBatchItemFailures: an unreadable record is reported by its sequence
// number and the others of the batch go through.
func TestBatchItemFailures(t *testing.T) {
	w := newWorld(t)
	w.settings(func(s *ejournal.NotifySettings) { s.CorrectionMinutes = 0 })
	w.give(map[string]int{maria: 3})
	w.sync("mark")
	w.dispatch()
	good := w.replayMarks().Records[0]
	bad := good
	bad.Change.SequenceNumber = "bad-1"
	bad.Change.NewImage = map[string]events.DynamoDBAttributeValue{"type": events.NewStringAttribute("mark"), "school_id": events.NewStringAttribute(school), "version": events.NewStringAttribute("one")}
	// A fresh write of the same mark: a new version, so a new notice.
	good.Change.NewImage = cloneImage(good.Change.NewImage)
	good.Change.NewImage["version"] = events.NewNumberAttribute("2")
	good.Change.NewImage["value"] = events.NewNumberAttribute("4")
	good.Change.OldImage = cloneImage(good.Change.NewImage)
	good.Change.OldImage["version"] = events.NewNumberAttribute("1")
	good.Change.OldImage["value"] = events.NewNumberAttribute("3")
	good.EventName = "MODIFY"
	res, err := w.pipe.Handle(context.Background(), events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{bad, good}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.BatchItemFailures) != 1 || res.BatchItemFailures[0].ItemIdentifier != "bad-1" {
		t.Fatalf("failures %+v, want only bad-1", res.BatchItemFailures)
	}
	w.dispatch()
	got := w.published()[phones[mother]]
	if !slices.Equal(got, []string{markText("Мария", 3, false), markText("Мария", 4, true)}) {
		t.Errorf("mother got %q, want the notice of the good record", got)
	}
}

func cloneImage(m map[string]events.DynamoDBAttributeValue) map[string]events.DynamoDBAttributeValue {
	out := make(map[string]events.DynamoDBAttributeValue, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestCorrectionWindow: a mark corrected inside the correction window
// replaces the pending SMS: one SMS with the corrected mark, which reads as
// a new mark.
func TestCorrectionWindow(t *testing.T) {
	w := newWorld(t)
	marks := w.give(map[string]int{maria: 3})
	w.sync("mark")
	w.clock.Advance(2 * time.Minute)
	ctx := context.Background()
	if _, err := w.db.UpdateMark(ctx, w.lesson, marks[0].ID, ejournal.MarkChange{Value: 4, Version: 1, MayEdit: true}); err != nil {
		t.Fatal(err)
	}
	w.sync("mark")
	w.clock.Advance(3 * time.Minute)
	w.dispatch()
	if got := w.published()[phones[mother]]; !slices.Equal(got, []string{markText("Мария", 4, false)}) {
		t.Errorf("mother got %q, want one SMS with the corrected mark", got)
	}
	// After the SMS went out, a change is news of its own.
	if _, err := w.db.UpdateMark(ctx, w.lesson, marks[0].ID, ejournal.MarkChange{Value: 5, Version: 2, MayEdit: true}); err != nil {
		t.Fatal(err)
	}
	w.sync("mark")
	w.clock.Advance(5 * time.Minute)
	w.dispatch()
	if got := w.published()[phones[mother]]; len(got) != 2 || got[1] != markText("Мария", 5, true) {
		t.Errorf("mother got %q, want a second SMS for the later change", got)
	}
}

// TestQuietHours: a mark given at 20:58 school time would go out at 21:03,
// inside the quiet hours, so its SMS waits until 08:00 school time.
func TestQuietHours(t *testing.T) {
	w := newWorld(t)
	w.setClock(w.at(1, 20, 58))
	w.give(map[string]int{maria: 5})
	w.sync("mark")
	m := w.outbox()[mother]
	if len(m) != 1 || m[0].State != ejournal.OutboxPending || !m[0].SendAfter.Equal(w.at(2, 8, 0)) {
		t.Fatalf("mother's SMS %+v, want pending until 08:00 of 2 October (school time)", m)
	}
	w.setClock(w.at(2, 7, 59))
	if res := w.dispatch(); res.Sent != 0 {
		t.Fatalf("sent %d SMS at 07:59", res.Sent)
	}
	w.setClock(w.at(2, 8, 0))
	if res := w.dispatch(); res.Sent != 2 {
		t.Fatalf("dispatch at 08:00: %+v, want the mother's and the father's SMS", res)
	}
	if m := w.outbox()[mother]; m[0].State != ejournal.OutboxSent || !m[0].SentAt.Equal(w.at(2, 8, 0)) {
		t.Errorf("mother's SMS %+v, want sent at 08:00", m[0])
	}
}

// TestDigest: a parent who chose the daily digest at 18:30 gets one SMS
// that evening listing the day's marks and absence; the other parent
// (immediate) gets each on its own.
func TestDigest(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.must(w.db.SaveNotifyPreference(ctx, &ejournal.NotifyPreference{SchoolID: school, ParentID: mother, ChildID: maria, Mode: ejournal.NotifyDigest, DigestTime: "18:30", SMS: true, InApp: true}))
	w.give(map[string]int{maria: 5})
	w.give(map[string]int{maria: 4})
	w.clock.Advance(time.Hour)
	if _, _, err := w.db.SetLessonAttendance(ctx, w.lesson, []ejournal.AttendanceRecord{{StudentID: maria, Code: ejournal.Late}}); err != nil {
		t.Fatal(err)
	}
	w.sync("mark", "mark", "attendance")
	w.setClock(w.at(1, 18, 29))
	w.dispatch()
	if got := w.published(); len(got[phones[mother]]) != 0 || len(got[phones[father]]) != 3 {
		t.Fatalf("before 18:30: %v, want nothing for the mother and 3 SMS for the father", got)
	}
	w.setClock(w.at(1, 18, 30))
	w.dispatch()
	want := ejournal.DigestText("Мария", []ejournal.NoticeFacts{
		{Kind: ejournal.NoticeMark, ChildFirstName: "Мария", Subject: "Математика", Value: 5, Date: "2025-10-01"},
		{Kind: ejournal.NoticeMark, ChildFirstName: "Мария", Subject: "Математика", Value: 4, Date: "2025-10-01"},
		{Kind: ejournal.NoticeAbsence, ChildFirstName: "Мария", Subject: "Математика", Code: ejournal.Late, Date: "2025-10-01"},
	})
	if got := w.published()[phones[mother]]; !slices.Equal(got, []string{want}) {
		t.Errorf("mother's digest %q, want %q", got, want)
	}
}

// TestBudget: with a budget of 2 segments a month the first two SMS go
// out (and cross the 80% warning), the third is suppressed for the budget;
// the in-app notices continue, and the report shows it all.
func TestBudget(t *testing.T) {
	w := newWorld(t)
	w.settings(func(s *ejournal.NotifySettings) { s.MonthlySMSBudget, s.CorrectionMinutes = 2, 0 })
	w.give(map[string]int{maria: 5, petr: 4})
	w.sync("mark", "mark")
	res := w.dispatch()
	if res.Sent != 2 || res.Suppressed != 2 {
		t.Fatalf("dispatch %+v, want 2 sent, 2 suppressed (budget, opted out)", res)
	}
	rep, err := w.db.OutboxReport(context.Background(), school, "2025-10")
	w.must(err)
	if rep.Sent != 2 || rep.Suppressed[ejournal.ReasonBudget] != 1 || rep.Suppressed[ejournal.ReasonNoConsent] != 1 || rep.Suppressed[ejournal.ReasonOptedOut] != 1 || rep.Used != 2 || !rep.Warning || rep.Segments != 2 || rep.Spend != 2*ejournal.DefaultSegmentCost {
		t.Errorf("report %+v", rep)
	}
	inbox, err := w.db.Inbox(context.Background(), school, father, "", 50)
	w.must(err)
	if len(inbox.Items) != 2 {
		t.Errorf("father's inbox has %d notices, want 2 (in-app continues past the budget)", len(inbox.Items))
	}
}

// TestSendErrors: throttling is retried by the sender and the SMS goes
// out; a permanent error is recorded as failed with its reason and never
// tried again.
func TestSendErrors(t *testing.T) {
	w := newWorld(t)
	w.settings(func(s *ejournal.NotifySettings) { s.CorrectionMinutes = 0 })
	w.sns.ThrottleNext(2)
	w.sns.FailPermanently(phones[father])
	w.give(map[string]int{maria: 5})
	w.sync("mark")
	res := w.dispatch()
	if res.Sent != 1 || res.Failed != 1 {
		t.Fatalf("dispatch %+v, want 1 sent (mother, after throttling) and 1 failed (father)", res)
	}
	out := w.outbox()
	if m := out[mother][0]; m.State != ejournal.OutboxSent {
		t.Errorf("mother's SMS %+v, want sent", m)
	}
	if m := out[father][0]; m.State != ejournal.OutboxFailed || !strings.HasPrefix(m.Reason, "rejected:") {
		t.Errorf("father's SMS %+v, want failed with the reason", m)
	}
	attempts := w.sns.PublishAttempts()
	w.clock.Advance(time.Hour)
	w.dispatch()
	if w.sns.PublishAttempts() != attempts {
		t.Errorf("a failed SMS was tried again")
	}
	rep, err := w.db.OutboxReport(context.Background(), school, "2025-10")
	w.must(err)
	if rep.Failed != 1 || rep.Used != 1 {
		t.Errorf("report %+v, want 1 failed and the budget of the failed SMS refunded", rep)
	}
}

// markText is the SMS text of a mark of the world's lesson.
func markText(child string, value int, changed bool) string {
	return ejournal.NoticeText(ejournal.NoticeFacts{Kind: ejournal.NoticeMark, ChildFirstName: child, Subject: "Математика", Value: value, Changed: changed, Date: "2025-10-01"})
}

// TestMessageSMS: an inbox item that asks for an SMS copy (a teacher's
// message) sends one to its recipient, outside quiet hours, without a
// correction window; the grandmother without consent gets none, nor does
// the father, who turned SMS off.
func TestMessageSMS(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	// The father turned SMS off for both his children: messages reach
	// his inbox only.
	for _, child := range []string{maria, petr} {
		w.must(w.db.SaveNotifyPreference(ctx, &ejournal.NotifyPreference{SchoolID: school, ParentID: father, ChildID: child, Mode: ejournal.NotifyImmediate, InApp: true}))
	}
	var items []*ejournal.InboxItem
	for _, who := range []string{mother, granny, father} {
		items = append(items, &ejournal.InboxItem{SchoolID: school, RecipientID: who, Kind: ejournal.NoticeMessage, MessageID: "msg1",
			SenderID: teacher, SenderName: "Анна Петровна", Body: "Завтра собрание в 18:00", SMS: true, CreatedAt: w.clock.Now()})
	}
	w.must(w.db.PutInboxItems(ctx, items))
	w.sync("inbox", "inbox")
	if res := w.dispatch(); res.Sent != 1 {
		t.Fatalf("dispatch %+v, want the mother's SMS", res)
	}
	want := ejournal.NoticeText(ejournal.NoticeFacts{Kind: ejournal.NoticeMessage, Sender: "Анна Петровна", Body: "Завтра собрание в 18:00"})
	if got := w.published()[phones[mother]]; !slices.Equal(got, []string{want}) {
		t.Errorf("mother got %q, want %q", got, want)
	}
	if m := w.outbox()[granny]; len(m) != 1 || m[0].Reason != ejournal.ReasonNoConsent {
		t.Errorf("grandmother's SMS %+v, want suppressed for no consent", m)
	}
	if got := w.published()[phones[father]]; len(got) != 0 || len(w.outbox()[father]) != 0 {
		t.Errorf("the father, SMS off, got %q / outbox %+v", got, w.outbox()[father])
	}
}

// TestHandleLambda: the function's handler consumes a stream batch given
// as Lambda's JSON and dispatches on the schedule's event.
func TestHandleLambda(t *testing.T) {
	w := newWorld(t)
	w.settings(func(s *ejournal.NotifySettings) { s.CorrectionMinutes = 0 })
	w.give(map[string]int{maria: 4})
	w.sync("mark")
	raw, err := json.Marshal(w.replayMarks())
	w.must(err)
	out, err := w.pipe.HandleLambda(context.Background(), raw)
	w.must(err)
	if res, ok := out.(events.DynamoDBEventResponse); !ok || res.BatchItemFailures == nil || len(res.BatchItemFailures) != 0 {
		t.Fatalf("stream batch: %#v, want a response without failures", out)
	}
	out, err = w.pipe.HandleLambda(context.Background(), json.RawMessage(`{"source":"aws.events","detail-type":"Scheduled Event","detail":{}}`))
	w.must(err)
	if res, ok := out.(notify.DispatchResult); !ok || res.Sent != 2 {
		t.Errorf("scheduled event: %#v, want 2 SMS sent", out)
	}
}

// TestTermMarkSMS: a term mark is news for the parents, named with the
// term's name.
func TestTermMarkSMS(t *testing.T) {
	w := newWorld(t)
	w.settings(func(s *ejournal.NotifySettings) { s.CorrectionMinutes = 0 })
	ctx := context.Background()
	student, err := w.db.Person(ctx, school, maria)
	w.must(err)
	w.must(w.db.SetTermMark(ctx, student, &ejournal.TermMark{SubjectID: subj, Period: "h1", Value: "5"}))
	w.sync("term_mark")
	w.dispatch()
	want := ejournal.NoticeText(ejournal.NoticeFacts{Kind: ejournal.NoticeTermMark, ChildFirstName: "Мария", Subject: "Математика", TermValue: "5", Term: "1 полугодие"})
	if got := w.published()[phones[mother]]; !slices.Equal(got, []string{want}) {
		t.Errorf("mother got %q, want %q", got, want)
	}
}
