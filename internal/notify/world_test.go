package notify_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
	"ejournal/internal/notify"
	"ejournal/internal/sms"
	"ejournal/internal/snstest"
	"ejournal/internal/streams"
)

// The notify world: one school in Yekaterinburg (UTC+5) with a class, a
// subject and a lesson on 2025-10-01; the student Мария has two parents
// who agreed to SMS (mother, father), a grandmother who did not and a
// guardian whose number opted out; the father is also the parent of Пётр,
// in the same class.
const (
	school            = "sch"
	year, class, subj = "y", "c5a", "math"
	maria, petr       = "s-maria", "s-petr"
	mother, father    = "p-mother", "p-father"
	granny, guardian  = "p-granny", "p-guardian"
	teacher           = "t-1"
)

var phones = map[string]string{mother: "+79120000001", father: "+79120000002", granny: "+79120000003", guardian: "+79120000004"}

// world is the pipeline on a fresh table, reading the table's real stream
// with the local poller and sending through the real SNS client to snstest.
type world struct {
	t      testing.TB
	db     *dynamo.DB
	clock  *clock
	sns    *snstest.Server
	pipe   *notify.Pipeline
	poller *streams.Poller
	lesson *ejournal.Lesson
	loc    *time.Location

	mu sync.Mutex
	// delivered are the batches the poller handed over and sync has not
	// looked at yet; all are every record handed over.
	delivered []events.DynamoDBEvent
	all       []events.DynamoDBEventRecord
}

// start is 2025-10-01 11:00 in Yekaterinburg.
var start = time.Date(2025, 10, 1, 6, 0, 0, 0, time.UTC)

func newWorld(t testing.TB) *world {
	t.Helper()
	db := dynamotest.MustOpenStream(t)
	w := &world{t: t, db: db, clock: &clock{t: start}, sns: snstest.New(t)}
	w.loc, _ = time.LoadLocation("Asia/Yekaterinburg")
	db.Now = w.clock.Now
	sender, err := sms.NewSNSSender(w.sns.Config(), "EJournal", sms.Options{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	w.pipe = &notify.Pipeline{Store: db, Sender: sender, Now: w.clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ctx := context.Background()
	w.must(db.CreateSchool(ctx, &ejournal.School{ID: school, Name: "Школа", TimeZone: "Asia/Yekaterinburg"}))
	w.must(db.CreateYear(ctx, &ejournal.SchoolYear{ID: year, SchoolID: school, Name: "2025/2026", Start: "2025-09-01", End: "2026-08-31", TermKind: ejournal.Halves,
		Terms: []ejournal.Term{{ID: "h1", Name: "1 полугодие", Start: "2025-09-01", End: "2025-12-31"}, {ID: "h2", Name: "2 полугодие", Start: "2026-01-09", End: "2026-05-31"}}}))
	w.must(db.CreateSubject(ctx, &ejournal.Subject{ID: subj, SchoolID: school, Name: "Математика", ShortName: "Матем"}))
	w.must(db.CreatePerson(ctx, &ejournal.Person{ID: teacher, SchoolID: school, Kind: ejournal.Staff, LastName: "Учителева", FirstName: "Анна"}))
	w.must(db.CreateClass(ctx, &ejournal.Class{ID: class, SchoolID: school, YearID: year, Grade: 5, Letter: "А"}))
	for id, name := range map[string]string{maria: "Мария", petr: "Пётр"} {
		w.must(db.CreatePerson(ctx, &ejournal.Person{ID: id, SchoolID: school, Kind: ejournal.Student, LastName: "Иванова", FirstName: name, ClassID: class}))
	}
	for _, id := range []string{mother, father, granny, guardian} {
		w.must(db.CreatePerson(ctx, &ejournal.Person{ID: id, SchoolID: school, Kind: ejournal.Parent, LastName: "Иванова", FirstName: "Ольга",
			Personal: &ejournal.Personal{Phone: phones[id], SMSConsent: id != granny}}))
		w.must(db.Link(ctx, &ejournal.Link{SchoolID: school, ParentID: id, ChildID: maria, Relation: "guardian"}))
	}
	w.must(db.Link(ctx, &ejournal.Link{SchoolID: school, ParentID: father, ChildID: petr, Relation: "father"}))
	w.sns.OptOut(phones[guardian])
	w.lesson = &ejournal.Lesson{SchoolID: school, YearID: year, Date: "2025-10-01", ClassID: class, SubjectID: subj, TeacherID: teacher, Period: 1, Source: ejournal.ManualLesson}
	w.must(db.CreateLesson(ctx, w.lesson))
	// The poller starts after the seeding: it reads what comes next.
	w.poller = &streams.Poller{API: streams.NewClient(dynamotest.Endpoint(t)), Table: db.Table(), Logger: w.pipe.Logger,
		Handler: func(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
			w.mu.Lock()
			w.delivered = append(w.delivered, ev)
			w.all = append(w.all, ev.Records...)
			w.mu.Unlock()
			return w.pipe.Handle(ctx, ev)
		}}
	w.must(w.poller.Start(ctx))
	return w
}

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

// settings saves the school's notification settings: the defaults changed by edit.
func (w *world) settings(edit func(*ejournal.NotifySettings)) {
	w.t.Helper()
	s := ejournal.DefaultNotifySettings(school)
	edit(s)
	w.must(w.db.SaveNotifySettings(context.Background(), s))
}

// give gives the students marks at the lesson and returns them.
func (w *world) give(values map[string]int) []*ejournal.Mark {
	w.t.Helper()
	var marks []*ejournal.Mark
	for _, id := range []string{maria, petr} {
		if v, ok := values[id]; ok {
			marks = append(marks, &ejournal.Mark{StudentID: id, Value: v})
		}
	}
	w.must(w.db.CreateMarks(context.Background(), w.lesson, marks))
	return marks
}

// sync polls the stream until a batch holds the item of each key
// ("<type>" values of the records' new images, in any order), with a
// deadline.
func (w *world) sync(types ...string) {
	w.t.Helper()
	want := map[string]int{}
	for _, ty := range types {
		want[ty]++
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := w.poller.Poll(context.Background()); err != nil {
			w.t.Fatal(err)
		}
		w.mu.Lock()
		got := map[string]int{}
		for _, ev := range w.delivered {
			for _, r := range ev.Records {
				if ty, ok := r.Change.NewImage["type"]; ok && ty.DataType() == events.DataTypeString {
					got[ty.String()]++
				}
			}
		}
		w.delivered = nil
		w.mu.Unlock()
		for ty, n := range got {
			want[ty] -= n
			if want[ty] <= 0 {
				delete(want, ty)
			}
		}
		if len(want) == 0 {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("stream records not delivered within 15 s: %v still missing", want)
		}
		// The stream is asynchronous: poll again shortly, not in a tight
		// loop (DynamoDB Local serves every request on one thread).
		time.Sleep(20 * time.Millisecond)
	}
}

// dispatch runs the dispatcher at the world's clock.
func (w *world) dispatch() notify.DispatchResult {
	w.t.Helper()
	res, err := w.pipe.Dispatch(context.Background())
	w.must(err)
	return res
}

// outbox returns the school's SMS of October 2025 by recipient.
func (w *world) outbox() map[string][]*ejournal.OutboxMessage {
	w.t.Helper()
	ms, err := w.db.Outbox(context.Background(), school, []string{"2025-10"}, 1000)
	w.must(err)
	out := map[string][]*ejournal.OutboxMessage{}
	for _, m := range slices.Backward(ms) {
		out[m.RecipientID] = append(out[m.RecipientID], m)
	}
	return out
}

// published returns the texts SNS received, by phone.
func (w *world) published() map[string][]string {
	out := map[string][]string{}
	for _, p := range w.sns.Published() {
		out[p.Phone] = append(out[p.Phone], p.Message)
	}
	return out
}

// at is the time hh:mm on 2025-10-dd in Yekaterinburg.
func (w *world) at(day, hh, mm int) time.Time {
	return time.Date(2025, 10, day, hh, mm, 0, 0, w.loc)
}

// setClock moves the clock forward to t.
func (w *world) setClock(t time.Time) {
	w.t.Helper()
	d := t.Sub(w.clock.Now())
	if d < 0 {
		w.t.Fatalf("clock would go back from %v to %v", w.clock.Now(), t)
	}
	w.clock.Advance(d)
}

// streamRecords returns every record the poller handed over.
func (w *world) streamRecords() []events.DynamoDBEventRecord {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.all)
}

// clock is the world's settable clock (the store's and the pipeline's).
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
