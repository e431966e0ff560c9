package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// cutShort is a store that fails every CreateMarks after the first after,
// as a seed stopped half-way would leave the journal.
type cutShort struct {
	*dynamo.DB
	after int64
	calls atomic.Int64
}

var errCut = errors.New("the seed was cut short")

func (c *cutShort) CreateMarks(ctx context.Context, l *ejournal.Lesson, marks []*ejournal.Mark) error {
	if c.calls.Add(1) > c.after {
		return errCut
	}
	return c.DB.CreateMarks(ctx, l, marks)
}

// TestSeedJournal writes the directory with the students, the timetable
// and the lessons of the second term, then the journal on Monday 30
// November 2026: first cut short, then completed, then once more, which
// writes nothing. What it wrote is what the journal gives, and the demo
// accounts' screens find it: the demo student's marks in several subjects
// and debt, the demo teacher's marks in the demo class.
func TestSeedJournal(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := context.Background()
	writeDirectory(t, db, true)
	now := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC) // 13:00 in the schools' time zone
	if _, _, err := SeedTimetable(ctx, db, now); err != nil {
		t.Fatal(err)
	}

	j := newJournal(demoSchool(t), ejournal.DefaultGradingSettings(SchoolID, YearID), "2026-11-30")
	start := time.Now()
	cut, err := SeedJournal(ctx, &cutShort{DB: db, after: 40}, now)
	if !errors.Is(err, errCut) {
		t.Fatalf("a seed cut short: %v, want %v", err, errCut)
	}
	rest, err := SeedJournal(ctx, db, now)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("journal written in %v: %+v cut short, then %+v", time.Since(start).Round(time.Millisecond), cut, rest)
	if cut.Marks == 0 || rest.Marks == 0 || rest.TermMarks == 0 {
		t.Errorf("wrote %+v, then %+v; want some of it each time", cut, rest)
	}
	if again, err := SeedJournal(ctx, db, now); err != nil || again != (JournalCounts{}) {
		t.Fatalf("seeding the journal again wrote %+v, %v; want nothing", again, err)
	}

	// The store holds what the journal gives, lesson by lesson.
	want := map[string][]string{} // lesson → its marks and attendance
	for _, e := range filled(t, j) {
		want[e.lesson.ID] = entryFacts(e.marks, e.attendance)
	}
	lessonKeys, termKeys := j.scope()
	got := map[string][]string{}
	q2 := TermOf("2026-11-30")
	for _, k := range lessonKeys {
		jd, err := db.ClassJournal(ctx, SchoolID, k.classID, k.subjectID, YearID, q2)
		if err != nil {
			t.Fatal(err)
		}
		marks := map[string][]*ejournal.Mark{}
		for _, m := range jd.Marks {
			marks[m.LessonID] = append(marks[m.LessonID], m)
		}
		attendance := map[string][]ejournal.AttendanceRecord{}
		for _, a := range jd.Attendance {
			attendance[a.LessonID] = append(attendance[a.LessonID], *a)
		}
		for _, l := range jd.Lessons {
			if len(marks[l.ID]) > 0 || len(attendance[l.ID]) > 0 {
				got[l.ID] = entryFacts(marks[l.ID], attendance[l.ID])
			}
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d lessons filled, want %d", len(got), len(want))
	}
	for id, w := range want {
		if !slices.Equal(got[id], w) {
			t.Errorf("lesson %s holds %v, want %v", id, got[id], w)
		}
	}
	terms := 0
	for _, k := range termKeys {
		rows, err := db.TermSheet(ctx, SchoolID, k.classID, k.subjectID, "q1")
		if err != nil {
			t.Fatal(err)
		}
		byStudent := map[string]*ejournal.TermMark{}
		for _, r := range rows {
			byStudent[r.Student.ID] = r.Confirmed
		}
		for _, e := range j.termMarks(k, ejournal.Term{ID: "q1"}) {
			terms++
			if c := byStudent[e.student.ID]; c == nil || c.Value != e.mark.Value || c.ConfirmedBy != e.mark.ConfirmedBy {
				t.Errorf("q1 %s %s of %s: %+v, want %s by %s", k.classID, k.subjectID, e.student.ID, c, e.mark.Value, e.mark.ConfirmedBy)
			}
		}
	}
	if terms == 0 {
		t.Error("no term marks in scope")
	}

	// The parent's and the student's screens: marks in several subjects, the
	// first term's marks and the debt in geography.
	student, teacher := "student-136", TeacherID(20)
	sum, err := db.StudentSummary(ctx, SchoolID, student, YearID, q2)
	if err != nil {
		t.Fatal(err)
	}
	subjects := map[string]bool{}
	for _, m := range sum.Marks {
		subjects[m.SubjectID] = true
		if m.Date >= "2026-11-30" {
			t.Errorf("mark on %s, the seed's day or later", m.Date)
		}
	}
	if len(subjects) < 5 || len(sum.TermMarks) < 10 {
		t.Errorf("%s: marks in %d subjects, %d term marks; want several", student, len(subjects), len(sum.TermMarks))
	}
	if !slices.ContainsFunc(sum.Debts, func(d ejournal.Debt) bool { return d.SubjectID == Geography && d.Period == "q1" && d.Value == "2" }) {
		t.Errorf("%s: debts %+v, want geography in q1", student, sum.Debts)
	}
	// The demo teacher's journal of the demo class: her marks.
	geo, err := db.ClassJournal(ctx, SchoolID, ClassID(5, "А"), Geography, YearID, q2)
	if err != nil {
		t.Fatal(err)
	}
	if len(geo.Marks) == 0 || len(geo.Attendance) == 0 || len(geo.TermMarks) != 0 {
		t.Errorf("5А geography: %d marks, %d attendance records, %d term marks of q2", len(geo.Marks), len(geo.Attendance), len(geo.TermMarks))
	}
	for _, m := range geo.Marks {
		if m.TeacherID != teacher {
			t.Errorf("5А geography: a mark by %s, want %s", m.TeacherID, teacher)
		}
	}
	sheet, err := db.TermSheet(ctx, SchoolID, ClassID(9, "Б"), Geography, "q1")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sheet {
		if r.Confirmed == nil || r.Confirmed.ConfirmedBy != teacher {
			t.Errorf("9Б geography, q1, %s: %+v", r.Student.ID, r.Confirmed)
		}
	}
}

// entryFacts lists a lesson's marks (student, value, type, weight and
// teacher) and attendance (student and code), sorted.
func entryFacts(marks []*ejournal.Mark, attendance []ejournal.AttendanceRecord) []string {
	var out []string
	for _, m := range marks {
		out = append(out, fmt.Sprintf("mark %s %d %s %v %s %s", m.StudentID, m.Value, m.WorkType, m.Weight, m.TeacherID, m.ID))
	}
	for _, a := range attendance {
		out = append(out, fmt.Sprintf("attendance %s %q", a.StudentID, a.Code))
	}
	slices.Sort(out)
	return out
}
