package ejournal

import (
	"strings"
	"time"
)

// AttendanceCode is what the journal writes for a student at a lesson.
type AttendanceCode string

// Attendance codes of the regulation; blank is present.
const (
	Present   AttendanceCode = ""  // присутствовал
	Absent    AttendanceCode = "н" // отсутствовал без уважительной причины
	Ill       AttendanceCode = "б" // болел
	Excused   AttendanceCode = "у" // отсутствовал по уважительной причине
	Late      AttendanceCode = "о" // опоздал
	lateAlias AttendanceCode = "п" // опоздал, as some schools write it
)

// ParseAttendanceCode reads a code as a teacher types it: н, б, у, о, or
// blank for present, in either case and with surrounding spaces; п is taken
// as о (late), as the regulation also writes it. Latin look-alikes (H, y, o)
// are refused rather than guessed: a code that is silently read as another
// would misreport a child to the parents, and the journal's own forms send
// the Cyrillic letters.
func ParseAttendanceCode(s string) (AttendanceCode, bool) {
	c := AttendanceCode(strings.ToLower(strings.TrimSpace(s)))
	switch c {
	case lateAlias:
		return Late, true
	case Present, Absent, Ill, Excused, Late:
		return c, true
	}
	return "", false
}

// Valid reports whether c is one of the stored codes (the alias п is not).
func (c AttendanceCode) Valid() bool {
	switch c {
	case Present, Absent, Ill, Excused, Late:
		return true
	}
	return false
}

// Missed reports whether c means the student missed the lesson.
func (c AttendanceCode) Missed() bool { return c == Absent || c == Ill || c == Excused }

// AttendanceRecord is one student's attendance at one lesson. A record is
// kept for every student of a lesson whose attendance was taken, present
// ones included, so that totals know how many lessons each student had.
type AttendanceRecord struct {
	SchoolID  string         `json:"school_id"`
	LessonID  string         `json:"lesson_id"`
	ClassID   string         `json:"class_id"`
	StudentID string         `json:"student_id"`
	Date      Date           `json:"date"`
	Code      AttendanceCode `json:"code"`
	// Reason is why an absence was excused (see Justify).
	Reason string `json:"reason,omitempty"`
	// JustifiedBy is who turned н into у.
	JustifiedBy string    `json:"justified_by,omitempty"`
	Version     int64     `json:"version"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate checks the record's own fields.
func (r *AttendanceRecord) Validate() error {
	p := Problems{}
	checkRequiredIDs(p, map[string]string{"lesson_id": r.LessonID, "class_id": r.ClassID, "student_id": r.StudentID})
	if !r.Date.Valid() {
		p.Add("date", dateText)
	}
	if !r.Code.Valid() {
		p.Add("code", T("Отметка посещаемости: н, б, у, о или пусто.", "An attendance code is н, б, у, о or blank."))
	}
	checkText(p, "reason", r.Reason, 500, false)
	checkOptionalID(p, "justified_by", r.JustifiedBy)
	return p.Err()
}

// Justify turns an absence without reason (н) into an excused one (у), as
// the class teacher does on a parent's note; reason is required. Who may
// justify is a matter of access rights, not of this rule.
func (r *AttendanceRecord) Justify(reason, by string) error {
	p := Problems{}
	if r.Code != Absent {
		p.Add("code", T("Уважительной можно признать только отметку «н».", "Only an absence without reason (н) can be excused."))
	}
	if strings.TrimSpace(reason) == "" {
		p.Add("reason", T("Укажите причину отсутствия.", "Give the reason for the absence."))
	}
	checkText(p, "reason", reason, 500, false)
	if !ValidID(by) {
		p.Add("justified_by", requiredText)
	}
	if err := p.Err(); err != nil {
		return err
	}
	r.Code, r.Reason, r.JustifiedBy = Excused, reason, by
	return nil
}

// AttendanceTotals sums attendance records.
type AttendanceTotals struct {
	// Lessons is the number of records: lessons at which attendance was taken.
	Lessons int `json:"lessons"`
	Present int `json:"present"`
	// Missed is Ill + Excused + Unexcused.
	Missed    int `json:"missed"`
	Ill       int `json:"ill"`
	Excused   int `json:"excused"`
	Unexcused int `json:"unexcused"`
	Late      int `json:"late"`
	// Percent is (Present + Late) × 100 / Lessons, rounded to two decimals;
	// 0 when there were no lessons.
	Percent Hundredths `json:"percent"`
}

func (t *AttendanceTotals) add(c AttendanceCode) {
	t.Lessons++
	switch c {
	case Present:
		t.Present++
	case Late:
		t.Late++
	case Ill:
		t.Ill++
	case Excused:
		t.Excused++
	case Absent:
		t.Unexcused++
	}
	if c.Missed() {
		t.Missed++
	}
	t.Percent = Hundredths((int64(t.Present+t.Late)*10000*2 + int64(t.Lessons)) / (int64(t.Lessons) * 2))
}

// TotalAttendance sums the records dated from to to, both included.
func TotalAttendance(records []*AttendanceRecord, from, to Date) AttendanceTotals {
	return attendanceBy(records, from, to, func(*AttendanceRecord) string { return "" })[""]
}

// AttendanceByStudent sums the records dated from to to for each student.
func AttendanceByStudent(records []*AttendanceRecord, from, to Date) map[string]AttendanceTotals {
	return attendanceBy(records, from, to, func(r *AttendanceRecord) string { return r.StudentID })
}

// AttendanceByClass sums the records dated from to to for each class.
func AttendanceByClass(records []*AttendanceRecord, from, to Date) map[string]AttendanceTotals {
	return attendanceBy(records, from, to, func(r *AttendanceRecord) string { return r.ClassID })
}

func attendanceBy(records []*AttendanceRecord, from, to Date, key func(*AttendanceRecord) string) map[string]AttendanceTotals {
	totals := map[string]AttendanceTotals{}
	for _, r := range records {
		if r.Date < from || r.Date > to {
			continue
		}
		t := totals[key(r)]
		t.add(r.Code)
		totals[key(r)] = t
	}
	return totals
}
