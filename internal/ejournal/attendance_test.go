package ejournal_test

import (
	"strings"
	"testing"

	"ejournal/internal/ejournal"
)

func TestParseAttendanceCode(t *testing.T) {
	tests := []struct {
		in   string
		want ejournal.AttendanceCode
		ok   bool
	}{
		{"", ejournal.Present, true},
		{"  ", ejournal.Present, true},
		{"н", ejournal.Absent, true},
		{"Н", ejournal.Absent, true},
		{"б", ejournal.Ill, true},
		{"Б", ejournal.Ill, true},
		{"у", ejournal.Excused, true},
		{" у ", ejournal.Excused, true},
		{"о", ejournal.Late, true},
		{"О", ejournal.Late, true},
		{"п", ejournal.Late, true},
		{"П", ejournal.Late, true},
		{"H", "", false}, // Latin look-alikes are refused
		{"y", "", false},
		{"o", "", false},
		{"6", "", false},
		{"нн", "", false},
		{"x", "", false},
	}
	for _, tt := range tests {
		got, ok := ejournal.ParseAttendanceCode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseAttendanceCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if ejournal.AttendanceCode("п").Valid() {
		t.Error(`the alias "п" is valid as a stored code`)
	}
}

func TestAttendanceRecordValidate(t *testing.T) {
	valid := func() *ejournal.AttendanceRecord {
		return &ejournal.AttendanceRecord{LessonID: "l1", ClassID: "c5a", StudentID: "st1", Date: "2025-10-06", Code: ejournal.Absent}
	}
	tests := []struct {
		name   string
		edit   func(r *ejournal.AttendanceRecord)
		fields []string
	}{
		{"absent", func(*ejournal.AttendanceRecord) {}, nil},
		{"present", func(r *ejournal.AttendanceRecord) { r.Code = ejournal.Present }, nil},
		{"justified", func(r *ejournal.AttendanceRecord) {
			r.Code, r.Reason, r.JustifiedBy = ejournal.Excused, "справка", "t1"
		}, nil},
		{"alias not stored", func(r *ejournal.AttendanceRecord) { r.Code = "п" }, []string{"code"}},
		{"unknown code", func(r *ejournal.AttendanceRecord) { r.Code = "x" }, []string{"code"}},
		{"missing ids", func(r *ejournal.AttendanceRecord) { r.LessonID, r.ClassID, r.StudentID = "", "", "" }, []string{"lesson_id", "class_id", "student_id"}},
		{"bad date", func(r *ejournal.AttendanceRecord) { r.Date = "06.10.2025" }, []string{"date"}},
		{"long reason", func(r *ejournal.AttendanceRecord) { r.Reason = strings.Repeat("р", 501) }, []string{"reason"}},
		{"bad justifier", func(r *ejournal.AttendanceRecord) { r.JustifiedBy = "a#b" }, []string{"justified_by"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := valid()
			tt.edit(r)
			checkValidate(t, r, tt.fields...)
		})
	}
}

func TestJustify(t *testing.T) {
	tests := []struct {
		name   string
		code   ejournal.AttendanceCode
		reason string
		by     string
		fields []string
	}{
		{"н becomes у", ejournal.Absent, "заявление родителей", "ct1", nil},
		{"no reason", ejournal.Absent, " ", "ct1", []string{"reason"}},
		{"ill stays ill", ejournal.Ill, "справка", "ct1", []string{"code"}},
		{"already excused", ejournal.Excused, "справка", "ct1", []string{"code"}},
		{"late", ejournal.Late, "автобус", "ct1", []string{"code"}},
		{"present", ejournal.Present, "—", "ct1", []string{"code"}},
		{"nobody", ejournal.Absent, "справка", "", []string{"justified_by"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &ejournal.AttendanceRecord{LessonID: "l1", ClassID: "c5a", StudentID: "st1", Date: "2025-10-06", Code: tt.code}
			err := r.Justify(tt.reason, tt.by)
			checkValidate(t, validateWith(func() error { return err }), tt.fields...)
			if tt.fields != nil {
				if r.Code != tt.code || r.Reason != "" {
					t.Errorf("a refused Justify changed the record: %+v", r)
				}
				return
			}
			if r.Code != ejournal.Excused || r.Reason != tt.reason || r.JustifiedBy != tt.by {
				t.Errorf("after Justify: %+v", r)
			}
		})
	}
}

func TestAttendanceTotals(t *testing.T) {
	rec := func(class, student string, d ejournal.Date, c ejournal.AttendanceCode) *ejournal.AttendanceRecord {
		return &ejournal.AttendanceRecord{ClassID: class, StudentID: student, Date: d, Code: c}
	}
	records := []*ejournal.AttendanceRecord{
		rec("5a", "ann", "2025-10-01", ejournal.Present),
		rec("5a", "ann", "2025-10-01", ejournal.Late),
		rec("5a", "ann", "2025-10-02", ejournal.Ill),
		rec("5a", "ann", "2025-10-02", ejournal.Ill),
		rec("5a", "ann", "2025-10-03", ejournal.Absent),
		rec("5a", "ann", "2025-10-03", ejournal.Excused),
		rec("5a", "bob", "2025-10-01", ejournal.Present),
		rec("5a", "bob", "2025-10-02", ejournal.Present),
		rec("5a", "bob", "2025-10-03", ejournal.Late),
		rec("5b", "cat", "2025-10-01", ejournal.Absent),
		rec("5b", "cat", "2025-09-30", ejournal.Absent), // before the range
		rec("5b", "cat", "2025-10-04", ejournal.Absent), // after the range
	}
	from, to := ejournal.Date("2025-10-01"), ejournal.Date("2025-10-03")
	ann := ejournal.AttendanceTotals{Lessons: 6, Present: 1, Missed: 4, Ill: 2, Excused: 1, Unexcused: 1, Late: 1, Percent: 3333}
	bob := ejournal.AttendanceTotals{Lessons: 3, Present: 2, Late: 1, Percent: 10000}
	cat := ejournal.AttendanceTotals{Lessons: 1, Missed: 1, Unexcused: 1}
	// 5А: 5 of 9 lessons attended (3 present, 2 late) = 55.555…% → 55.56.
	class5a := ejournal.AttendanceTotals{Lessons: 9, Present: 3, Missed: 4, Ill: 2, Excused: 1, Unexcused: 1, Late: 2, Percent: 5556}
	all := ejournal.AttendanceTotals{Lessons: 10, Present: 3, Missed: 5, Ill: 2, Excused: 1, Unexcused: 2, Late: 2, Percent: 5000}

	byStudent := ejournal.AttendanceByStudent(records, from, to)
	for student, want := range map[string]ejournal.AttendanceTotals{"ann": ann, "bob": bob, "cat": cat} {
		if got := byStudent[student]; got != want {
			t.Errorf("%s: %+v, want %+v", student, got, want)
		}
	}
	byClass := ejournal.AttendanceByClass(records, from, to)
	for class, want := range map[string]ejournal.AttendanceTotals{"5a": class5a, "5b": cat} {
		if got := byClass[class]; got != want {
			t.Errorf("class %s: %+v, want %+v", class, got, want)
		}
	}
	if len(byStudent) != 3 || len(byClass) != 2 {
		t.Errorf("groups: %d students, %d classes", len(byStudent), len(byClass))
	}
	if got := ejournal.TotalAttendance(records, from, to); got != all {
		t.Errorf("TotalAttendance = %+v, want %+v", got, all)
	}
	if got := ejournal.TotalAttendance(records, "2026-01-01", "2026-01-31"); got != (ejournal.AttendanceTotals{}) {
		t.Errorf("TotalAttendance of an empty range = %+v", got)
	}
	if got := ejournal.TotalAttendance(records, "2025-10-04", "2025-10-04"); got != (ejournal.AttendanceTotals{Lessons: 1, Missed: 1, Unexcused: 1}) {
		t.Errorf("TotalAttendance of one day = %+v", got)
	}
}
