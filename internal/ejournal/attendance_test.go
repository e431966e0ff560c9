package ejournal_test

import (
	"strings"
	"testing"
	"time"

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
		{"long document", func(r *ejournal.AttendanceRecord) { r.Document = strings.Repeat("с", 201) }, []string{"document"}},
		{"control character in the justifier's name", func(r *ejournal.AttendanceRecord) { r.JustifiedByName = "Наумова\x00" }, []string{"justified_by_name"}},
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
	at := time.Date(2025, 10, 7, 9, 30, 0, 0, time.FixedZone("YEKT", 5*3600))
	excused := func(reason string) ejournal.Justification {
		return ejournal.Justification{Code: ejournal.Excused, Reason: reason}
	}
	tests := []struct {
		name string
		// code, reason and document are the record's before.
		code             ejournal.AttendanceCode
		reason, document string
		j                ejournal.Justification
		by               string
		fields           []string
		changed          bool
	}{
		{name: "н becomes у", code: ejournal.Absent, j: excused("заявление родителей"), by: "ct1", changed: true},
		{name: "н becomes б with a document", code: ejournal.Absent, j: ejournal.Justification{Code: ejournal.Ill, Reason: "ОРВИ", Document: "справка № 12"}, by: "ct1", changed: true},
		{name: "б given by the teacher gets its reason", code: ejournal.Ill, j: ejournal.Justification{Code: ejournal.Ill, Reason: "ОРВИ"}, by: "ct1", changed: true},
		{name: "у becomes б when the certificate comes", code: ejournal.Excused, reason: "заявление родителей", j: ejournal.Justification{Code: ejournal.Ill, Reason: "ОРВИ", Document: "справка"}, by: "ct1", changed: true},
		{name: "a corrected reason", code: ejournal.Excused, reason: "заявление", j: excused("заявление родителей"), by: "ct1", changed: true},
		{name: "the same again changes nothing", code: ejournal.Ill, reason: "ОРВИ", document: "справка", j: ejournal.Justification{Code: ejournal.Ill, Reason: "ОРВИ", Document: "справка"}, by: "ct2"},
		{name: "no reason", code: ejournal.Absent, j: excused(" "), by: "ct1", fields: []string{"reason"}},
		{name: "to н", code: ejournal.Absent, j: ejournal.Justification{Code: ejournal.Absent, Reason: "—"}, by: "ct1", fields: []string{"code"}},
		{name: "to late", code: ejournal.Absent, j: ejournal.Justification{Code: ejournal.Late, Reason: "—"}, by: "ct1", fields: []string{"code"}},
		{name: "to present", code: ejournal.Absent, j: ejournal.Justification{Reason: "—"}, by: "ct1", fields: []string{"code"}},
		{name: "late", code: ejournal.Late, j: excused("автобус"), by: "ct1", fields: []string{"code"}},
		{name: "present", code: ejournal.Present, j: excused("—"), by: "ct1", fields: []string{"code"}},
		{name: "reason too long", code: ejournal.Absent, j: excused(strings.Repeat("я", 501)), by: "ct1", fields: []string{"reason"}},
		{name: "document too long", code: ejournal.Absent, j: ejournal.Justification{Code: ejournal.Ill, Reason: "ОРВИ", Document: strings.Repeat("я", 201)}, by: "ct1", fields: []string{"document"}},
		{name: "document on two lines", code: ejournal.Absent, j: ejournal.Justification{Code: ejournal.Ill, Reason: "ОРВИ", Document: "справка\nот врача"}, by: "ct1", fields: []string{"document"}},
		{name: "nobody", code: ejournal.Absent, j: excused("справка"), fields: []string{"justified_by"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &ejournal.AttendanceRecord{LessonID: "l1", ClassID: "c5a", StudentID: "st1", Date: "2025-10-06", Code: tt.code, Reason: tt.reason, Document: tt.document}
			before := *r
			changed, err := r.Justify(tt.j, tt.by, "Наумова Ольга", at)
			checkValidate(t, validateWith(func() error { return err }), tt.fields...)
			if changed != tt.changed {
				t.Errorf("changed = %v, want %v", changed, tt.changed)
			}
			if !tt.changed {
				if *r != before {
					t.Errorf("a Justify that changed nothing changed the record: %+v", r)
				}
				return
			}
			if r.Code != tt.j.Code || r.Reason != tt.j.Reason || r.Document != tt.j.Document || r.JustifiedBy != tt.by ||
				r.JustifiedByName != "Наумова Ольга" || !r.JustifiedAt.Equal(at) || r.JustifiedAt.Location() != time.UTC {
				t.Errorf("after Justify: %+v", r)
			}
			if err := r.Validate(); err != nil {
				t.Errorf("the justified record is invalid: %v", err)
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
