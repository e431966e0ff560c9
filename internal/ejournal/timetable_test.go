package ejournal_test

import (
	"strings"
	"testing"

	"ejournal/internal/ejournal"
)

var ttYear = &ejournal.SchoolYear{ID: "y", SchoolID: "s", Name: "2025/2026", Start: "2025-09-01", End: "2026-08-31"}

// ttEntry is a valid entry: class 5a, maths, teacher t1, Monday period 2,
// all year; over changes it.
func ttEntry(id string, over func(e *ejournal.TimetableEntry)) *ejournal.TimetableEntry {
	e := &ejournal.TimetableEntry{ID: id, SchoolID: "s", YearID: "y", ClassID: "5a", SubjectID: "math", TeacherID: "t1", Room: "12", Weekday: 1, Period: 2, From: "2025-09-01"}
	if over != nil {
		over(e)
	}
	return e
}

func TestTimetableEntryValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		over  func(e *ejournal.TimetableEntry)
		field string
	}{
		{"valid", nil, ""},
		{"valid with a group and an end", func(e *ejournal.TimetableEntry) { e.GroupID, e.Until = "g1", "2025-12-31" }, ""},
		{"weekday 0", func(e *ejournal.TimetableEntry) { e.Weekday = 0 }, "weekday"},
		{"sunday", func(e *ejournal.TimetableEntry) { e.Weekday = 7 }, "weekday"},
		{"period 0", func(e *ejournal.TimetableEntry) { e.Period = 0 }, "period"},
		{"period 13", func(e *ejournal.TimetableEntry) { e.Period = 13 }, "period"},
		{"no class", func(e *ejournal.TimetableEntry) { e.ClassID = "" }, "class_id"},
		{"bad subject", func(e *ejournal.TimetableEntry) { e.SubjectID = "a#b" }, "subject_id"},
		{"no teacher", func(e *ejournal.TimetableEntry) { e.TeacherID = "" }, "teacher_id"},
		{"bad group", func(e *ejournal.TimetableEntry) { e.GroupID = "x y" }, "group_id"},
		{"bad id", func(e *ejournal.TimetableEntry) { e.ID = "../x" }, "id"},
		{"from before the year", func(e *ejournal.TimetableEntry) { e.From = "2025-08-31" }, "from"},
		{"from after the year", func(e *ejournal.TimetableEntry) { e.From = "2026-09-01" }, "from"},
		{"from not a date", func(e *ejournal.TimetableEntry) { e.From = "2025-02-30" }, "from"},
		{"until before from", func(e *ejournal.TimetableEntry) { e.From, e.Until = "2025-10-01", "2025-09-30" }, "until"},
		{"until after the year", func(e *ejournal.TimetableEntry) { e.Until = "2026-09-01" }, "until"},
		{"until not a date", func(e *ejournal.TimetableEntry) { e.Until = "tomorrow" }, "until"},
		{"room of 21 characters", func(e *ejournal.TimetableEntry) { e.Room = strings.Repeat("к", 21) }, "room"},
		{"room with a control character", func(e *ejournal.TimetableEntry) { e.Room = "1\n2" }, "room"},
		{"another year", func(e *ejournal.TimetableEntry) { e.YearID = "y2" }, "year_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ttEntry("e1", tc.over).Validate(ttYear)
			checkField(t, err, tc.field)
		})
	}
}

// checkField wants nil for an empty field, else EINVALID naming field.
func checkField(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	e, ok := err.(*ejournal.Error)
	if !ok || e.Code != ejournal.EINVALID || e.Fields[field].RU == "" {
		t.Fatalf("error %v, want invalid naming %s", err, field)
	}
}

func TestTimetableEntryActiveOn(t *testing.T) {
	t.Parallel()
	e := ttEntry("e1", func(e *ejournal.TimetableEntry) { e.From, e.Until = "2025-09-08", "2025-12-29" })
	for d, want := range map[ejournal.Date]bool{
		"2025-09-01": false, // a Monday before From
		"2025-09-08": true,  // From, a Monday
		"2025-09-09": false, // a Tuesday
		"2025-12-29": true,  // Until, a Monday
		"2026-01-05": false, // a Monday after Until
		"2025-13-01": false,
	} {
		if got := e.ActiveOn(d); got != want {
			t.Errorf("ActiveOn(%s) = %v, want %v", d, got, want)
		}
	}
	open := ttEntry("e2", nil)
	if !open.ActiveOn("2026-05-25") {
		t.Error("an entry without Until is active to the end")
	}
}

func TestTimetableClashes(t *testing.T) {
	t.Parallel()
	names := func(e *ejournal.TimetableEntry) string {
		return map[string]string{"5a": "5А", "5b": "5Б"}[e.ClassID] + ", " + map[string]string{"math": "Математика", "eng": "Английский язык"}[e.SubjectID]
	}
	existing := []*ejournal.TimetableEntry{
		ttEntry("math-5b", func(e *ejournal.TimetableEntry) { e.ClassID, e.TeacherID, e.Room = "5b", "t1", "12" }),
		ttEntry("eng-5a-g1", func(e *ejournal.TimetableEntry) {
			e.ClassID, e.GroupID, e.SubjectID, e.TeacherID, e.Room, e.Period = "5a", "g1", "eng", "t3", "21", 4
		}),
		ttEntry("old-5a", func(e *ejournal.TimetableEntry) { e.Period, e.TeacherID, e.Room, e.Until = 5, "t4", "30", "2025-10-31" }),
	}
	for _, tc := range []struct {
		name  string
		e     *ejournal.TimetableEntry
		field string // "" for no clash
		named string // what the message must name
	}{
		{"the teacher in another class", ttEntry("n1", func(e *ejournal.TimetableEntry) { e.Room = "14" }), "teacher_id", "5Б, Математика, понедельник, 2-й урок (запись math-5b)"},
		{"the room taken", ttEntry("n2", func(e *ejournal.TimetableEntry) { e.TeacherID, e.Room = "t2", " 12 " }), "room", "5Б, Математика, понедельник, 2-й урок"},
		{"another day", ttEntry("n3", func(e *ejournal.TimetableEntry) { e.Weekday = 2 }), "", ""},
		{"another period", ttEntry("n4", func(e *ejournal.TimetableEntry) { e.Period = 3 }), "", ""},
		{"the whole class over a group", ttEntry("n5", func(e *ejournal.TimetableEntry) { e.Period, e.TeacherID, e.Room = 4, "t2", "" }), "period", "5А, Английский язык, понедельник, 4-й урок (запись eng-5a-g1)"},
		{"the same group", ttEntry("n6", func(e *ejournal.TimetableEntry) { e.Period, e.GroupID, e.TeacherID, e.Room = 4, "g1", "t2", "" }), "period", "eng-5a-g1"},
		{"another group may share", ttEntry("n7", func(e *ejournal.TimetableEntry) {
			e.Period, e.GroupID, e.SubjectID, e.TeacherID, e.Room = 4, "g2", "eng", "t2", "22"
		}), "", ""},
		{"an entry ended before this one starts", ttEntry("n8", func(e *ejournal.TimetableEntry) { e.Period, e.TeacherID, e.Room, e.From = 5, "t4", "30", "2025-11-01" }), "", ""},
		{"an entry ended the day this one starts", ttEntry("n9", func(e *ejournal.TimetableEntry) { e.Period, e.From = 5, "2025-10-31" }), "period", "old-5a"},
		{"itself", ttEntry("math-5b", func(e *ejournal.TimetableEntry) { e.ClassID, e.TeacherID, e.Room = "5b", "t1", "12" }), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ejournal.Clashes(tc.e, existing, names)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("unexpected clash: %v", err)
				}
				return
			}
			e, ok := err.(*ejournal.Error)
			if !ok || e.Code != ejournal.ECONFLICT || e.Fields[tc.field].RU == "" {
				t.Fatalf("error %v, want a conflict naming %s", err, tc.field)
			}
			if !strings.Contains(e.Message.RU, tc.named) {
				t.Fatalf("message %q does not name %q", e.Message.RU, tc.named)
			}
		})
	}
	// An entry that ends before the others start clashes with none.
	if err := ejournal.Clashes(ttEntry("z", func(e *ejournal.TimetableEntry) { e.From, e.Until = "2024-09-02", "2025-08-31" }), existing, nil); err != nil {
		t.Fatalf("entries whose validity does not overlap clash: %v", err)
	}
	err := ejournal.Clashes(ttEntry("z", nil), existing, nil)
	if err == nil || !strings.Contains(err.(*ejournal.Error).Message.EN, "class 5b, subject math, Monday, period 2 (entry math-5b)") {
		t.Fatalf("without names the message names the ids: %v", err)
	}
}

func TestTimetableEntryEndBefore(t *testing.T) {
	t.Parallel()
	e := ttEntry("e1", func(e *ejournal.TimetableEntry) { e.Until = "2026-05-31" })
	for _, d := range []ejournal.Date{"2025-09-01", "2025-08-01", "2026-06-01", "x"} {
		c := *e
		if err := c.EndBefore(d); err == nil {
			t.Errorf("EndBefore(%s) accepted", d)
		}
	}
	if err := e.EndBefore("2026-01-01"); err != nil || e.Until != "2025-12-31" {
		t.Fatalf("EndBefore: %v, until %s", err, e.Until)
	}
}

func TestSubstitutionValidate(t *testing.T) {
	t.Parallel()
	base := func(over func(s *ejournal.Substitution)) *ejournal.Substitution {
		s := &ejournal.Substitution{EntryID: "e1", Date: "2025-09-08", TeacherID: "t2"}
		if over != nil {
			over(s)
		}
		return s
	}
	for _, tc := range []struct {
		name  string
		over  func(s *ejournal.Substitution)
		field string
	}{
		{"a substitute", nil, ""},
		{"cancelled", func(s *ejournal.Substitution) { s.TeacherID, s.Cancelled = "", true }, ""},
		{"cancelled with a teacher", func(s *ejournal.Substitution) { s.Cancelled = true }, "teacher_id"},
		{"neither", func(s *ejournal.Substitution) { s.TeacherID = "" }, "teacher_id"},
		{"no entry", func(s *ejournal.Substitution) { s.EntryID = "" }, "entry_id"},
		{"not a date", func(s *ejournal.Substitution) { s.Date = "2025-9-8" }, "date"},
		{"outside the year", func(s *ejournal.Substitution) { s.Date = "2026-09-07" }, "date"},
		{"long room", func(s *ejournal.Substitution) { s.Room = strings.Repeat("1", 21) }, "room"},
		{"long reason", func(s *ejournal.Substitution) { s.Reason = strings.Repeat("а", 201) }, "reason"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkField(t, base(tc.over).Validate(ttYear), tc.field)
		})
	}
}

func TestSubstituteBusy(t *testing.T) {
	t.Parallel()
	entries := []*ejournal.TimetableEntry{
		ttEntry("t2-mon2", func(e *ejournal.TimetableEntry) { e.TeacherID, e.ClassID = "t2", "5b" }),
		ttEntry("t1-mon3", func(e *ejournal.TimetableEntry) { e.Period = 3 }),
		ttEntry("t3-mon3", func(e *ejournal.TimetableEntry) { e.Period, e.TeacherID, e.ClassID = 3, "t3", "5b" }),
	}
	const monday, tuesday = ejournal.Date("2025-09-08"), ejournal.Date("2025-09-09")
	if got := ejournal.SubstituteBusy("t2", monday, 2, entries, nil, ""); got == nil || got.ID != "t2-mon2" {
		t.Fatalf("t2 teaches Monday period 2: got %v", got)
	}
	if got := ejournal.SubstituteBusy("t2", tuesday, 2, entries, nil, ""); got != nil {
		t.Fatalf("t2 is free on Tuesday: got %v", got.ID)
	}
	away := []*ejournal.Substitution{{ID: "s1", EntryID: "t2-mon2", Date: monday, Cancelled: true}}
	if got := ejournal.SubstituteBusy("t2", monday, 2, entries, away, ""); got != nil {
		t.Fatalf("t2's own lesson is cancelled that day: got %v", got.ID)
	}
	already := []*ejournal.Substitution{{ID: "s2", EntryID: "t1-mon3", Date: monday, TeacherID: "t2"}}
	if got := ejournal.SubstituteBusy("t2", monday, 3, entries, already, ""); got == nil || got.ID != "t1-mon3" {
		t.Fatalf("t2 already substitutes in period 3: got %v", got)
	}
	if got := ejournal.SubstituteBusy("t2", monday, 3, entries, already, "s2"); got != nil {
		t.Fatalf("the substitution being saved does not count: got %v", got.ID)
	}
}

func TestParseISOWeek(t *testing.T) {
	t.Parallel()
	for s, want := range map[string][2]ejournal.Date{
		"2026-W48": {"2026-11-23", "2026-11-29"},
		"2026-W01": {"2025-12-29", "2026-01-04"},
		"2020-W53": {"2020-12-28", "2021-01-03"},
		"2025-W36": {"2025-09-01", "2025-09-07"},
	} {
		mon, sun, ok := ejournal.ParseISOWeek(s)
		if !ok || mon != want[0] || sun != want[1] {
			t.Errorf("ParseISOWeek(%q) = %s, %s, %v; want %v", s, mon, sun, ok, want)
		}
		if ejournal.ISOWeek(mon) != s || ejournal.ISOWeek(sun) != s {
			t.Errorf("ISOWeek of %s..%s is not %s", mon, sun, s)
		}
	}
	for _, s := range []string{"", "2026-W00", "2026-W54", "2025-W53", "2026-w48", "2026W48", "2026-W4", "2026-W048", " 2026-W48", "2026-W48 ", "0999-W01", "+2026-W48", "2026-W4８", "2026-11-23"} {
		if _, _, ok := ejournal.ParseISOWeek(s); ok {
			t.Errorf("ParseISOWeek(%q) accepted", s)
		}
	}
}

func TestBuildWeek(t *testing.T) {
	t.Parallel()
	cal := ejournal.DefaultCalendar("s", "y")
	cal.Holidays = []ejournal.Holiday{{Start: "2025-11-04", End: "2025-11-04", Name: "День народного единства"}}
	entries := []*ejournal.TimetableEntry{
		ttEntry("math-mon2", nil),
		ttEntry("eng-g2-tue1", func(e *ejournal.TimetableEntry) {
			e.Weekday, e.Period, e.GroupID, e.SubjectID, e.TeacherID = 2, 1, "g2", "eng", "t3"
		}),
		ttEntry("eng-g1-tue1", func(e *ejournal.TimetableEntry) {
			e.Weekday, e.Period, e.GroupID, e.SubjectID, e.TeacherID = 2, 1, "g1", "eng", "t2"
		}),
		ttEntry("math-tue3", func(e *ejournal.TimetableEntry) { e.Weekday, e.Period = 2, 3 }),
		ttEntry("ended-wed1", func(e *ejournal.TimetableEntry) { e.Weekday, e.Period, e.Until = 3, 1, "2025-10-31" }),
		ttEntry("other-class", func(e *ejournal.TimetableEntry) { e.ClassID, e.Weekday, e.Period = "5b", 4, 1 }),
		ttEntry("sat", func(e *ejournal.TimetableEntry) { e.Weekday = 6 }),
	}
	subs := []*ejournal.Substitution{
		{ID: "s1", EntryID: "math-mon2", Date: "2025-11-03", TeacherID: "t9", Reason: "болезнь"},
		{ID: "s2", EntryID: "other-class", Date: "2025-11-06", TeacherID: "t1"},
	}
	names := ejournal.WeekNames{
		Classes:  map[string]string{"5a": "5А", "5b": "5Б"},
		Groups:   map[string]string{"g1": "1 группа", "g2": "2 группа"},
		Subjects: map[string]string{"math": "Математика", "eng": "Английский язык"},
		People:   map[string]string{"t1": "Иванова М. А.", "t9": "Петров П. П."},
	}
	v := ejournal.BuildWeek(entries, subs, cal, "2025-11-03", ejournal.WeekFilter{ClassID: "5a"}, names)
	if v.Week != "2025-W45" || v.From != "2025-11-03" || v.To != "2025-11-09" || len(v.Days) != 7 {
		t.Fatalf("week %s %s..%s with %d days", v.Week, v.From, v.To, len(v.Days))
	}
	mon := v.Days[0]
	if !mon.SchoolDay || len(mon.Slots) != 1 {
		t.Fatalf("Monday: %+v", mon)
	}
	s := mon.Slots[0]
	if s.Period != 2 || s.Start != "09:25" || s.End != "10:10" || s.SubjectName != "Математика" || s.TeacherName != "Иванова М. А." || s.ClassName != "5А" || s.Room != "12" {
		t.Fatalf("Monday's lesson: %+v", s)
	}
	if s.Substitution == nil || s.Substitution.TeacherName != "Петров П. П." || s.Substitution.Reason != "болезнь" {
		t.Fatalf("Monday's substitution: %+v", s.Substitution)
	}
	if tue := v.Days[1]; tue.Holiday != "День народного единства" || tue.SchoolDay || len(tue.Slots) != 0 {
		t.Fatalf("the holiday: %+v", tue)
	}
	if wed := v.Days[2]; len(wed.Slots) != 0 {
		t.Fatalf("an ended entry gives no lesson: %+v", wed.Slots)
	}
	if thu := v.Days[3]; len(thu.Slots) != 0 {
		t.Fatalf("another class's lesson in the class's week: %+v", thu.Slots)
	}
	if sat := v.Days[5]; sat.SchoolDay || len(sat.Slots) != 0 {
		t.Fatalf("Saturday of a five-day week: %+v", sat)
	}

	next := ejournal.BuildWeek(entries, nil, cal, "2025-11-10", ejournal.WeekFilter{ClassID: "5a"}, names)
	tue := next.Days[1].Slots
	if len(tue) != 3 || tue[0].GroupName != "1 группа" || tue[1].GroupName != "2 группа" || tue[2].Period != 3 {
		t.Fatalf("Tuesday's two groups then period 3: %+v", tue)
	}

	teacher := ejournal.BuildWeek(entries, subs, cal, "2025-11-03", ejournal.WeekFilter{TeacherID: "t1"}, names)
	if got := teacher.Days[0].Slots; len(got) != 1 || got[0].Substitution == nil {
		t.Fatalf("the teacher's own lesson shows its substitute: %+v", got)
	}
	if got := teacher.Days[3].Slots; len(got) != 1 || got[0].EntryID != "other-class" || got[0].Substitution.TeacherID != "t1" {
		t.Fatalf("the lesson the teacher substitutes in: %+v", got)
	}

	bare := ejournal.BuildWeek(entries, nil, nil, "2025-11-03", ejournal.WeekFilter{ClassID: "5a"}, ejournal.WeekNames{})
	if !bare.Days[1].SchoolDay || bare.Days[0].Slots[0].Start != "" || bare.Days[5].SchoolDay {
		t.Fatalf("without a calendar: Monday to Friday, no bells: %+v", bare.Days)
	}
}
