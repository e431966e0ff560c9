package dynamo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// attendanceSpy is the real client with a count of requests by operation and
// a hook run before each TransactWriteItems.
type attendanceSpy struct {
	dynamo.API
	mu    sync.Mutex
	calls map[string]int
	// beforeTransact, when set, runs (once) before the next TransactWriteItems.
	beforeTransact func()
}

// openAttendanceSpy returns a store on a new table whose client is a attendanceSpy.
func openAttendanceSpy(tb testing.TB) (*dynamo.DB, *attendanceSpy) {
	tb.Helper()
	c := dynamotest.Client(tb)
	api := &attendanceSpy{API: c, calls: map[string]int{}}
	return dynamo.New(api, dynamotest.NewTable(tb, c)), api
}

func (c *attendanceSpy) count(op string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[op]++
}

// take returns the counts since the last take and resets them.
func (c *attendanceSpy) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.calls
	c.calls = map[string]int{}
	return out
}

func (c *attendanceSpy) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.count("GetItem")
	return c.API.GetItem(ctx, in, opts...)
}

func (c *attendanceSpy) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.count("Query")
	return c.API.Query(ctx, in, opts...)
}

func (c *attendanceSpy) PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	c.count("PutItem")
	return c.API.PutItem(ctx, in, opts...)
}

func (c *attendanceSpy) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	c.count("BatchWriteItem")
	return c.API.BatchWriteItem(ctx, in, opts...)
}

func (c *attendanceSpy) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.count("TransactWriteItems")
	c.mu.Lock()
	hook := c.beforeTransact
	c.beforeTransact = nil
	c.mu.Unlock()
	if hook != nil {
		hook()
	}
	return c.API.TransactWriteItems(ctx, in, opts...)
}

// attLesson is a lesson of class c1, subject math, on date; the attendance
// store needs only the lesson's fields, not its item.
func attLesson(id, subject string, date ejournal.Date) *ejournal.Lesson {
	return &ejournal.Lesson{ID: id, SchoolID: "s", YearID: "y", Date: date, ClassID: "c1", SubjectID: subject, TeacherID: "t", Period: 2, Source: ejournal.ManualLesson}
}

// attCodes returns records of students st01.. with codes.
func attCodes(codes ...ejournal.AttendanceCode) []ejournal.AttendanceRecord {
	out := make([]ejournal.AttendanceRecord, len(codes))
	for i, c := range codes {
		out[i] = ejournal.AttendanceRecord{StudentID: fmt.Sprintf("st%02d", i+1), Code: c}
	}
	return out
}

// repeatCode returns n copies of c.
func repeatCode(c ejournal.AttendanceCode, n int) []ejournal.AttendanceCode {
	return slices.Repeat([]ejournal.AttendanceCode{c}, n)
}

func storedCodes(t *testing.T, db *dynamo.DB, l *ejournal.Lesson) map[string]ejournal.AttendanceCode {
	t.Helper()
	records, err := db.LessonAttendance(t.Context(), l)
	must(t, err)
	out := map[string]ejournal.AttendanceCode{}
	for _, r := range records {
		out[r.StudentID] = r.Code
	}
	return out
}

func teacherCtx(t *testing.T) context.Context {
	return ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "t", SchoolID: "s"})
}

func TestSetLessonAttendanceIsIdempotent(t *testing.T) {
	t.Parallel()
	db, api := openAttendanceSpy(t)
	ctx := teacherCtx(t)
	l := attLesson("l1", "math", "2025-09-02")
	codes := append(repeatCode(ejournal.Present, 26), ejournal.Absent, ejournal.Ill, ejournal.Excused, ejournal.Late)
	for i, want := range []struct {
		changed int
		calls   map[string]int
	}{
		{30, map[string]int{"Query": 1, "TransactWriteItems": 1}},
		{0, map[string]int{"Query": 1}},
	} {
		records, changed, err := db.SetLessonAttendance(ctx, l, attCodes(codes...))
		must(t, err)
		if calls := api.take(); changed != want.changed || len(records) != 30 || !maps.Equal(calls, want.calls) {
			t.Fatalf("request %d: changed %d, %d records, requests %v; want %d, 30, %v", i+1, changed, len(records), calls, want.changed, want.calls)
		}
	}
	got := storedCodes(t, db, l)
	if len(got) != 30 || got["st27"] != ejournal.Absent || got["st30"] != ejournal.Late || got["st01"] != ejournal.Present {
		t.Fatalf("stored %v", got)
	}
	actions, _, _ := trail(t, db, "s", "attendance", "l1_st27")
	if !slices.Equal(actions, []string{"create"}) {
		t.Fatalf("audit of st27 = %v, want one create", actions)
	}
}

func TestSetLessonAttendanceWritesOnlyChanges(t *testing.T) {
	t.Parallel()
	db, api := openAttendanceSpy(t)
	ctx := teacherCtx(t)
	l := attLesson("l1", "math", "2025-09-02")
	_, _, err := db.SetLessonAttendance(ctx, l, attCodes(repeatCode(ejournal.Present, 5)...))
	must(t, err)
	api.take()
	records, changed, err := db.SetLessonAttendance(ctx, l, attCodes(ejournal.Present, ejournal.Absent, ejournal.Present, ejournal.Late, ejournal.Present))
	must(t, err)
	if calls := api.take(); changed != 2 || calls["TransactWriteItems"] != 1 {
		t.Fatalf("changed %d with %v, want 2 in one transaction", changed, calls)
	}
	if records[1].Code != ejournal.Absent || records[1].Version != 2 || records[0].Version != 1 {
		t.Fatalf("records %+v %+v", records[0], records[1])
	}
	for id, want := range map[string][]string{"l1_st01": {"create"}, "l1_st02": {"create", "update"}, "l1_st04": {"create", "update"}} {
		actions, old, new := trail(t, db, "s", "attendance", id)
		if !slices.Equal(actions, want) {
			t.Errorf("audit of %s = %v, want %v", id, actions, want)
		}
		if len(want) == 2 && (old["code"] != "" || new["code"] == "" || new["version"] != 2.0) {
			t.Errorf("audit of %s: old %v, new %v", id, old, new)
		}
	}
}

func TestSetLessonAttendanceSplitsLargeTransactions(t *testing.T) {
	t.Parallel()
	db, api := openAttendanceSpy(t)
	l := attLesson("l1", "math", "2025-09-02")
	_, changed, err := db.SetLessonAttendance(teacherCtx(t), l, attCodes(repeatCode(ejournal.Ill, 51)...))
	must(t, err)
	if calls := api.take(); changed != 51 || calls["TransactWriteItems"] != 2 {
		t.Fatalf("changed %d with %v, want 51 in two transactions", changed, calls)
	}
	if got := storedCodes(t, db, l); len(got) != 51 {
		t.Fatalf("stored %d records", len(got))
	}
	actions, _, _ := trail(t, db, "s", "attendance", "l1_st51")
	if !slices.Equal(actions, []string{"create"}) {
		t.Fatalf("audit of the 51st = %v", actions)
	}
}

func TestSetLessonAttendanceRefusesBadRecords(t *testing.T) {
	t.Parallel()
	db, api := openAttendanceSpy(t)
	l := attLesson("l1", "math", "2025-09-02")
	records := attCodes(ejournal.Present, "x", ejournal.Absent)
	records[2].StudentID = "st01"
	_, _, err := db.SetLessonAttendance(teacherCtx(t), l, records)
	wantError(t, err, ejournal.EINVALID, "records[1].code", "records[2].student_id")
	if calls := api.take(); len(calls) != 0 {
		t.Fatalf("requests %v, want none", calls)
	}
	if got := storedCodes(t, db, l); len(got) != 0 {
		t.Fatalf("stored %v", got)
	}
}

func TestSetLessonAttendanceConcurrentChangeConflicts(t *testing.T) {
	t.Parallel()
	db, api := openAttendanceSpy(t)
	ctx := teacherCtx(t)
	l := attLesson("l1", "math", "2025-09-02")
	_, _, err := db.SetLessonAttendance(ctx, l, attCodes(ejournal.Present, ejournal.Present))
	must(t, err)
	other := dynamo.New(api.API, db.Table())
	api.beforeTransact = func() {
		_, _, err := other.SetLessonAttendance(ctx, l, attCodes(ejournal.Ill))
		must(t, err)
	}
	_, _, err = db.SetLessonAttendance(ctx, l, attCodes(ejournal.Absent, ejournal.Late))
	wantError(t, err, ejournal.ECONFLICT)
	if got := storedCodes(t, db, l); got["st01"] != ejournal.Ill || got["st02"] != ejournal.Present {
		t.Fatalf("stored %v: want the other write only", got)
	}
}

func TestJustifyAttendance(t *testing.T) {
	t.Parallel()
	db, api := openAttendanceSpy(t)
	l := attLesson("l1", "math", "2025-09-02")
	_, _, err := db.SetLessonAttendance(teacherCtx(t), l, attCodes(ejournal.Absent, ejournal.Ill, ejournal.Present, ejournal.Late))
	must(t, err)
	ct := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "ct", SchoolID: "s", FullName: "Наумова Ольга Петровна"})
	ill := ejournal.Justification{Code: ejournal.Ill, Reason: "ОРВИ", Document: "справка из поликлиники"}

	_, err = db.Justify(ct, l, "st03", ill, 0)
	wantError(t, err, ejournal.EINVALID, "code")
	_, err = db.Justify(ct, l, "st04", ill, 0)
	wantError(t, err, ejournal.EINVALID, "code")
	_, err = db.Justify(ct, l, "st01", ejournal.Justification{Code: ejournal.Ill, Reason: " "}, 0)
	wantError(t, err, ejournal.EINVALID, "reason")
	_, err = db.Justify(ct, l, "st01", ejournal.Justification{Code: ejournal.Absent, Reason: "ОРВИ"}, 0)
	wantError(t, err, ejournal.EINVALID, "code")
	_, err = db.Justify(ct, l, "st09", ill, 0)
	wantError(t, err, ejournal.ENOTFOUND)
	_, err = db.Justify(ct, l, "st01", ill, 7)
	wantError(t, err, ejournal.ECONFLICT)
	api.take()

	// н becomes б with the reason and the document, audited.
	rec, err := db.Justify(ct, l, "st01", ill, 1)
	must(t, err)
	if rec.Code != ejournal.Ill || rec.Reason != "ОРВИ" || rec.Document != "справка из поликлиники" || rec.JustifiedBy != "ct" ||
		rec.JustifiedByName != "Наумова Ольга Петровна" || rec.JustifiedAt.IsZero() || rec.Version != 2 {
		t.Fatalf("justified %+v", rec)
	}
	if calls := api.take(); calls["GetItem"] != 2 || calls["TransactWriteItems"] != 1 || len(calls) != 2 {
		t.Errorf("justifying took %v, want 2 GetItem + 1 TransactWriteItems", calls)
	}
	entries, err := db.AuditTrail(t.Context(), "s", "attendance", "l1_st01")
	must(t, err)
	last := entries[len(entries)-1]
	var old, new map[string]any
	must(t, json.Unmarshal(last.Old, &old))
	must(t, json.Unmarshal(last.New, &new))
	if len(entries) != 2 || last.Action != "update" || last.ActorID != "ct" || last.Reason != "ОРВИ" || last.At.IsZero() ||
		old["code"] != "н" || new["code"] != "б" || new["document"] != "справка из поликлиники" || new["justified_by"] != "ct" {
		t.Fatalf("audit %d entries, last %+v old %v new %v", len(entries), last, old, new)
	}

	// The same justification again (a resent request) writes nothing, even
	// with the version it was sent with.
	api.take()
	again, err := db.Justify(ct, l, "st01", ill, 1)
	must(t, err)
	if calls := api.take(); again.Version != 2 || calls["GetItem"] != 1 || len(calls) != 1 {
		t.Errorf("the same justification again: version %d, requests %v; want 2 and one GetItem", again.Version, calls)
	}
	// Another one on a stale version is refused; on the current one it
	// turns б into у.
	_, err = db.Justify(ct, l, "st01", ejournal.Justification{Code: ejournal.Excused, Reason: "заявление"}, 1)
	wantError(t, err, ejournal.ECONFLICT)
	rec, err = db.Justify(ct, l, "st01", ejournal.Justification{Code: ejournal.Excused, Reason: "заявление"}, 2)
	must(t, err)
	if rec.Code != ejournal.Excused || rec.Document != "" || rec.Version != 3 {
		t.Fatalf("justified again %+v", rec)
	}
	// The teacher's б of st02 gets its reason.
	rec, err = db.Justify(ct, l, "st02", ejournal.Justification{Code: ejournal.Ill, Reason: "грипп"}, 0)
	must(t, err)
	if rec.Code != ejournal.Ill || rec.Reason != "грипп" || rec.Version != 2 {
		t.Fatalf("justified б %+v", rec)
	}
	if entries, err = db.AuditTrail(t.Context(), "s", "attendance", "l1_st01"); err != nil || len(entries) != 3 {
		t.Fatalf("audit of st01: %d entries (%v), want 3", len(entries), err)
	}
	// The teacher sending у for the excused record changes nothing.
	_, changed, err := db.SetLessonAttendance(teacherCtx(t), l, attCodes(ejournal.Excused))
	must(t, err)
	if changed != 0 {
		t.Fatalf("setting у on an excused record changed %d", changed)
	}
}

func TestClassAbsences(t *testing.T) {
	t.Parallel()
	db, api := openAttendanceSpy(t)
	ctx := teacherCtx(t)
	rus := attLesson("l2", "rus", "2025-09-01")
	rus.Period = 4
	other := attLesson("l5", "math", "2025-09-02")
	other.ClassID = "c2"
	for _, s := range []struct {
		l     *ejournal.Lesson
		codes []ejournal.AttendanceCode
	}{
		{attLesson("l1", "math", "2025-09-01"), []ejournal.AttendanceCode{ejournal.Present, ejournal.Absent, ejournal.Late}},
		{rus, []ejournal.AttendanceCode{ejournal.Ill, ejournal.Present, ejournal.Excused}},
		{attLesson("l3", "math", "2025-09-02"), []ejournal.AttendanceCode{ejournal.Present, ejournal.Present, ejournal.Absent}},
		{attLesson("l4", "rus", "2025-09-03"), []ejournal.AttendanceCode{ejournal.Absent, ejournal.Present, ejournal.Present}},
		{other, []ejournal.AttendanceCode{ejournal.Absent}},
	} {
		_, _, err := db.SetLessonAttendance(ctx, s.l, attCodes(s.codes...))
		must(t, err)
	}
	ct := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "ct", SchoolID: "s", FullName: "Наумова Ольга Петровна"})
	_, err := db.Justify(ct, attLesson("l1", "math", "2025-09-01"), "st02", ejournal.Justification{Code: ejournal.Ill, Reason: "ОРВИ", Document: "справка"}, 0)
	must(t, err)
	api.take()

	got, err := db.ClassAbsences(t.Context(), "s", "c1", "2025-09-01", "2025-09-02")
	must(t, err)
	if calls := api.take(); calls["Query"] != 1 || len(calls) != 1 {
		t.Errorf("absences took %v, want one Query", calls)
	}
	var rows []string
	for _, a := range got {
		rows = append(rows, fmt.Sprintf("%s %s %d %s %s %s %s %s", a.Date, a.LessonID, a.Period, a.SubjectID, a.StudentID, a.Code, a.Reason, a.JustifiedByName))
	}
	want := []string{
		"2025-09-01 l1 2 math st02 б ОРВИ Наумова Ольга Петровна",
		"2025-09-01 l2 4 rus st01 б  ",
		"2025-09-01 l2 4 rus st03 у  ",
		"2025-09-02 l3 2 math st03 н  ",
	}
	if !slices.Equal(rows, want) {
		t.Errorf("absences:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if got[0].Document != "справка" || got[0].Version != 2 || got[0].ClassID != "c1" {
		t.Errorf("the justified absence: %+v", got[0])
	}
	if none, err := db.ClassAbsences(t.Context(), "s", "c1", "2025-09-04", "2025-09-30"); err != nil || len(none) != 0 {
		t.Errorf("absences of a period without lessons: %v, %v", none, err)
	}
}

func TestAttendanceTotalsForStudentAndClass(t *testing.T) {
	t.Parallel()
	db, api := openAttendanceSpy(t)
	ctx := teacherCtx(t)
	// Three students, four lessons of two subjects over three days, and one
	// lesson of another class that must not count.
	sets := []struct {
		l     *ejournal.Lesson
		codes []ejournal.AttendanceCode
	}{
		{attLesson("l1", "math", "2025-09-01"), []ejournal.AttendanceCode{ejournal.Present, ejournal.Absent, ejournal.Late}},
		{attLesson("l2", "rus", "2025-09-01"), []ejournal.AttendanceCode{ejournal.Ill, ejournal.Absent, ejournal.Present}},
		{attLesson("l3", "math", "2025-09-02"), []ejournal.AttendanceCode{ejournal.Ill, ejournal.Excused, ejournal.Present}},
		{attLesson("l4", "rus", "2025-09-03"), []ejournal.AttendanceCode{ejournal.Present, ejournal.Present, ejournal.Absent}},
	}
	other := attLesson("l5", "math", "2025-09-02")
	other.ClassID = "c2"
	sets = append(sets, struct {
		l     *ejournal.Lesson
		codes []ejournal.AttendanceCode
	}{other, []ejournal.AttendanceCode{ejournal.Absent}})
	for _, s := range sets {
		_, _, err := db.SetLessonAttendance(ctx, s.l, attCodes(s.codes...))
		must(t, err)
	}
	api.take()
	for _, tc := range []struct {
		student  string
		from, to ejournal.Date
		want     ejournal.AttendanceTotals
	}{
		// st01: present, ill | ill | present, and absent at c2's lesson → 5 lessons.
		{"st01", "2025-09-01", "2025-09-03", ejournal.AttendanceTotals{Lessons: 5, Present: 2, Missed: 3, Ill: 2, Unexcused: 1, Percent: 4000}},
		{"st01", "2025-09-01", "2025-09-01", ejournal.AttendanceTotals{Lessons: 2, Present: 1, Missed: 1, Ill: 1, Percent: 5000}},
		{"st02", "2025-09-01", "2025-09-02", ejournal.AttendanceTotals{Lessons: 3, Missed: 3, Excused: 1, Unexcused: 2}},
		{"st03", "2025-09-01", "2025-09-03", ejournal.AttendanceTotals{Lessons: 4, Present: 2, Late: 1, Missed: 1, Unexcused: 1, Percent: 7500}},
		{"st03", "2025-09-04", "2025-09-30", ejournal.AttendanceTotals{}},
	} {
		records, err := db.StudentAttendance(t.Context(), "s", tc.student, tc.from, tc.to)
		must(t, err)
		if got := ejournal.TotalAttendance(records, tc.from, tc.to); got != tc.want {
			t.Errorf("%s %s..%s = %+v, want %+v", tc.student, tc.from, tc.to, got, tc.want)
		}
	}
	if calls := api.take(); calls["Query"] != 5 || len(calls) != 1 {
		t.Errorf("student totals took %v, want one Query each", calls)
	}
	records, err := db.ClassAttendance(t.Context(), "s", "c1", "2025-09-01", "2025-09-02")
	must(t, err)
	if calls := api.take(); calls["Query"] != 1 || len(calls) != 1 {
		t.Errorf("class totals took %v, want one Query", calls)
	}
	// l1..l3, three students each: present 1+0+2, late 1, ill 1+1, excused 1, absent 2.
	want := ejournal.AttendanceTotals{Lessons: 9, Present: 3, Late: 1, Missed: 5, Ill: 2, Excused: 1, Unexcused: 2, Percent: 4444}
	if got := ejournal.TotalAttendance(records, "2025-09-01", "2025-09-02"); got != want {
		t.Errorf("class c1 = %+v, want %+v", got, want)
	}
	if byStudent := ejournal.AttendanceByStudent(records, "2025-09-01", "2025-09-02"); byStudent["st01"].Lessons != 3 || byStudent["st03"].Late != 1 {
		t.Errorf("class c1 by student = %+v", byStudent)
	}
}
