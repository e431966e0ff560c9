package ejournal_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"ejournal/internal/ejournal"
)

// genEntry is an entry of class 5a from 2026-09-01 (a Tuesday).
func genEntry(id string, weekday, period int, teacher string) *ejournal.TimetableEntry {
	return &ejournal.TimetableEntry{ID: id, SchoolID: "s", YearID: "y", ClassID: "5a", SubjectID: "math", TeacherID: teacher, Room: "12", Weekday: weekday, Period: period, From: "2026-09-01"}
}

func lessonIDs(ls []*ejournal.Lesson) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.ID
	}
	return out
}

func TestGeneratedLessonID(t *testing.T) {
	t.Parallel()
	if got := ejournal.GeneratedLessonID("e1", "2026-11-30"); got != "t-e1-20261130" {
		t.Fatalf("id = %q", got)
	}
	long := strings.Repeat("x", 60)
	for _, entry := range []string{long, "a_b"} {
		id := ejournal.GeneratedLessonID(entry, "2026-11-30")
		if !ejournal.ValidID(id) || strings.Contains(id, "_") || id != ejournal.GeneratedLessonID(entry, "2026-11-30") || id == ejournal.GeneratedLessonID(entry+"y", "2026-11-30") {
			t.Fatalf("entry %q: id %q must be a valid lesson id, the same each time and differ by entry", entry, id)
		}
		if d, ok := ejournal.GeneratedLessonDate(id); !ok || d != "2026-11-30" {
			t.Fatalf("date of %q = %q, %v", id, d, ok)
		}
	}
	for _, id := range []string{"abc", "t-e1-2026113", "t-e1-20261331", "x-e1-20261130", "t-20261130"} {
		if d, ok := ejournal.GeneratedLessonDate(id); ok {
			t.Errorf("GeneratedLessonDate(%q) = %q, want none", id, d)
		}
	}
}

func TestExpectedLessons(t *testing.T) {
	t.Parallel()
	cal := ejournal.DefaultCalendar("s", "y")
	cal.Holidays = []ejournal.Holiday{{Start: "2026-11-02", End: "2026-11-04", Name: "каникулы"}}
	mon := genEntry("mon1", 1, 1, "t1") // Mondays, period 1
	wed := genEntry("wed3", 3, 3, "t2") // Wednesdays, period 3
	wed.Until = "2026-11-04"
	wedNew := genEntry("wed3b", 3, 3, "t3") // the same lesson from 2026-11-05 with another teacher
	wedNew.From = "2026-11-05"
	other := genEntry("other", 1, 2, "t4")
	other.ClassID = "6b"
	entries := []*ejournal.TimetableEntry{wedNew, other, wed, mon}

	tests := []struct {
		name     string
		from, to ejournal.Date
		class    string
		subs     []*ejournal.Substitution
		want     []string
	}{
		{name: "a school week", from: "2026-10-26", to: "2026-11-01", class: "5a", want: []string{"t-mon1-20261026", "t-wed3-20261028"}},
		{name: "holidays and the weekend give none", from: "2026-10-31", to: "2026-11-04", class: "5a", want: nil},
		{name: "the changed entry takes over", from: "2026-11-05", to: "2026-11-11", class: "5a", want: []string{"t-mon1-20261109", "t-wed3b-20261111"}},
		{name: "every class", from: "2026-10-26", to: "2026-10-26", want: []string{"t-mon1-20261026", "t-other-20261026"}},
		{name: "before the entries start", from: "2026-08-24", to: "2026-08-31", class: "5a", want: nil},
		{name: "a cancelled lesson", from: "2026-10-26", to: "2026-11-01", class: "5a",
			subs: []*ejournal.Substitution{{EntryID: "mon1", Date: "2026-10-26", Cancelled: true}}, want: []string{"t-wed3-20261028"}},
		{name: "a substitution of another date changes nothing", from: "2026-10-26", to: "2026-10-26", class: "5a",
			subs: []*ejournal.Substitution{{EntryID: "mon1", Date: "2026-10-19", Cancelled: true}}, want: []string{"t-mon1-20261026"}},
		{name: "reversed range", from: "2026-11-01", to: "2026-10-26", want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ejournal.ExpectedLessons(entries, cal, tc.subs, tc.from, tc.to, tc.class)
			if ids := lessonIDs(got); !slices.Equal(ids, tc.want) {
				t.Fatalf("lessons %v, want %v", ids, tc.want)
			}
		})
	}

	got := ejournal.ExpectedLessons(entries, cal, nil, "2026-10-26", "2026-10-26", "5a")[0]
	want := ejournal.Lesson{ID: "t-mon1-20261026", SchoolID: "s", YearID: "y", Date: "2026-10-26", ClassID: "5a", SubjectID: "math", TeacherID: "t1",
		Period: 1, Room: "12", Source: ejournal.TimetableLesson, TimetableEntryID: "mon1"}
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("lesson %+v, want %+v", *got, want)
	}
	sub := &ejournal.Substitution{EntryID: "mon1", Date: "2026-10-26", TeacherID: "t9", Room: "7"}
	got = ejournal.ExpectedLessons(entries, cal, []*ejournal.Substitution{sub}, "2026-10-26", "2026-10-26", "5a")[0]
	if got.TeacherID != "t9" || got.RegularTeacherID != "t1" || got.Room != "7" {
		t.Fatalf("substituted lesson: teacher %s, regular %s, room %s; want t9, t1, 7", got.TeacherID, got.RegularTeacherID, got.Room)
	}
}

func TestReconcile(t *testing.T) {
	t.Parallel()
	gen := func(id string, date ejournal.Date, period int, teacher string) *ejournal.Lesson {
		return &ejournal.Lesson{ID: id, ClassID: "5a", Date: date, Period: period, TeacherID: teacher, Room: "12", Source: ejournal.TimetableLesson, Version: 3}
	}
	manual := func(id string, date ejournal.Date, period int, group string) *ejournal.Lesson {
		l := gen(id, date, period, "t1")
		l.Source, l.GroupID = ejournal.ManualLesson, group
		return l
	}
	with := func(l *ejournal.Lesson, f func(*ejournal.Lesson)) *ejournal.Lesson { f(l); return l }
	recorded := map[string]bool{"marked": true}

	expected := []*ejournal.Lesson{
		gen("same", "2026-10-05", 1, "t1"),
		gen("new", "2026-10-05", 2, "t1"),
		gen("subst", "2026-10-05", 3, "t9"),
		gen("moved", "2026-10-05", 4, "t1"),
		gen("blocked", "2026-10-06", 1, "t1"),
		with(gen("group2", "2026-10-06", 2, "t2"), func(l *ejournal.Lesson) { l.GroupID = "g2" }),
		gen("afterstale", "2026-10-06", 3, "t1"),
		gen("aftermarked", "2026-10-06", 4, "t1"),
	}
	expected[2].RegularTeacherID = "t1"
	existing := []*ejournal.Lesson{
		gen("same", "2026-10-05", 1, "t1"),
		with(gen("subst", "2026-10-05", 3, "t1"), func(l *ejournal.Lesson) { l.Topic, l.Homework = "Дроби", "№ 5" }),
		gen("moved", "2026-10-07", 6, "t1"), // moved by hand: matched by id
		manual("hand", "2026-10-06", 1, ""),
		manual("group1", "2026-10-06", 2, "g1"), // another group: no clash
		gen("stale", "2026-10-06", 3, "t1"),
		gen("marked", "2026-10-06", 4, "t1"),
		with(gen("topic", "2026-10-07", 1, "t1"), func(l *ejournal.Lesson) { l.Topic = "Повторение" }),
		with(gen("plantopic", "2026-10-07", 2, "t1"), func(l *ejournal.Lesson) { l.Topic, l.PlanTopicID = "Дроби", "p1" }),
		with(gen("worktype", "2026-10-07", 4, "t1"), func(l *ejournal.Lesson) { l.WorkType = "test" }), // a work type chosen: kept
		manual("handonly", "2026-10-07", 3, ""),
	}
	var asked []string
	c := ejournal.Reconcile(expected, existing, func(id string) bool {
		asked = append(asked, id)
		return recorded[id]
	})
	if got, want := lessonIDs(c.Create), []string{"new", "group2", "afterstale"}; !slices.Equal(got, want) {
		t.Errorf("create %v, want %v", got, want)
	}
	if got, want := lessonIDs(c.Delete), []string{"stale", "plantopic"}; !slices.Equal(got, want) {
		t.Errorf("delete %v, want %v", got, want)
	}
	if len(c.Update) != 1 {
		t.Fatalf("update %v, want subst", lessonIDs(c.Update))
	}
	if u := c.Update[0]; u.ID != "subst" || u.TeacherID != "t9" || u.RegularTeacherID != "t1" || u.Topic != "Дроби" || u.Homework != "№ 5" || u.Version != 3 {
		t.Errorf("updated %+v: the teacher changes, topic, homework and version stay", u)
	}
	if existing[1].TeacherID != "t1" {
		t.Error("Reconcile changed an existing lesson")
	}
	if got, want := *c.Result(), (ejournal.GenerateResult{Created: 3, Updated: 1, Deleted: 2, Unchanged: 2, Kept: 3, Skipped: 2}); got != want {
		t.Errorf("result %+v, want %+v", got, want)
	}
	if want := []string{"stale", "marked", "plantopic"}; !slices.Equal(asked, want) {
		t.Errorf("hasRecords asked about %v, want only the stale lessons without content %v", asked, want)
	}

	again := ejournal.Reconcile(expected, existing[:3], func(string) bool { return false })
	if len(again.Create) != 5 || again.Unchanged != 2 || len(again.Update) != 1 {
		t.Errorf("without the other lessons: %+v", *again.Result())
	}
}

func TestCheckGenerateRange(t *testing.T) {
	t.Parallel()
	year := &ejournal.SchoolYear{ID: "y", Start: "2025-01-01", End: "2026-12-31"}
	for _, tc := range []struct {
		from, to ejournal.Date
		field    string
	}{
		{"2025-01-01", "2025-12-31", ""},
		{"2025-03-01", "2026-02-28", ""},
		{"2025-03-01", "2026-03-01", "to"}, // a year and a day
		{"2025-05-02", "2025-05-01", "to"},
		{"2024-12-31", "2025-01-05", "from"},
		{"2026-12-01", "2027-01-05", "to"},
		{"", "2025-01-05", "from"},
	} {
		err := ejournal.CheckGenerateRange(year, tc.from, tc.to)
		var e *ejournal.Error
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s..%s: %v", tc.from, tc.to, err)
		case tc.field != "" && (!errors.As(err, &e) || e.Code != ejournal.EINVALID || e.Fields[tc.field] == ejournal.Text{}):
			t.Errorf("%s..%s: %v, want EINVALID naming %s", tc.from, tc.to, err, tc.field)
		}
	}
}
