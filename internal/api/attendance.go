package api

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

// AttendanceService keeps attendance; the DynamoDB store implements it.
// Its methods return the error codes of the ejournal package.
type AttendanceService interface {
	// LessonAttendance returns the records of lesson l.
	LessonAttendance(ctx context.Context, l *ejournal.Lesson) ([]*ejournal.AttendanceRecord, error)
	// SetLessonAttendance sets the codes of the students of records at l,
	// writing only what changes; it returns the lesson's records after the
	// change and how many changed (ECONFLICT on a concurrent change).
	SetLessonAttendance(ctx context.Context, l *ejournal.Lesson, records []ejournal.AttendanceRecord) ([]*ejournal.AttendanceRecord, int, error)
	// Justify records j on a student's missed lesson at l (н becomes б or
	// у, or a justified absence is justified again); version, when not 0,
	// is the version the caller saw (ECONFLICT when stale). The same
	// justification again writes nothing.
	Justify(ctx context.Context, l *ejournal.Lesson, studentID string, j ejournal.Justification, version int64) (*ejournal.AttendanceRecord, error)
	// StudentAttendance returns a student's records dated from..to.
	StudentAttendance(ctx context.Context, schoolID, studentID string, from, to ejournal.Date) ([]*ejournal.AttendanceRecord, error)
	// ClassAttendance returns the records of a class's lessons dated from..to.
	ClassAttendance(ctx context.Context, schoolID, classID string, from, to ejournal.Date) ([]*ejournal.AttendanceRecord, error)
	// ClassAbsences returns the missed lessons (н, б, у) of a class's
	// lessons dated from..to, with their subjects and periods.
	ClassAbsences(ctx context.Context, schoolID, classID string, from, to ejournal.Date) ([]*ejournal.Absence, error)
}

// maxAttendanceRecords bounds a lesson's attendance request; a class has
// far fewer students.
const maxAttendanceRecords = 200

func (s *Server) attendanceRoutes() []Route {
	return []Route{
		{Function: FuncAttendance, Method: http.MethodGet, Pattern: "/v1/lessons/{id}/attendance", handle: s.lessonAttendance},
		{Function: FuncAttendance, Method: http.MethodPut, Pattern: "/v1/lessons/{id}/attendance", handle: s.setLessonAttendance},
		{Function: FuncAttendance, Method: http.MethodPost, Pattern: "/v1/lessons/{id}/attendance/{student_id}/justify", handle: s.justifyAbsence},
		{Function: FuncAttendance, Method: http.MethodGet, Pattern: "/v1/students/{id}/attendance", handle: s.studentAttendance},
		{Function: FuncAttendance, Method: http.MethodGet, Pattern: "/v1/classes/{id}/attendance", handle: s.classAttendance},
		{Function: FuncAttendance, Method: http.MethodGet, Pattern: "/v1/classes/{id}/absences", handle: s.classAbsences},
	}
}

// attendanceLesson loads the lesson {id} of the caller's school and checks
// the caller may use c on it (or, with class set, on its class). Unlike
// loadLesson, JournalRead is not widened to the class's students and
// parents: a lesson's attendance names every student.
func (s *Server) attendanceLesson(r *http.Request, c access.Capability, class bool) (*ejournal.Lesson, error) {
	pr := ejournal.PrincipalFrom(r.Context())
	l, err := s.Lessons.Lesson(r.Context(), pr.SchoolID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	t := lessonTarget(l)
	if class {
		t = access.ClassTarget(l.SchoolID, l.ClassID, "")
	}
	return l, access.Require(pr, c, t)
}

func (s *Server) lessonAttendance(w http.ResponseWriter, r *http.Request) error {
	l, err := s.attendanceLesson(r, access.JournalRead, false)
	if err != nil {
		return err
	}
	records, err := s.Attendance.LessonAttendance(r.Context(), l)
	if err != nil {
		return err
	}
	writeList(w, records)
	return nil
}

// attendanceRequest is the body of PUT /v1/lessons/{id}/attendance.
type attendanceRequest struct {
	Records []struct {
		StudentID string `json:"student_id"`
		Code      string `json:"code"`
	} `json:"records"`
}

// decodeAttendance reads an attendance request: each code as a teacher
// types it (ParseAttendanceCode), each student once and, when roster is
// given, in it. Field errors name records[i].code and records[i].student_id.
func decodeAttendance(body []byte, roster map[string]bool) ([]ejournal.AttendanceRecord, error) {
	var req attendanceRequest
	if err := decodeJSON(body, &req); err != nil {
		return nil, err
	}
	p := ejournal.Problems{}
	switch {
	case req.Records == nil:
		p.Add("records", ejournal.T("Укажите отметки учеников.", "Give the students' records."))
	case len(req.Records) > maxAttendanceRecords:
		p.Add("records", ejournal.T(fmt.Sprintf("Не больше %d записей.", maxAttendanceRecords), fmt.Sprintf("At most %d records.", maxAttendanceRecords)))
	}
	out := make([]ejournal.AttendanceRecord, 0, len(req.Records))
	seen := map[string]bool{}
	for i, rec := range req.Records {
		field := fmt.Sprintf("records[%d].", i)
		switch {
		case !ejournal.ValidID(rec.StudentID):
			p.Add(field+"student_id", ejournal.T("Укажите ученика.", "Give the student."))
		case seen[rec.StudentID]:
			p.Add(field+"student_id", ejournal.T("Ученик указан дважды.", "The student is given twice."))
		case roster != nil && !roster[rec.StudentID]:
			p.Add(field+"student_id", ejournal.T("Ученика нет в классе этого урока.", "The student is not in the lesson's class."))
		}
		seen[rec.StudentID] = true
		code, ok := ejournal.ParseAttendanceCode(rec.Code)
		if !ok {
			p.Add(field+"code", ejournal.T("Неизвестная отметка: н, б, у, о (п) или пусто.", "Unknown code: н, б, у, о (п) or blank."))
		}
		out = append(out, ejournal.AttendanceRecord{StudentID: rec.StudentID, Code: code})
	}
	return out, p.Err()
}

// setLessonAttendanceResult is the answer of PUT /v1/lessons/{id}/attendance.
type setLessonAttendanceResult struct {
	Records []*ejournal.AttendanceRecord `json:"records"`
	Changed int                          `json:"changed"`
}

func (s *Server) setLessonAttendance(w http.ResponseWriter, r *http.Request) error {
	l, err := s.attendanceLesson(r, access.AttendanceWrite, false)
	if err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	students, err := s.Directory.ClassStudents(r.Context(), l.SchoolID, l.ClassID)
	if err != nil {
		return err
	}
	roster := make(map[string]bool, len(students))
	for _, p := range students {
		roster[p.ID] = true
	}
	records, err := decodeAttendance(body, roster)
	if err != nil {
		return err
	}
	all, changed, err := s.Attendance.SetLessonAttendance(r.Context(), l, records)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, setLessonAttendanceResult{Records: all, Changed: changed})
	return nil
}

// justifyRequest is the body of POST …/attendance/{student_id}/justify.
type justifyRequest struct {
	Reason string `json:"reason"`
	// Code is б or у (the default).
	Code     string `json:"code"`
	Document string `json:"document"`
	// Version is the record's version the caller saw; 0 or absent skips
	// the check.
	Version int64 `json:"version"`
}

func (s *Server) justifyAbsence(w http.ResponseWriter, r *http.Request) error {
	l, err := s.attendanceLesson(r, access.AbsenceJustify, true)
	if err != nil {
		return err
	}
	var req justifyRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	j := ejournal.Justification{Code: ejournal.Excused, Reason: strings.TrimSpace(req.Reason), Document: strings.TrimSpace(req.Document)}
	bad := ejournal.Problems{}
	if strings.TrimSpace(req.Code) != "" {
		code, ok := ejournal.ParseAttendanceCode(req.Code)
		if !ok || (code != ejournal.Ill && code != ejournal.Excused) {
			bad.Add("code", ejournal.T("Выберите «б» (по болезни) или «у» (по уважительной причине).", "Choose б (ill) or у (excused)."))
		}
		j.Code = code
	}
	if req.Version < 0 {
		bad.Add("version", ejournal.T("Неверная версия записи.", "Invalid record version."))
	}
	if err := bad.Err(); err != nil {
		return err
	}
	rec, err := s.Attendance.Justify(r.Context(), l, r.PathValue("student_id"), j, req.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

// period reads the required query parameters from and to (YYYY-MM-DD,
// from ≤ to).
func period(r *http.Request) (from, to ejournal.Date, err error) {
	from, fromOK := ejournal.ParseDate(r.URL.Query().Get("from"))
	to, toOK := ejournal.ParseDate(r.URL.Query().Get("to"))
	bad := ejournal.Problems{}
	if !fromOK {
		bad.Add("from", ejournal.T("Укажите начало периода: дата в формате ГГГГ-ММ-ДД.", "Give the period's start: a date in YYYY-MM-DD form."))
	}
	if !toOK {
		bad.Add("to", ejournal.T("Укажите конец периода: дата в формате ГГГГ-ММ-ДД.", "Give the period's end: a date in YYYY-MM-DD form."))
	} else if fromOK && to < from {
		bad.Add("to", ejournal.T("Конец периода раньше его начала.", "The period ends before it starts."))
	}
	return from, to, bad.Err()
}

// attendanceTotals is a student's totals for a period.
type attendanceTotals struct {
	From   ejournal.Date             `json:"from"`
	To     ejournal.Date             `json:"to"`
	Totals ejournal.AttendanceTotals `json:"totals"`
}

// classAttendanceTotals are a class's totals for a period: Lessons counts
// every student's lessons added up; Students has each student's own, by
// student id.
type classAttendanceTotals struct {
	attendanceTotals
	Students []studentAttendance `json:"students"`
}

type studentAttendance struct {
	StudentID string                    `json:"student_id"`
	Totals    ejournal.AttendanceTotals `json:"totals"`
}

func (s *Server) studentAttendance(w http.ResponseWriter, r *http.Request) error {
	p, err := s.readPerson(r, studentsKind, access.DiaryRead)
	if err != nil {
		return err
	}
	from, to, err := period(r)
	if err != nil {
		return err
	}
	records, err := s.Attendance.StudentAttendance(r.Context(), p.SchoolID, p.ID, from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, attendanceTotals{From: from, To: to, Totals: ejournal.TotalAttendance(records, from, to)})
	return nil
}

func (s *Server) classAttendance(w http.ResponseWriter, r *http.Request) error {
	pr := ejournal.PrincipalFrom(r.Context())
	c, err := s.Directory.Class(r.Context(), pr.SchoolID, r.PathValue("id"))
	if err != nil {
		return err
	}
	// The totals cover every subject of the class: the class teacher and the
	// administration, not a teacher of some of its subjects.
	if !access.CanWholeClass(pr, access.JournalRead, c.SchoolID, c.ID) {
		return access.Forbidden()
	}
	from, to, err := period(r)
	if err != nil {
		return err
	}
	records, err := s.Attendance.ClassAttendance(r.Context(), c.SchoolID, c.ID, from, to)
	if err != nil {
		return err
	}
	out := classAttendanceTotals{attendanceTotals{from, to, ejournal.TotalAttendance(records, from, to)}, []studentAttendance{}}
	byStudent := ejournal.AttendanceByStudent(records, from, to)
	for _, id := range slices.Sorted(maps.Keys(byStudent)) {
		out.Students = append(out.Students, studentAttendance{StudentID: id, Totals: byStudent[id]})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// absence is one missed lesson of a class's list of absences, with the
// names a class teacher reads.
type absence struct {
	LessonID        string                  `json:"lesson_id"`
	Date            ejournal.Date           `json:"date"`
	Period          int                     `json:"period"`
	SubjectID       string                  `json:"subject_id"`
	SubjectName     string                  `json:"subject_name,omitempty"`
	StudentID       string                  `json:"student_id"`
	StudentName     string                  `json:"student_name,omitempty"`
	Code            ejournal.AttendanceCode `json:"code"`
	Reason          string                  `json:"reason,omitempty"`
	Document        string                  `json:"document,omitempty"`
	JustifiedBy     string                  `json:"justified_by,omitempty"`
	JustifiedByName string                  `json:"justified_by_name,omitempty"`
	JustifiedAt     time.Time               `json:"justified_at,omitzero"`
	Version         int64                   `json:"version"`
}

// classAbsences is the answer of GET /v1/classes/{id}/absences.
type classAbsences struct {
	From  ejournal.Date `json:"from"`
	To    ejournal.Date `json:"to"`
	Items []absence     `json:"items"`
}

// classAbsences lists a class's missed lessons of a period: concurrently
// one Query of the class's attendance (filtered to н, б, у), one of its
// roster and one of the school's subjects, then a GetItem per student no
// longer in the class, for the name.
func (s *Server) classAbsences(w http.ResponseWriter, r *http.Request) error {
	pr := ejournal.PrincipalFrom(r.Context())
	c, err := s.Directory.Class(r.Context(), pr.SchoolID, r.PathValue("id"))
	if err != nil {
		return err
	}
	// Like the totals: every subject of the class, so the class teacher and
	// the administration.
	if !access.CanWholeClass(pr, access.JournalRead, c.SchoolID, c.ID) {
		return access.Forbidden()
	}
	from, to, err := period(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	var (
		absences []*ejournal.Absence
		students = map[string]string{}
		subjects = map[string]string{}
	)
	err = concurrentReads([]func() error{
		func() (err error) {
			absences, err = s.Attendance.ClassAbsences(ctx, c.SchoolID, c.ID, from, to)
			return err
		},
		func() error {
			roster, err := s.Directory.ClassStudents(ctx, c.SchoolID, c.ID)
			for _, p := range roster {
				students[p.ID] = p.FullName()
			}
			return err
		},
		func() error {
			all, err := s.Directory.Subjects(ctx, c.SchoolID)
			for _, sub := range all {
				subjects[sub.ID] = sub.Name
			}
			return err
		},
	})
	if err != nil {
		return err
	}
	// A student who has left the class keeps the absences of their time in it.
	for _, a := range absences {
		if _, ok := students[a.StudentID]; ok {
			continue
		}
		p, err := s.Directory.Person(ctx, c.SchoolID, a.StudentID)
		switch {
		case err == nil:
			students[a.StudentID] = p.FullName()
		case ejournal.ErrorCode(err) == ejournal.ENOTFOUND:
			students[a.StudentID] = ""
		default:
			return err
		}
	}
	out := classAbsences{From: from, To: to, Items: make([]absence, 0, len(absences))}
	for _, a := range absences {
		out.Items = append(out.Items, absence{
			LessonID: a.LessonID, Date: a.Date, Period: a.Period, SubjectID: a.SubjectID, SubjectName: subjects[a.SubjectID],
			StudentID: a.StudentID, StudentName: students[a.StudentID], Code: a.Code, Reason: a.Reason, Document: a.Document,
			JustifiedBy: a.JustifiedBy, JustifiedByName: a.JustifiedByName, JustifiedAt: a.JustifiedAt, Version: a.Version,
		})
	}
	slices.SortStableFunc(out.Items, func(a, b absence) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Period, b.Period), strings.Compare(a.LessonID, b.LessonID),
			strings.Compare(a.StudentName, b.StudentName), strings.Compare(a.StudentID, b.StudentID))
	})
	writeJSON(w, http.StatusOK, out)
	return nil
}
