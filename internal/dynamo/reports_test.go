package dynamo_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// reportStore is a school with classes 5a and 5b (mathematics in both) and,
// in 5a, p1; p2, transferred to 5b on 2025-11-10; p3, who leaves on
// 2025-11-20; and p4, enrolled on 2025-11-01 — all after the first term
// (2025-09-01 … 2025-10-26). A lesson of 5a on 2025-10-01 has a mark of p1
// and attendance; p1 and p3 have term marks (p3's a 2) for t1.
func reportStore(t *testing.T) (*dynamo.DB, *recordingAPI) {
	t.Helper()
	c := dynamotest.Client(t)
	rec := &recordingAPI{API: c}
	db := dynamo.New(rec, dynamotest.NewTable(t, c))
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "t1", SchoolID: "s1"})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.CreateSchool(ctx, &ejournal.School{ID: "s1", Name: "Школа", TimeZone: "Europe/Moscow"}))
	must(db.CreateYear(ctx, &ejournal.SchoolYear{ID: "y", SchoolID: "s1", Name: "2025/2026", Start: "2025-09-01", End: "2026-08-31", TermKind: ejournal.Halves,
		Terms: []ejournal.Term{{ID: "t1", Name: "1", Start: "2025-09-01", End: "2025-10-26"}, {ID: "t2", Name: "2", Start: "2025-11-05", End: "2025-12-28"}}}))
	must(db.CreateSubject(ctx, &ejournal.Subject{ID: "math", SchoolID: "s1", Name: "Математика", ShortName: "Матем"}))
	must(db.CreatePerson(ctx, &ejournal.Person{ID: "t1", SchoolID: "s1", Kind: ejournal.Staff, LastName: "Учитель", FirstName: "Анна"}))
	for _, id := range []string{"5a", "5b"} {
		must(db.CreateClass(ctx, &ejournal.Class{ID: id, SchoolID: "s1", YearID: "y", Grade: 5, Letter: map[string]string{"5a": "А", "5b": "Б"}[id]}))
		must(db.CreateAssignment(ctx, &ejournal.Assignment{ID: "a-" + id, SchoolID: "s1", YearID: "y", TeacherID: "t1", ClassID: id, SubjectID: "math"}))
	}
	for _, p := range []struct{ id, class string }{{"p1", "5a"}, {"p2", "5a"}, {"p3", "5a"}, {"p4", ""}} {
		must(db.CreatePerson(ctx, &ejournal.Person{ID: p.id, SchoolID: "s1", Kind: ejournal.Student, LastName: "Ученик " + p.id, FirstName: "Иван", ClassID: p.class}))
	}
	l := &ejournal.Lesson{SchoolID: "s1", Date: "2025-10-01", ClassID: "5a", SubjectID: "math", TeacherID: "t1", Period: 1}
	must(db.CreateLesson(ctx, l))
	must(db.CreateMarks(ctx, l, []*ejournal.Mark{{StudentID: "p1", Value: 5}}))
	if _, _, err := db.SetLessonAttendance(ctx, l, []ejournal.AttendanceRecord{{StudentID: "p1"}, {StudentID: "p2", Code: ejournal.Absent}}); err != nil {
		t.Fatal(err)
	}
	for _, tm := range []struct{ id, value string }{{"p1", "5"}, {"p3", "2"}} {
		p, err := db.Person(ctx, "s1", tm.id)
		must(err)
		must(db.SetTermMark(ctx, p, &ejournal.TermMark{SubjectID: "math", Period: "t1", Value: ejournal.TermValue(tm.value)}))
	}
	for _, m := range []*ejournal.Movement{
		{SchoolID: "s1", StudentID: "p4", Kind: ejournal.Enrol, ToClassID: "5a", Date: "2025-11-01", OrderNo: "1"},
		{SchoolID: "s1", StudentID: "p2", Kind: ejournal.Transfer, ToClassID: "5b", Date: "2025-11-10", OrderNo: "2"},
		{SchoolID: "s1", StudentID: "p3", Kind: ejournal.Leave, Date: "2025-11-20", OrderNo: "3"},
	} {
		_, err := db.Move(ctx, m)
		must(err)
	}
	rec.take()
	return db, rec
}

func rosterLine(d *ejournal.ReportData) []string {
	var out []string
	for _, e := range d.Roster {
		out = append(out, e.ClassID+":"+e.StudentID)
	}
	return out
}

// TestReportInputsRosterAtPeriodEnd: the roll of t1 is 5a p1, p2, p3 —
// p2 and p3 moved away and p4 arrived only after the term — whether the
// report reads one class (its collection, then the students who moved out
// by GetItem) or the whole school; with a fixed number of requests.
func TestReportInputsRosterAtPeriodEnd(t *testing.T) {
	db, rec := reportStore(t)
	ctx := context.Background()
	parts := ejournal.ReportParts{TermMarks: true, Marks: true, Lessons: true, Attendance: true}
	class, err := db.ReportInputs(ctx, "s1", "y", "t1", ejournal.ReportFilter{ClassID: "5a"}, parts)
	if err != nil {
		t.Fatal(err)
	}
	// Year, school, settings: 3 GetItems; classes, subjects, movements, the
	// class collection: 4 Queries; p2 and p3: 2 GetItems; the journal's
	// T#, M#, L#: 3 Queries; the class's attendance: 1 Query.
	if n, _ := rec.take(); n != 13 {
		t.Errorf("class report: %d requests, want 13", n)
	}
	if got := rosterLine(class); !slices.Equal(got, []string{"5a:p1", "5a:p2", "5a:p3"}) {
		t.Errorf("class roll %v", got)
	}
	if len(class.TermMarks) != 2 || len(class.Debts) != 1 || class.Debts[0].StudentID != "p3" || len(class.Marks) != 1 || class.Marks[0].SubjectID != "math" ||
		len(class.Lessons) != 1 || len(class.Attendance) != 2 || len(class.Assignments) != 1 {
		t.Errorf("class data: %d term marks, debts %+v, %d marks, %d lessons, %d records, %d assignments",
			len(class.TermMarks), class.Debts, len(class.Marks), len(class.Lessons), len(class.Attendance), len(class.Assignments))
	}

	school, err := db.ReportInputs(ctx, "s1", "y", "t1", ejournal.ReportFilter{}, ejournal.ReportParts{TermMarks: true})
	if err != nil {
		t.Fatal(err)
	}
	// 3 GetItems; classes, subjects, movements, students, assignments: 5
	// Queries; T# of 5a and 5b: 2 Queries.
	if n, _ := rec.take(); n != 10 {
		t.Errorf("school report: %d requests, want 10", n)
	}
	if got := rosterLine(school); !slices.Equal(got, []string{"5a:p1", "5a:p2", "5a:p3"}) {
		t.Errorf("school roll %v", got)
	}
	// In t2 p2 is in 5b, p3 has left (listed with the day), p4 arrived.
	t2, err := db.ReportInputs(ctx, "s1", "y", "t2", ejournal.ReportFilter{Grade: 5}, ejournal.ReportParts{})
	if err != nil {
		t.Fatal(err)
	}
	var left ejournal.Date
	for _, e := range t2.Roster {
		if e.StudentID == "p3" {
			left = e.Left
		}
	}
	if got := rosterLine(t2); !slices.Equal(got, []string{"5a:p1", "5b:p2", "5a:p3", "5a:p4"}) || left != "2025-11-20" {
		t.Errorf("t2 roll %v, p3 left %q", got, left)
	}
	p := ejournal.BuildPerformance(ejournal.PerformanceInput{Scope: class.Scope, Period: "t1", End: class.To, TermMarks: class.TermMarks})
	if p.School.Roll != 3 || p.School.N != 2 || p.School.Failing != 1 {
		t.Errorf("t1 figures %+v", p.School)
	}
	for _, f := range []ejournal.ReportFilter{{ClassID: "nope"}} {
		if _, err := db.ReportInputs(ctx, "s1", "y", "t1", f, parts); ejournal.ErrorCode(err) != ejournal.ENOTFOUND {
			t.Errorf("%+v: %v", f, err)
		}
	}
	if _, err := db.ReportInputs(ctx, "s1", "y", "t9", ejournal.ReportFilter{}, parts); ejournal.ErrorCode(err) != ejournal.EINVALID {
		t.Errorf("unknown term: %v", err)
	}
}

// TestReportJobFile: a job's file is kept in chunks of at most 300 KB and
// read back whole; a stale update is refused; another school does not see it.
func TestReportJobFile(t *testing.T) {
	db := dynamotest.MustOpen(t)
	ctx := t.Context()
	j := &ejournal.ReportJob{SchoolID: "s1", RequestedBy: "p1", Kind: "performance", Format: "xlsx", Lang: "ru"}
	if err := db.CreateReportJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	if j.ID == "" || j.State != ejournal.JobQueued || j.Version != 1 {
		t.Fatalf("job %+v", j)
	}
	data := bytes.Repeat([]byte("отчёт "), 70_000) // 770,000 bytes: 3 chunks
	n, err := db.SaveReportFile(ctx, "s1", j.ID, data)
	if err != nil || n != 3 {
		t.Fatalf("chunks %d, %v", n, err)
	}
	stale := *j
	j.State, j.Chunks = ejournal.JobDone, n
	if err := db.UpdateReportJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	stale.State = ejournal.JobFailed
	if err := db.UpdateReportJob(ctx, &stale); ejournal.ErrorCode(err) != ejournal.ECONFLICT {
		t.Errorf("stale update: %v", err)
	}
	got, err := db.ReportJob(ctx, "s1", j.ID)
	if err != nil || got.State != ejournal.JobDone || got.Chunks != 3 {
		t.Fatalf("job %+v, %v", got, err)
	}
	file, err := db.ReportFile(ctx, got)
	if err != nil || !bytes.Equal(file, data) {
		t.Fatalf("file of %d bytes, %v", len(file), err)
	}
	if _, err := db.ReportJob(ctx, "s2", j.ID); ejournal.ErrorCode(err) != ejournal.ENOTFOUND {
		t.Errorf("another school: %v", err)
	}
	empty := &ejournal.ReportJob{SchoolID: "s1", RequestedBy: "p1", Kind: "movement", Format: "csv"}
	if err := db.CreateReportJob(ctx, empty); err != nil {
		t.Fatal(err)
	}
	if n, err := db.SaveReportFile(ctx, "s1", empty.ID, nil); err != nil || n != 1 {
		t.Errorf("empty file: %d chunks, %v", n, err)
	}
}
