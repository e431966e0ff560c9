package dynamo_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// ttSchool is a school with a second class (5Б), a second and a third
// teacher and a second group of class 5А, beside mustSchool's records.
type ttSchool struct {
	*school
	Class2   *ejournal.Class
	Group2   *ejournal.Group
	Teacher2 *ejournal.Person
	Teacher3 *ejournal.Person
}

func mustTTSchool(t *testing.T, db *dynamo.DB, id string) *ttSchool {
	t.Helper()
	ctx := t.Context()
	s := &ttSchool{school: mustSchool(t, db, id)}
	s.Class2 = &ejournal.Class{SchoolID: id, YearID: s.Year.ID, Grade: 5, Letter: "Б", ClassTeacherID: s.Teacher.ID}
	must(t, db.CreateClass(ctx, s.Class2))
	s.Group2 = &ejournal.Group{SchoolID: id, ClassID: s.Class.ID, Name: "Английский 2"}
	must(t, db.CreateGroup(ctx, s.Group2))
	s.Teacher2 = newPerson(id, ejournal.Staff, "Второва", "")
	must(t, db.CreatePerson(ctx, s.Teacher2))
	s.Teacher3 = newPerson(id, ejournal.Staff, "Третьякова", "")
	must(t, db.CreatePerson(ctx, s.Teacher3))
	return s
}

// entry is an entry of class 5А in the school's subject with its first
// teacher on Monday, period 2, in room 12, all year; over changes it.
func (s *ttSchool) entry(over func(e *ejournal.TimetableEntry)) *ejournal.TimetableEntry {
	e := &ejournal.TimetableEntry{SchoolID: s.ID, YearID: s.Year.ID, ClassID: s.Class.ID, SubjectID: s.Subject.ID, TeacherID: s.Teacher.ID, Room: "12", Weekday: 1, Period: 2, From: s.Year.Start}
	if over != nil {
		over(e)
	}
	return e
}

// wantClash fails unless err is a conflict naming field whose message
// names want.
func wantClash(t *testing.T, err error, field, want string) {
	t.Helper()
	wantError(t, err, ejournal.ECONFLICT, field)
	var e *ejournal.Error
	errors.As(err, &e)
	if !strings.Contains(e.Message.RU, want) {
		t.Fatalf("message %q does not name %q", e.Message.RU, want)
	}
}

func TestTimetableEntries(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "head", SchoolID: "s1"})
	s := mustTTSchool(t, db, "s1")
	other := mustTTSchool(t, db, "s2")

	e1 := s.entry(nil)
	must(t, db.SaveTimetableEntry(ctx, e1))
	if e1.ID == "" || e1.Version != 1 || e1.CreatedAt.IsZero() {
		t.Fatalf("created %+v", e1)
	}
	named := "5А, Английский язык, понедельник, 2-й урок (запись " + e1.ID + ")"

	// Clashes are refused, naming the lesson clashed with.
	wantClash(t, db.SaveTimetableEntry(ctx, s.entry(func(e *ejournal.TimetableEntry) { e.ClassID, e.Room = s.Class2.ID, "14" })), "teacher_id", named)
	wantClash(t, db.SaveTimetableEntry(ctx, s.entry(func(e *ejournal.TimetableEntry) { e.ClassID, e.TeacherID = s.Class2.ID, s.Teacher2.ID })), "room", named)
	wantClash(t, db.SaveTimetableEntry(ctx, s.entry(func(e *ejournal.TimetableEntry) { e.TeacherID, e.Room = s.Teacher2.ID, "" })), "period", named)
	wantClash(t, db.SaveTimetableEntry(ctx, s.entry(func(e *ejournal.TimetableEntry) { e.GroupID, e.TeacherID, e.Room = s.Group.ID, s.Teacher2.ID, "" })), "period", named)

	// Two groups of one class share a period.
	g1 := s.entry(func(e *ejournal.TimetableEntry) { e.Period, e.GroupID, e.Room = 3, s.Group.ID, "21" })
	must(t, db.SaveTimetableEntry(ctx, g1))
	g2 := s.entry(func(e *ejournal.TimetableEntry) {
		e.Period, e.GroupID, e.TeacherID, e.Room = 3, s.Group2.ID, s.Teacher2.ID, "22"
	})
	must(t, db.SaveTimetableEntry(ctx, g2))
	wantClash(t, db.SaveTimetableEntry(ctx, s.entry(func(e *ejournal.TimetableEntry) { e.Period, e.TeacherID, e.Room = 3, s.Teacher3.ID, "" })), "period", "5А (Английский 1), Английский язык, понедельник, 3-й урок")

	// References: a student is no teacher, another school's class and
	// another class's group are not found, a bad weekday is invalid, and
	// nothing is written.
	wantError(t, db.SaveTimetableEntry(ctx, s.entry(func(e *ejournal.TimetableEntry) { e.Period, e.TeacherID = 5, s.Student.ID })), ejournal.EINVALID, "teacher_id")
	wantError(t, db.SaveTimetableEntry(ctx, s.entry(func(e *ejournal.TimetableEntry) { e.Period, e.ClassID = 5, other.Class.ID })), ejournal.EINVALID, "class_id")
	wantError(t, db.SaveTimetableEntry(ctx, s.entry(func(e *ejournal.TimetableEntry) { e.Period, e.ClassID, e.GroupID = 5, s.Class2.ID, s.Group.ID })), ejournal.EINVALID, "group_id")
	wantError(t, db.SaveTimetableEntry(ctx, s.entry(func(e *ejournal.TimetableEntry) { e.Weekday = 7 })), ejournal.EINVALID, "weekday")
	wantError(t, db.SaveTimetableEntry(ctx, s.entry(func(e *ejournal.TimetableEntry) { e.YearID = other.Year.ID })), ejournal.ENOTFOUND)
	all, err := db.TimetableEntries(ctx, "s1", s.Year.ID)
	must(t, err)
	if len(all) != 3 {
		t.Fatalf("%d entries, want 3", len(all))
	}

	// A change from a date ends the old entry the day before and starts
	// the new one, in one transaction; an entry that ended before another
	// starts does not clash with it.
	next := s.entry(func(e *ejournal.TimetableEntry) { e.TeacherID, e.Room, e.From = s.Teacher2.ID, "15", "2025-11-03" })
	ended, err := db.ChangeTimetableEntry(ctx, "s1", s.Year.ID, e1.ID, 1, next)
	must(t, err)
	if ended.Until != "2025-11-02" || ended.Version != 2 || next.ID == e1.ID || next.Version != 1 || next.From != "2025-11-03" {
		t.Fatalf("change: ended %+v, next %+v", ended, next)
	}
	got, err := db.TimetableEntry(ctx, "s1", s.Year.ID, e1.ID)
	must(t, err)
	if got.Until != "2025-11-02" || got.TeacherID != s.Teacher.ID {
		t.Fatalf("stored old entry %+v", got)
	}
	later := s.entry(func(e *ejournal.TimetableEntry) { e.ClassID, e.Room, e.From = s.Class2.ID, "15", "2025-11-03" })
	wantClash(t, db.SaveTimetableEntry(ctx, later), "room", "5А, Английский язык, понедельник, 2-й урок (запись "+next.ID+")")
	later.Room = "40"
	must(t, db.SaveTimetableEntry(ctx, later)) // the first teacher is free again from 3 November
	earlier := s.entry(func(e *ejournal.TimetableEntry) { e.ClassID, e.Room, e.From = s.Class2.ID, "41", "2025-10-01" })
	wantClash(t, db.SaveTimetableEntry(ctx, earlier), "teacher_id", "(запись "+e1.ID+")")
	_, err = db.ChangeTimetableEntry(ctx, "s1", s.Year.ID, e1.ID, 1, s.entry(func(e *ejournal.TimetableEntry) { e.From = "2025-12-01" }))
	wantError(t, err, ejournal.ECONFLICT)
	_, err = db.ChangeTimetableEntry(ctx, "s1", s.Year.ID, next.ID, 1, s.entry(func(e *ejournal.TimetableEntry) { e.From = "2025-11-03" }))
	wantError(t, err, ejournal.EINVALID, "from")

	// Updates carry the version read.
	g1.Room = "23"
	must(t, db.SaveTimetableEntry(ctx, g1))
	if g1.Version != 2 {
		t.Fatalf("updated version %d", g1.Version)
	}
	stale := *g1
	stale.Version = 1
	wantError(t, db.SaveTimetableEntry(ctx, &stale), ejournal.ECONFLICT)
	if stale.Version != 1 {
		t.Fatalf("a failed update changed the version to %d", stale.Version)
	}
	_, err = db.DeleteTimetableEntry(ctx, "s1", s.Year.ID, g1.ID, 1)
	wantError(t, err, ejournal.ECONFLICT)
	deleted, err := db.DeleteTimetableEntry(ctx, "s1", s.Year.ID, g1.ID, 2)
	must(t, err)
	if deleted.ID != g1.ID || deleted.Room != "23" {
		t.Fatalf("deleted %+v", deleted)
	}
	_, err = db.TimetableEntry(ctx, "s1", s.Year.ID, g1.ID)
	wantError(t, err, ejournal.ENOTFOUND)

	trail, err := db.AuditTrail(ctx, "s1", "timetable", g1.ID)
	must(t, err)
	if got := ids(trail, func(a *ejournal.AuditEntry) string { return a.Action + " by " + a.ActorID }); strings.Join(got, ",") != "create by head,update by head,delete by head" {
		t.Fatalf("audit trail %v", got)
	}
	if entries, err := db.TimetableEntries(ctx, "s2", s.Year.ID); err != nil || len(entries) != 0 {
		t.Fatalf("another school reads %d entries (%v)", len(entries), err)
	}
}

// ttHook runs a function before the next TransactWriteItems.
type ttHook struct {
	dynamo.API
	mu     sync.Mutex
	before func()
}

func (h *ttHook) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	h.mu.Lock()
	f := h.before
	h.before = nil
	h.mu.Unlock()
	if f != nil {
		f()
	}
	return h.API.TransactWriteItems(ctx, in, opts...)
}

func TestTimetableConcurrentEdits(t *testing.T) {
	t.Parallel()
	c := dynamotest.Client(t)
	hook := &ttHook{API: c}
	db := dynamo.New(hook, dynamotest.NewTable(t, c))
	ctx := t.Context()
	s := mustTTSchool(t, db, "s1")

	// Two edits read the same timetable: the one that writes second fails
	// on the HEAD counter, even though it would not clash with the first.
	first := s.entry(nil)
	second := s.entry(func(e *ejournal.TimetableEntry) { e.ClassID, e.TeacherID, e.Room = s.Class2.ID, s.Teacher2.ID, "14" })
	hook.before = func() { must(t, db.SaveTimetableEntry(ctx, second)) }
	wantError(t, db.SaveTimetableEntry(ctx, first), ejournal.ECONFLICT)
	if first.Version != 0 {
		t.Fatalf("the refused entry has version %d", first.Version)
	}
	must(t, db.SaveTimetableEntry(ctx, first)) // read again, it passes

	// Clashing entries sent at once: exactly one is stored.
	for round := range 3 {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.SaveTimetableEntry(ctx, s.entry(func(e *ejournal.TimetableEntry) {
					e.Weekday, e.Period, e.TeacherID, e.Room = 2, 1+round, s.Teacher3.ID, ""
					if i == 1 {
						e.ClassID = s.Class2.ID
					}
				}))
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) || ejournal.ErrorCode(errors.Join(errs[0], errs[1])) != ejournal.ECONFLICT {
			t.Fatalf("round %d: %v", round, errs)
		}
	}
}

func TestSubstitutions(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "head", SchoolID: "s1"})
	s := mustTTSchool(t, db, "s1")
	e := s.entry(nil)
	must(t, db.SaveTimetableEntry(ctx, e))
	busy := s.entry(func(x *ejournal.TimetableEntry) { x.ClassID, x.TeacherID, x.Room = s.Class2.ID, s.Teacher2.ID, "14" })
	must(t, db.SaveTimetableEntry(ctx, busy))

	const monday = ejournal.Date("2025-09-08")
	l := &ejournal.Lesson{ID: ejournal.GeneratedLessonID(e.ID, monday), SchoolID: "s1", Date: monday, ClassID: s.Class.ID, SubjectID: s.Subject.ID, TeacherID: s.Teacher.ID,
		Period: 2, Source: ejournal.TimetableLesson, TimetableEntryID: e.ID, Room: "12"}
	must(t, db.CreateLesson(ctx, l))

	sub := func(over func(x *ejournal.Substitution)) *ejournal.Substitution {
		x := &ejournal.Substitution{SchoolID: "s1", YearID: s.Year.ID, EntryID: e.ID, Date: monday, TeacherID: s.Teacher3.ID, Reason: "болезнь"}
		if over != nil {
			over(x)
		}
		return x
	}
	wantError(t, db.SaveSubstitution(ctx, sub(func(x *ejournal.Substitution) { x.Date = "2025-09-09" })), ejournal.EINVALID, "date")
	wantError(t, db.SaveSubstitution(ctx, sub(func(x *ejournal.Substitution) { x.EntryID = "nope" })), ejournal.EINVALID, "entry_id")
	cal := ejournal.DefaultCalendar("s1", s.Year.ID)
	cal.Holidays = []ejournal.Holiday{{Start: "2025-11-03", End: "2025-11-09", Name: "Осенние каникулы"}}
	must(t, db.SaveCalendar(ctx, cal))
	wantError(t, db.SaveSubstitution(ctx, sub(func(x *ejournal.Substitution) { x.Date = "2025-11-03" })), ejournal.EINVALID, "date")
	wantError(t, db.SaveSubstitution(ctx, sub(func(x *ejournal.Substitution) { x.TeacherID = s.Student.ID })), ejournal.EINVALID, "teacher_id")
	wantError(t, db.SaveSubstitution(ctx, sub(func(x *ejournal.Substitution) { x.TeacherID = s.Teacher.ID })), ejournal.EINVALID, "teacher_id")
	wantClash(t, db.SaveSubstitution(ctx, sub(func(x *ejournal.Substitution) { x.TeacherID = s.Teacher2.ID })), "teacher_id", "5Б, Английский язык, 2-й урок 2025-09-08")

	// The substitute takes the generated lesson, in the journal's indexes too.
	x := sub(func(x *ejournal.Substitution) { x.Room = "7" })
	must(t, db.SaveSubstitution(ctx, x))
	if x.ID == "" || x.Version != 1 || x.CreatedBy != "head" {
		t.Fatalf("substitution %+v", x)
	}
	got, err := db.Lesson(ctx, "s1", l.ID)
	must(t, err)
	if got.TeacherID != s.Teacher3.ID || got.RegularTeacherID != s.Teacher.ID || got.Room != "7" || got.Version != 2 {
		t.Fatalf("substituted lesson %+v", got)
	}
	theirs, err := db.TeacherLessons(ctx, "s1", s.Teacher3.ID, monday, monday)
	must(t, err)
	if len(theirs) != 1 || theirs[0].ID != l.ID {
		t.Fatalf("the substitute's lessons: %v", lessonIDs(theirs))
	}
	wantError(t, db.SaveSubstitution(ctx, sub(func(x *ejournal.Substitution) { x.TeacherID = s.Teacher2.ID })), ejournal.ECONFLICT)
	// The substitute is busy now in that period: not for another lesson.
	wantClash(t, db.SaveSubstitution(ctx, sub(func(y *ejournal.Substitution) { y.EntryID = busy.ID })), "teacher_id", "5А, Английский язык")

	listed, err := db.Substitutions(ctx, "s1", s.Year.ID, "2025-09-01", "2025-09-30")
	must(t, err)
	if len(listed) != 1 || listed[0].ID != x.ID {
		t.Fatalf("substitutions %+v", listed)
	}
	if none, _ := db.Substitutions(ctx, "s1", s.Year.ID, "2025-09-09", "2025-09-30"); len(none) != 0 {
		t.Fatalf("substitutions after the date: %+v", none)
	}
	_, err = db.DeleteTimetableEntry(ctx, "s1", s.Year.ID, e.ID, e.Version)
	wantError(t, err, ejournal.ECONFLICT)

	// Deleting the substitution gives the lesson back.
	_, err = db.DeleteSubstitution(ctx, "s1", s.Year.ID, x.ID, 2)
	wantError(t, err, ejournal.ECONFLICT)
	gone, err := db.DeleteSubstitution(ctx, "s1", s.Year.ID, x.ID, 1)
	must(t, err)
	if gone.ID != x.ID {
		t.Fatalf("deleted %+v", gone)
	}
	got, err = db.Lesson(ctx, "s1", l.ID)
	must(t, err)
	if got.TeacherID != s.Teacher.ID || got.RegularTeacherID != "" || got.Room != "12" || got.Version != 3 {
		t.Fatalf("restored lesson %+v", got)
	}
	_, err = db.DeleteSubstitution(ctx, "s1", s.Year.ID, x.ID, 1)
	wantError(t, err, ejournal.ENOTFOUND)

	// A cancellation leaves the lesson to lesson generation.
	c := sub(func(x *ejournal.Substitution) { x.TeacherID, x.Cancelled = "", true })
	must(t, db.SaveSubstitution(ctx, c))
	got, err = db.Lesson(ctx, "s1", l.ID)
	must(t, err)
	if got.TeacherID != s.Teacher.ID || got.Version != 3 {
		t.Fatalf("cancelled lesson %+v", got)
	}

	trail, err := db.AuditTrail(ctx, "s1", "substitution", x.ID)
	must(t, err)
	if got := ids(trail, func(a *ejournal.AuditEntry) string { return a.Action }); strings.Join(got, ",") != "create,delete" {
		t.Fatalf("substitution audit trail %v", got)
	}
	trail, err = db.AuditTrail(ctx, "s1", "lesson", l.ID)
	must(t, err)
	if len(trail) != 3 {
		t.Fatalf("lesson audit trail has %d entries, want create and two updates", len(trail))
	}
}
