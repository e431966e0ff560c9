package dynamo_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

func newLesson(s *school, date ejournal.Date, period int) *ejournal.Lesson {
	return &ejournal.Lesson{SchoolID: s.ID, Date: date, ClassID: s.Class.ID, SubjectID: s.Subject.ID, TeacherID: s.Teacher.ID, Period: period}
}

func lessonIDs(ls []*ejournal.Lesson) []string {
	return ids(ls, func(l *ejournal.Lesson) string { return l.ID })
}

func TestLessonLifecycle(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "t1", SchoolID: "s1"})
	s := mustSchool(t, db, "s1")

	l := newLesson(s, "2025-09-02", 2)
	l.Topic = "Present Simple"
	must(t, db.CreateLesson(ctx, l))
	if l.ID == "" || l.Version != 1 || l.YearID != s.Year.ID || l.Source != ejournal.ManualLesson {
		t.Fatalf("created lesson = %+v", l)
	}
	got, err := db.Lesson(ctx, "s1", l.ID)
	must(t, err)
	if got.Topic != "Present Simple" || got.Version != 1 {
		t.Fatalf("stored lesson = %+v", got)
	}

	checkStaleVersion(t,
		func() (*ejournal.Lesson, error) { return db.Lesson(ctx, "s1", l.ID) },
		func(v *ejournal.Lesson) error { return db.UpdateLesson(ctx, v) },
		func(v *ejournal.Lesson) *int64 { return &v.Version },
		func(v *ejournal.Lesson, m string) string {
			if m != "" {
				v.Homework = m
			}
			return v.Homework
		})

	wantError(t, db.DeleteLesson(ctx, "s1", l.ID, 1), ejournal.ECONFLICT)
	must(t, db.DeleteLesson(ctx, "s1", l.ID, 2))
	_, err = db.Lesson(ctx, "s1", l.ID)
	wantError(t, err, ejournal.ENOTFOUND)

	trail, err := db.AuditTrail(ctx, "s1", "lesson", l.ID)
	must(t, err)
	var actions []string
	for _, e := range trail {
		actions = append(actions, e.Action)
		if e.ActorID != "t1" {
			t.Errorf("audit %s by %q, want t1", e.Action, e.ActorID)
		}
	}
	if want := []string{"create", "update", "delete"}; len(actions) != 3 || actions[0] != want[0] || actions[1] != want[1] || actions[2] != want[2] {
		t.Fatalf("lesson audit = %v, want %v", actions, want)
	}
}

func TestLessonChecks(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := t.Context()
	s := mustSchool(t, db, "s1")
	other := mustSchool(t, db, "s2")
	must(t, db.CreateLesson(ctx, newLesson(s, "2025-10-01", 1)))
	group := newLesson(s, "2025-10-01", 3)
	group.GroupID = s.Group.ID
	must(t, db.CreateLesson(ctx, group))
	g2 := &ejournal.Group{SchoolID: "s1", ClassID: s.Class.ID, Name: "Английский 2"}
	must(t, db.CreateGroup(ctx, g2))
	foreignGroup := &ejournal.Group{SchoolID: "s1", ClassID: secondClass(t, db, s).ID, Name: "Чужая"}
	must(t, db.CreateGroup(ctx, foreignGroup))

	for _, tc := range []struct {
		name   string
		edit   func(l *ejournal.Lesson)
		code   string
		fields []string
	}{
		{"date before the year", func(l *ejournal.Lesson) { l.Date = "2025-08-31" }, ejournal.EINVALID, []string{"date"}},
		{"date after the year", func(l *ejournal.Lesson) { l.Date = "2026-09-01" }, ejournal.EINVALID, []string{"date"}},
		{"unknown class", func(l *ejournal.Lesson) { l.ClassID = "nope" }, ejournal.EINVALID, []string{"class_id"}},
		{"class of another school", func(l *ejournal.Lesson) { l.ClassID = other.Class.ID }, ejournal.EINVALID, []string{"class_id"}},
		{"unknown subject", func(l *ejournal.Lesson) { l.SubjectID = "nope" }, ejournal.EINVALID, []string{"subject_id"}},
		{"teacher who is a student", func(l *ejournal.Lesson) { l.TeacherID = s.Student.ID }, ejournal.EINVALID, []string{"teacher_id"}},
		{"group of another class", func(l *ejournal.Lesson) { l.GroupID = foreignGroup.ID }, ejournal.EINVALID, []string{"group_id"}},
		{"period 13", func(l *ejournal.Lesson) { l.Period = 13 }, ejournal.EINVALID, []string{"period"}},
		{"id with _", func(l *ejournal.Lesson) { l.ID = "a_b" }, ejournal.EINVALID, []string{"id"}},
		{"whole class in a taken period", func(l *ejournal.Lesson) { l.Period = 1 }, ejournal.ECONFLICT, []string{"period"}},
		{"whole class over a group lesson", func(l *ejournal.Lesson) { l.Period = 3 }, ejournal.ECONFLICT, []string{"period"}},
		{"the same group twice", func(l *ejournal.Lesson) { l.Period, l.GroupID = 3, s.Group.ID }, ejournal.ECONFLICT, []string{"period"}},
		{"a group in a whole-class period", func(l *ejournal.Lesson) { l.Period, l.GroupID = 1, g2.ID }, ejournal.ECONFLICT, []string{"period"}},
	} {
		l := newLesson(s, "2025-10-01", 6)
		tc.edit(l)
		err := db.CreateLesson(ctx, l)
		t.Run(tc.name, func(t *testing.T) { wantError(t, err, tc.code, tc.fields...) })
	}
	// Another group may have the same period.
	parallel := newLesson(s, "2025-10-01", 3)
	parallel.GroupID = g2.ID
	must(t, db.CreateLesson(ctx, parallel))

	// A move keeps the checks: into a taken period is refused, into a free one is fine.
	parallel.Period = 1
	wantError(t, db.UpdateLesson(ctx, parallel), ejournal.ECONFLICT, "period")
	parallel.Period, parallel.Date = 4, "2025-10-02"
	must(t, db.UpdateLesson(ctx, parallel))
	day, err := db.ClassLessons(ctx, "s1", s.Class.ID, "2025-10-02", "2025-10-02")
	must(t, err)
	if got := lessonIDs(day); len(got) != 1 || got[0] != parallel.ID {
		t.Fatalf("class lessons of the new day = %v, want the moved lesson", got)
	}
}

// secondClass creates a second class in s's year.
func secondClass(t *testing.T, db *dynamo.DB, s *school) *ejournal.Class {
	t.Helper()
	c := &ejournal.Class{SchoolID: s.ID, YearID: s.Year.ID, Grade: 6, Letter: "Б"}
	must(t, db.CreateClass(t.Context(), c))
	return c
}

func TestLessonQueries(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := t.Context()
	s := mustSchool(t, db, "s1")
	art := &ejournal.Subject{SchoolID: "s1", Name: "ИЗО", ShortName: "ИЗО"}
	must(t, db.CreateSubject(ctx, art))
	t2 := newPerson("s1", ejournal.Staff, "Второва", "")
	must(t, db.CreatePerson(ctx, t2))
	mk := func(date ejournal.Date, period int, subject, teacher string) *ejournal.Lesson {
		l := newLesson(s, date, period)
		l.SubjectID, l.TeacherID = subject, teacher
		must(t, db.CreateLesson(ctx, l))
		return l
	}
	d1p3 := mk("2025-09-03", 3, s.Subject.ID, s.Teacher.ID)
	d1p1 := mk("2025-09-03", 1, art.ID, t2.ID)
	d2p2 := mk("2025-09-04", 2, s.Subject.ID, s.Teacher.ID)
	d3p1 := mk("2025-09-05", 1, art.ID, s.Teacher.ID)

	for _, tc := range []struct {
		name string
		get  func() ([]*ejournal.Lesson, error)
		want []*ejournal.Lesson
	}{
		{"class day", func() ([]*ejournal.Lesson, error) {
			return db.ClassLessons(ctx, "s1", s.Class.ID, "2025-09-03", "2025-09-03")
		}, []*ejournal.Lesson{d1p1, d1p3}},
		{"class week", func() ([]*ejournal.Lesson, error) {
			return db.ClassLessons(ctx, "s1", s.Class.ID, "2025-09-01", "2025-09-07")
		}, []*ejournal.Lesson{d1p1, d1p3, d2p2, d3p1}},
		{"teacher days", func() ([]*ejournal.Lesson, error) {
			return db.TeacherLessons(ctx, "s1", s.Teacher.ID, "2025-09-03", "2025-09-05")
		}, []*ejournal.Lesson{d1p3, d2p2, d3p1}},
		{"second teacher", func() ([]*ejournal.Lesson, error) {
			return db.TeacherLessons(ctx, "s1", t2.ID, "2025-09-01", "2025-09-30")
		}, []*ejournal.Lesson{d1p1}},
		{"journal", func() ([]*ejournal.Lesson, error) {
			return db.JournalLessons(ctx, "s1", s.Class.ID, art.ID, "2025-09-01", "2025-09-30")
		}, []*ejournal.Lesson{d1p1, d3p1}},
		{"other school", func() ([]*ejournal.Lesson, error) {
			return db.ClassLessons(ctx, "s2", s.Class.ID, "2025-09-01", "2025-09-30")
		}, nil},
		{"reversed range", func() ([]*ejournal.Lesson, error) {
			return db.ClassLessons(ctx, "s1", s.Class.ID, "2025-09-30", "2025-09-01")
		}, nil},
	} {
		got, err := tc.get()
		must(t, err)
		t.Run(tc.name, func(t *testing.T) {
			want := lessonIDs(tc.want)
			if g := lessonIDs(got); !slices.Equal(g, want) {
				t.Fatalf("lessons = %v, want %v", g, want)
			}
		})
	}
}

// A lesson that has marks or attendance is neither deleted nor moved to
// another date: they are filed under its date.
func TestLessonWithRecordsStays(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := t.Context()
	s := mustSchool(t, db, "s1")
	l := newLesson(s, "2025-09-02", 1)
	must(t, db.CreateLesson(ctx, l))
	_, err := dynamotest.Client(t).PutItem(ctx, &dynamodb.PutItemInput{TableName: new(db.Table()), Item: map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: "S#s1#LESSON#" + l.ID},
		"SK": &types.AttributeValueMemberS{Value: "ATT#" + s.Student.ID},
	}})
	must(t, err)

	wantError(t, db.DeleteLesson(ctx, "s1", l.ID, 1), ejournal.ECONFLICT)
	moved := *l
	moved.Date = "2025-09-03"
	wantError(t, db.UpdateLesson(ctx, &moved), ejournal.ECONFLICT)
	same := *l
	same.Period, same.Topic = 5, "Повторение"
	must(t, db.UpdateLesson(ctx, &same))
	if _, err := db.Lesson(ctx, "s1", l.ID); err != nil {
		t.Fatalf("lesson with attendance is gone: %v", err)
	}
}

func TestGradingSettings(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "head", SchoolID: "s1"})
	s := mustSchool(t, db, "s1")

	g, err := db.GradingSettings(ctx, "s1", s.Year.ID)
	must(t, err)
	if g.Version != 0 || len(g.WorkTypes) == 0 || g.YearID != s.Year.ID {
		t.Fatalf("settings of a new year = %+v, want the defaults", g)
	}
	g.EditWindowDays = 3
	must(t, db.SaveGradingSettings(ctx, "s1", s.Year.ID, g, 0))
	if g.Version != 1 {
		t.Fatalf("version after the first save = %d", g.Version)
	}
	wantError(t, db.SaveGradingSettings(ctx, "s1", s.Year.ID, ejournal.DefaultGradingSettings("s1", s.Year.ID), 0), ejournal.ECONFLICT)
	g.AllowOne = true
	must(t, db.SaveGradingSettings(ctx, "s1", s.Year.ID, g, 1))
	stale := ejournal.DefaultGradingSettings("s1", s.Year.ID)
	wantError(t, db.SaveGradingSettings(ctx, "s1", s.Year.ID, stale, 1), ejournal.ECONFLICT)
	bad := ejournal.DefaultGradingSettings("s1", s.Year.ID)
	bad.WorkTypes[0].Weight = 15
	wantError(t, db.SaveGradingSettings(ctx, "s1", s.Year.ID, bad, 2), ejournal.EINVALID, "work_types[0].weight")
	wantError(t, db.SaveGradingSettings(ctx, "s1", "no-year", ejournal.DefaultGradingSettings("s1", "no-year"), 0), ejournal.EINVALID, "year_id")

	got, err := db.GradingSettings(ctx, "s1", s.Year.ID)
	must(t, err)
	if got.Version != 2 || got.EditWindowDays != 3 || !got.AllowOne {
		t.Fatalf("stored settings = %+v", got)
	}
	trail, err := db.AuditTrail(ctx, "s1", "grading", s.Year.ID)
	must(t, err)
	if len(trail) != 2 || trail[0].Action != "create" || trail[1].Action != "update" || trail[1].ActorID != "head" {
		t.Fatalf("settings audit = %d entries", len(trail))
	}
}
