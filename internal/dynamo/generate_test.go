package dynamo_test

import (
	"context"
	"slices"
	"testing"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// genSchool is mustSchool's school with a second teacher (a substitute), an
// autumn holiday in its calendar and two timetable entries of the subject:
// Mondays, period 1, and Wednesdays, period 2.
type genSchool struct {
	*school
	Teacher2 *ejournal.Person
	Mon, Wed *ejournal.TimetableEntry
	ctx      context.Context
	db       *dynamo.DB
	sid, yid string
}

func mustGenSchool(t *testing.T, db *dynamo.DB, id string) *genSchool {
	t.Helper()
	s := &genSchool{school: mustSchool(t, db, id), db: db, sid: id}
	s.yid = s.Year.ID
	s.ctx = ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: s.Teacher.ID, SchoolID: id})
	s.Teacher2 = newPerson(id, ejournal.Staff, "Заменова", "")
	must(t, db.CreatePerson(s.ctx, s.Teacher2))
	cal := ejournal.DefaultCalendar(id, s.yid)
	cal.Holidays = []ejournal.Holiday{{Start: "2025-11-03", End: "2025-11-09", Name: "Осенние каникулы"}}
	must(t, db.SaveCalendar(s.ctx, cal))
	s.Mon = s.entry(t, 1, 1, s.Teacher.ID)
	s.Wed = s.entry(t, 3, 2, s.Teacher.ID)
	return s
}

func (s *genSchool) entry(t *testing.T, weekday, period int, teacher string) *ejournal.TimetableEntry {
	t.Helper()
	e := &ejournal.TimetableEntry{SchoolID: s.sid, YearID: s.yid, ClassID: s.Class.ID, SubjectID: s.Subject.ID, TeacherID: teacher,
		Room: "12", Weekday: weekday, Period: period, From: s.Year.Start}
	must(t, s.db.SaveTimetableEntry(s.ctx, e))
	return e
}

// generate runs a generation of the class's lessons and checks its counts.
func (s *genSchool) generate(t *testing.T, from, to ejournal.Date, want ejournal.GenerateResult) {
	t.Helper()
	got, err := s.db.GenerateLessons(s.ctx, s.sid, s.yid, s.Class.ID, from, to)
	must(t, err)
	if *got != want {
		t.Fatalf("generate %s..%s: %+v, want %+v", from, to, *got, want)
	}
}

func (s *genSchool) lessons(t *testing.T, from, to ejournal.Date) []string {
	t.Helper()
	ls, err := s.db.ClassLessons(s.ctx, s.sid, s.Class.ID, from, to)
	must(t, err)
	return ids(ls, func(l *ejournal.Lesson) string { return l.ID })
}

func TestGenerateLessons(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	s := mustGenSchool(t, db, "gen")
	sub := &ejournal.Substitution{SchoolID: s.sid, YearID: s.yid, EntryID: s.Wed.ID, Date: "2025-10-01", TeacherID: s.Teacher2.ID, Reason: "Больничный"}
	must(t, db.SaveSubstitution(s.ctx, sub))

	// Seven weeks, one of them the autumn holiday: six weeks of two lessons.
	s.generate(t, "2025-09-29", "2025-11-16", ejournal.GenerateResult{Created: 12})
	if got := s.lessons(t, "2025-11-03", "2025-11-09"); len(got) != 0 {
		t.Fatalf("lessons in the holiday: %v", got)
	}
	wed := ejournal.GeneratedLessonID(s.Wed.ID, "2025-10-01")
	l, err := db.Lesson(s.ctx, s.sid, wed)
	must(t, err)
	if l.TeacherID != s.Teacher2.ID || l.RegularTeacherID != s.Teacher.ID || l.Source != ejournal.TimetableLesson || l.TimetableEntryID != s.Wed.ID || l.Room != "12" || l.Period != 2 {
		t.Fatalf("substituted lesson %+v", l)
	}
	today, err := db.TeacherLessons(s.ctx, s.sid, s.Teacher2.ID, "2025-10-01", "2025-10-01")
	must(t, err)
	if got := ids(today, func(l *ejournal.Lesson) string { return l.ID }); !slices.Equal(got, []string{wed}) {
		t.Fatalf("the substitute's lessons that day: %v", got)
	}

	// Again: nothing changes, and only the first run is in the audit trail.
	s.generate(t, "2025-09-29", "2025-11-16", ejournal.GenerateResult{Unchanged: 12})
	trail, err := db.AuditTrail(s.ctx, s.sid, "lesson_generation", s.yid)
	must(t, err)
	if len(trail) != 1 || trail[0].Action != "generate" || trail[0].ActorID != s.Teacher.ID {
		t.Fatalf("audit trail %+v, want one generation", trail)
	}

	// A substitution recorded after the lessons were made: the generated
	// lesson passes to the substitute, and generation agrees.
	mon := ejournal.GeneratedLessonID(s.Mon.ID, "2025-10-06")
	must(t, db.SaveSubstitution(s.ctx, &ejournal.Substitution{SchoolID: s.sid, YearID: s.yid, EntryID: s.Mon.ID, Date: "2025-10-06", TeacherID: s.Teacher2.ID}))
	s.generate(t, "2025-09-29", "2025-11-16", ejournal.GenerateResult{Unchanged: 12})
	// A cancelled lesson is deleted while it is empty.
	must(t, db.SaveSubstitution(s.ctx, &ejournal.Substitution{SchoolID: s.sid, YearID: s.yid, EntryID: s.Mon.ID, Date: "2025-10-13", Cancelled: true}))
	s.generate(t, "2025-09-29", "2025-11-16", ejournal.GenerateResult{Deleted: 1, Unchanged: 11})
	if _, err := db.Lesson(s.ctx, s.sid, ejournal.GeneratedLessonID(s.Mon.ID, "2025-10-13")); ejournal.ErrorCode(err) != ejournal.ENOTFOUND {
		t.Fatalf("cancelled lesson: %v", err)
	}
	if l, err = db.Lesson(s.ctx, s.sid, mon); err != nil || l.TeacherID != s.Teacher2.ID {
		t.Fatalf("lesson given to the substitute: %+v, %v", l, err)
	}
}

func TestGenerateAfterTimetableChange(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	s := mustGenSchool(t, db, "genchange")
	s.generate(t, "2025-10-13", "2025-10-31", ejournal.GenerateResult{Created: 6})

	// A mark on the Wednesday lesson of 22 October, then the Wednesday
	// lesson moves to period 4 from 20 October.
	marked := ejournal.GeneratedLessonID(s.Wed.ID, "2025-10-22")
	l, err := db.Lesson(s.ctx, s.sid, marked)
	must(t, err)
	must(t, db.CreateMarks(s.ctx, l, []*ejournal.Mark{{StudentID: s.Student.ID, Value: 5}}))
	next := *s.Wed
	next.Period = 4
	next.From = "2025-10-20"
	_, err = db.ChangeTimetableEntry(s.ctx, s.sid, s.yid, s.Wed.ID, s.Wed.Version, &next)
	must(t, err)

	// 15 October stays as it was; 22 October is kept for its mark; 29
	// October moves. The new lessons of 22 and 29 October take period 4.
	s.generate(t, "2025-10-13", "2025-10-31", ejournal.GenerateResult{Created: 2, Deleted: 1, Unchanged: 4, Kept: 1})
	want := []string{
		ejournal.GeneratedLessonID(s.Mon.ID, "2025-10-13"), ejournal.GeneratedLessonID(s.Wed.ID, "2025-10-15"),
		ejournal.GeneratedLessonID(s.Mon.ID, "2025-10-20"), marked, ejournal.GeneratedLessonID(next.ID, "2025-10-22"),
		ejournal.GeneratedLessonID(s.Mon.ID, "2025-10-27"), ejournal.GeneratedLessonID(next.ID, "2025-10-29"),
	}
	if got := s.lessons(t, "2025-10-13", "2025-10-31"); !slices.Equal(got, want) {
		t.Fatalf("lessons\n%v, want\n%v", got, want)
	}
	s.generate(t, "2025-10-13", "2025-10-31", ejournal.GenerateResult{Unchanged: 6, Kept: 1})
}

func TestGenerateRespectsHandEdits(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	s := mustGenSchool(t, db, "genhand")
	s.generate(t, "2025-10-06", "2025-10-12", ejournal.GenerateResult{Created: 2})

	// The Monday lesson is deleted by hand, the Wednesday one moved to
	// Thursday, period 5, and a hand-made lesson takes Monday 13 October,
	// period 1.
	mon, err := db.Lesson(s.ctx, s.sid, ejournal.GeneratedLessonID(s.Mon.ID, "2025-10-06"))
	must(t, err)
	must(t, db.DeleteLesson(s.ctx, s.sid, mon.ID, mon.Version))
	wed, err := db.Lesson(s.ctx, s.sid, ejournal.GeneratedLessonID(s.Wed.ID, "2025-10-08"))
	must(t, err)
	wed.Date, wed.Period = "2025-10-16", 5
	must(t, db.UpdateLesson(s.ctx, wed))
	hand := &ejournal.Lesson{SchoolID: s.sid, Date: "2025-10-13", ClassID: s.Class.ID, SubjectID: s.Subject.ID, TeacherID: s.Teacher.ID, Period: 1, Topic: "Повторение"}
	must(t, db.CreateLesson(s.ctx, hand))

	// The deleted lesson does not come back, the moved one is not made
	// again (it lies outside the dates now), the hand-made one keeps its
	// period.
	s.generate(t, "2025-10-06", "2025-10-15", ejournal.GenerateResult{Created: 1, Skipped: 3})
	want := []string{hand.ID, ejournal.GeneratedLessonID(s.Wed.ID, "2025-10-15")}
	if got := s.lessons(t, "2025-10-06", "2025-10-15"); !slices.Equal(got, want) {
		t.Fatalf("lessons %v, want %v", got, want)
	}
	// With the moved lesson's new date in the range it is simply there.
	s.generate(t, "2025-10-06", "2025-10-17", ejournal.GenerateResult{Unchanged: 2, Skipped: 2})
	if l, err := db.Lesson(s.ctx, s.sid, wed.ID); err != nil || l.Date != "2025-10-16" || l.Period != 5 {
		t.Fatalf("moved lesson %+v, %v", l, err)
	}
}

func TestGenerateRefusesBadInput(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	s := mustGenSchool(t, db, "genbad")
	for _, tc := range []struct {
		name, year, class string
		from, to          ejournal.Date
		code              string
		fields            []string
	}{
		{"before the year", s.yid, "", "2025-08-31", "2025-09-05", ejournal.EINVALID, []string{"from"}},
		{"after the year", s.yid, "", "2026-08-01", "2026-09-01", ejournal.EINVALID, []string{"to"}},
		{"reversed", s.yid, "", "2025-10-10", "2025-10-01", ejournal.EINVALID, []string{"to"}},
		{"not a date", s.yid, "", "2025-10-32", "2025-11-01", ejournal.EINVALID, []string{"from"}},
		{"another class", s.yid, "nope", "2025-10-01", "2025-10-10", ejournal.EINVALID, []string{"class_id"}},
		{"no such year", "nope", "", "2025-10-01", "2025-10-10", ejournal.ENOTFOUND, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.GenerateLessons(s.ctx, s.sid, tc.year, tc.class, tc.from, tc.to)
			wantError(t, err, tc.code, tc.fields...)
		})
	}
	if got := s.lessons(t, s.Year.Start, s.Year.End); len(got) != 0 {
		t.Fatalf("lessons written: %v", got)
	}
}

func TestSaveTimetableEntries(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	s := mustGenSchool(t, db, "genbulk")
	class2 := &ejournal.Class{SchoolID: s.sid, YearID: s.yid, Grade: 6, Letter: "Б"}
	must(t, db.CreateClass(s.ctx, class2))
	var entries []*ejournal.TimetableEntry
	for _, c := range []struct{ class, teacher string }{{s.Class.ID, s.Teacher.ID}, {class2.ID, s.Teacher2.ID}} {
		for day := 1; day <= 5; day++ {
			for period := 3; period <= 12; period++ {
				entries = append(entries, &ejournal.TimetableEntry{ClassID: c.class, SubjectID: s.Subject.ID, TeacherID: c.teacher, Weekday: day, Period: period, From: s.Year.Start})
			}
		}
	}
	clash := &ejournal.TimetableEntry{ClassID: class2.ID, SubjectID: s.Subject.ID, TeacherID: s.Teacher.ID, Weekday: 1, Period: 1, From: s.Year.Start}
	// The teacher has Mondays, period 1, in the first class (mustGenSchool).
	wantError(t, db.SaveTimetableEntries(s.ctx, s.sid, s.yid, append(slices.Clone(entries), clash)), ejournal.ECONFLICT, "teacher_id")
	got, err := db.TimetableEntries(s.ctx, s.sid, s.yid)
	must(t, err)
	if len(got) != 2 {
		t.Fatalf("%d entries after a refused load, want the 2 there before", len(got))
	}
	must(t, db.SaveTimetableEntries(s.ctx, s.sid, s.yid, entries))
	got, err = db.TimetableEntries(s.ctx, s.sid, s.yid)
	must(t, err)
	if len(got) != 2+len(entries) {
		t.Fatalf("%d entries, want %d", len(got), 2+len(entries))
	}
	// The loaded entries are checked like any: one more clashes.
	wantError(t, db.SaveTimetableEntry(s.ctx, &ejournal.TimetableEntry{SchoolID: s.sid, YearID: s.yid, ClassID: class2.ID, SubjectID: s.Subject.ID, TeacherID: s.Teacher2.ID, Weekday: 2, Period: 5, From: s.Year.Start}), ejournal.ECONFLICT, "period")
	trail, err := db.AuditTrail(s.ctx, s.sid, "timetable", entries[57].ID)
	must(t, err)
	if len(trail) != 1 || trail[0].Action != "create" {
		t.Fatalf("audit trail of a loaded entry: %+v", trail)
	}
}

func TestGenerateAssignsPlanTopics(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	s := mustGenSchool(t, db, "genplan")
	// The first Monday's lesson exists with the first topic already.
	s.generate(t, "2025-10-06", "2025-10-06", ejournal.GenerateResult{Created: 1})
	must(t, db.SavePlan(s.ctx, &ejournal.Plan{SchoolID: s.sid, YearID: s.yid, ClassID: s.Class.ID, SubjectID: s.Subject.ID, Topics: []ejournal.PlanTopic{
		{ID: "t1", Title: "Дроби", Hours: 1}, {ID: "t2", Title: "Сложение дробей", Hours: 2}, {ID: "t3", Title: "Умножение дробей", Hours: 1},
	}}))
	first, err := db.Lesson(s.ctx, s.sid, ejournal.GeneratedLessonID(s.Mon.ID, "2025-10-06"))
	must(t, err)
	first.Topic, first.PlanTopicID = "Дроби", "t1"
	must(t, db.UpdateLesson(s.ctx, first))

	s.generate(t, "2025-10-06", "2025-10-19", ejournal.GenerateResult{Created: 3, Unchanged: 1})
	ls, err := db.ClassLessons(s.ctx, s.sid, s.Class.ID, "2025-10-06", "2025-10-19")
	must(t, err)
	got := ids(ls, func(l *ejournal.Lesson) string { return l.PlanTopicID + " " + l.Topic })
	want := []string{"t1 Дроби", "t2 Сложение дробей", "t2 Сложение дробей", "t3 Умножение дробей"}
	if !slices.Equal(got, want) {
		t.Fatalf("topics %q, want %q", got, want)
	}
}
