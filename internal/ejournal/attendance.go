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
	// Reason is why a missed lesson was justified (see Justify).
	Reason string `json:"reason,omitempty"`
	// Document names the paper that proves the reason, e.g. "справка".
	Document string `json:"document,omitempty"`
	// JustifiedBy is who justified the absence; JustifiedByName their
	// name as it was then, so that a list of absences needs no read of
	// people; JustifiedAt when.
	JustifiedBy     string    `json:"justified_by,omitempty"`
	JustifiedByName string    `json:"justified_by_name,omitempty"`
	JustifiedAt     time.Time `json:"justified_at,omitzero"`
	Version         int64     `json:"version"`
	UpdatedAt       time.Time `json:"updated_at"`
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
	checkText(p, "document", r.Document, maxDocument, false)
	checkOptionalID(p, "justified_by", r.JustifiedBy)
	checkText(p, "justified_by_name", r.JustifiedByName, 200, false)
	return p.Err()
}

// maxDocument bounds the note of a justifying document.
const maxDocument = 200

// Justification is what the class teacher records when a missed lesson is
// explained, on a parent's note or a doctor's certificate: the code it
// becomes (б ill or у excused), the reason, and optionally the document
// that proves it.
type Justification struct {
	Code     AttendanceCode
	Reason   string
	Document string
}

// Justify records j on a missed lesson, as the class teacher does: an
// absence without reason (н) becomes ill (б) or excused (у), and one
// already ill or excused may be justified again (a certificate that came
// later, a corrected reason). Present and late records cannot be
// justified. by and byName are who justifies, at is when. It reports
// whether the record changed: the same justification again changes
// nothing, so a request sent twice writes once. Who may justify is a
// matter of access rights, not of this rule.
func (r *AttendanceRecord) Justify(j Justification, by, byName string, at time.Time) (bool, error) {
	p := Problems{}
	switch {
	case !r.Code.Missed():
		p.Add("code", T("Оправдать можно только пропуск урока: «н», «б» или «у».", "Only a missed lesson (н, б or у) can be justified."))
	case j.Code != Ill && j.Code != Excused:
		p.Add("code", T("Выберите «б» (по болезни) или «у» (по уважительной причине).", "Choose б (ill) or у (excused)."))
	}
	if strings.TrimSpace(j.Reason) == "" {
		p.Add("reason", T("Укажите причину отсутствия.", "Give the reason for the absence."))
	}
	checkText(p, "reason", j.Reason, 500, false)
	checkText(p, "document", j.Document, maxDocument, false)
	if !ValidID(by) {
		p.Add("justified_by", requiredText)
	}
	if err := p.Err(); err != nil {
		return false, err
	}
	if r.Code == j.Code && r.Reason == j.Reason && r.Document == j.Document {
		return false, nil
	}
	r.Code, r.Reason, r.Document = j.Code, j.Reason, j.Document
	r.JustifiedBy, r.JustifiedByName, r.JustifiedAt = by, byName, at.UTC()
	return true, nil
}

// Absence is a missed lesson (н, б or у) as a class's list of absences
// shows it: the record with its lesson's subject and period.
type Absence struct {
	AttendanceRecord
	SubjectID string `json:"subject_id"`
	Period    int    `json:"period"`
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
