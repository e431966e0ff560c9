package api

import (
	"net/http"
	"strconv"
	"unicode/utf8"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

func (s *Server) markRoutes() []Route {
	return []Route{
		{Function: FuncGrading, Method: http.MethodPost, Pattern: "/v1/lessons/{id}/marks", handle: s.createMarks},
		{Function: FuncGrading, Method: http.MethodPatch, Pattern: "/v1/marks/{id}", handle: s.patchMark},
		{Function: FuncGrading, Method: http.MethodDelete, Pattern: "/v1/marks/{id}", handle: s.deleteMark},
		{Function: FuncGrading, Method: http.MethodGet, Pattern: "/v1/classes/{id}/term-marks", handle: s.termSheet},
		{Function: FuncGrading, Method: http.MethodPut, Pattern: "/v1/term-marks", handle: s.putTermMark},
		{Function: FuncGrading, Method: http.MethodDelete, Pattern: "/v1/term-marks/{student_id}/{subject_id}/{term_id}", handle: s.deleteTermMark},
		{Function: FuncGrading, Method: http.MethodGet, Pattern: "/v1/students/{id}/debts", handle: s.studentDebts},
		{Function: FuncGrading, Method: http.MethodPost, Pattern: "/v1/students/{id}/debts/close", handle: s.closeDebt},
	}
}

// marksInput is the body of POST /v1/lessons/{id}/marks.
type marksInput struct {
	Marks []struct {
		StudentID string `json:"student_id"`
		Value     int    `json:"value"`
		WorkType  string `json:"work_type"`
		Comment   string `json:"comment"`
	} `json:"marks"`
}

// marksOutput is the answer to POST /v1/lessons/{id}/marks.
type marksOutput struct {
	Marks []*ejournal.Mark `json:"marks"`
}

func (s *Server) createMarks(w http.ResponseWriter, r *http.Request) error {
	l, err := s.loadLesson(r, access.MarksWrite)
	if err != nil {
		return err
	}
	var in marksInput
	if err := decode(r, &in); err != nil {
		return err
	}
	key := r.Header.Get("Idempotency-Key")
	if utf8.RuneCountInString(key) > maxIdempotencyKey {
		return ejournal.Problems{"Idempotency-Key": ejournal.T("Ключ повтора — не длиннее 200 символов.", "The idempotency key is at most 200 characters.")}.Err()
	}
	p := ejournal.PrincipalFrom(r.Context())
	marks := make([]*ejournal.Mark, len(in.Marks))
	for i, m := range in.Marks {
		marks[i] = &ejournal.Mark{StudentID: m.StudentID, Value: m.Value, WorkType: m.WorkType, Comment: m.Comment}
		if key != "" {
			// A retry with the same key names the same marks.
			marks[i].ID = l.ID + "_" + ejournal.MarkIDFor(l.ID, p.PersonID, key, i)
		}
	}
	if err := s.Marks.CreateMarks(r.Context(), l, marks); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, marksOutput{Marks: marks})
	return nil
}

// markEdit finds the lesson of the mark {id} and what the caller may do
// to its marks: edit them inside the edit window (marks.write on the
// lesson) or past it (the late-edit permission, the head teacher's).
func (s *Server) markEdit(r *http.Request, version int64, reason string) (*ejournal.Lesson, ejournal.MarkChange, error) {
	p := ejournal.PrincipalFrom(r.Context())
	l, err := s.Marks.MarkLesson(r.Context(), p.SchoolID, r.PathValue("id"))
	if err != nil {
		return nil, ejournal.MarkChange{}, err
	}
	t := lessonTarget(l)
	ch := ejournal.MarkChange{Version: version, Reason: reason, MayEdit: access.Can(p, access.MarksWrite, t), MayEditLate: access.Can(p, access.MarksLateEdit, t)}
	if !ch.MayEdit && !ch.MayEditLate {
		return nil, ch, access.Forbidden()
	}
	return l, ch, nil
}

// markPatch is the body of PATCH /v1/marks/{id}; absent fields keep their
// values.
type markPatch struct {
	Value    *int    `json:"value"`
	Comment  *string `json:"comment"`
	WorkType *string `json:"work_type"`
	Version  int64   `json:"version"`
	Reason   string  `json:"reason"`
}

func (s *Server) patchMark(w http.ResponseWriter, r *http.Request) error {
	var in markPatch
	if err := decode(r, &in); err != nil {
		return err
	}
	p := ejournal.Problems{}
	if in.Value != nil && *in.Value == 0 {
		// 0 would mean "keep the value" to the store.
		p.Add("value", ejournal.T("Отметка — целое число от 1 до 5; чтобы не менять её, не передавайте value.", "A mark is a whole number from 1 to 5; leave value out to keep it."))
	}
	if in.WorkType != nil && !ejournal.ValidID(*in.WorkType) {
		p.Add("work_type", ejournal.T("Укажите вид работы из списка видов работ школы.", "Give one of the school's work types."))
	}
	if err := p.Err(); err != nil {
		return err
	}
	l, ch, err := s.markEdit(r, in.Version, in.Reason)
	if err != nil {
		return err
	}
	ch.Comment = in.Comment
	if in.Value != nil {
		ch.Value = *in.Value
	}
	if in.WorkType != nil {
		ch.WorkType = *in.WorkType
	}
	m, err := s.Marks.UpdateMark(r.Context(), l, r.PathValue("id"), ch)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (s *Server) deleteMark(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	// A missing or malformed version is 0, which the store refuses naming "version".
	version, _ := strconv.ParseInt(q.Get("version"), 10, 64)
	l, ch, err := s.markEdit(r, version, q.Get("reason"))
	if err != nil {
		return err
	}
	m, err := s.Marks.DeleteMark(r.Context(), l, r.PathValue("id"), ch)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

// termSuggestion is the suggested term mark with how it was reached.
type termSuggestion struct {
	ejournal.Suggestion
	Explanation string `json:"explanation"`
}

// termSheetRow is one student of GET /v1/classes/{id}/term-marks.
type termSheetRow struct {
	StudentID string             `json:"student_id"`
	FullName  string             `json:"full_name"`
	Suggested termSuggestion     `json:"suggested"`
	Confirmed *ejournal.TermMark `json:"confirmed"`
}

func (s *Server) termSheet(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	subject, err := queryID(r, "subject_id")
	if err != nil {
		return err
	}
	if err := access.Require(p, access.JournalRead, access.ClassTarget(p.SchoolID, r.PathValue("id"), subject)); err != nil {
		return err
	}
	rows, err := s.Marks.TermSheet(r.Context(), p.SchoolID, r.PathValue("id"), subject, r.URL.Query().Get("term_id"))
	if err != nil {
		return err
	}
	out := make([]termSheetRow, len(rows))
	for i, row := range rows {
		out[i] = termSheetRow{
			StudentID: row.Student.ID, FullName: row.Student.FullName(), Confirmed: row.Confirmed,
			Suggested: termSuggestion{Suggestion: row.Suggestion, Explanation: row.Suggestion.Explain().In(info(r).lang)},
		}
	}
	writeList(w, out)
	return nil
}

// termMarkInput is the body of PUT /v1/term-marks.
type termMarkInput struct {
	StudentID string             `json:"student_id"`
	SubjectID string             `json:"subject_id"`
	TermID    string             `json:"term_id"`
	Value     ejournal.TermValue `json:"value"`
	Version   int64              `json:"version"`
}

// bodyStudent reads the student a request body names in field; a missing
// one is a bad request naming the field.
func (s *Server) bodyStudent(r *http.Request, id, field string) (*ejournal.Person, error) {
	p, err := s.Directory.Person(r.Context(), ejournal.PrincipalFrom(r.Context()).SchoolID, id)
	switch {
	case ejournal.ErrorCode(err) == ejournal.ENOTFOUND || err == nil && p.Kind != ejournal.Student:
		return nil, ejournal.Problems{field: ejournal.T("Ученик не найден в этой школе.", "Student not found in this school.")}.Err()
	case err != nil:
		return nil, err
	}
	return p, nil
}

func (s *Server) putTermMark(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	var in termMarkInput
	if err := decode(r, &in); err != nil {
		return err
	}
	student, err := s.bodyStudent(r, in.StudentID, "student_id")
	if err != nil {
		return err
	}
	if err := access.Require(p, access.MarksWrite, access.ClassTarget(p.SchoolID, student.InClass(), in.SubjectID)); err != nil {
		return err
	}
	m := &ejournal.TermMark{SubjectID: in.SubjectID, Period: in.TermID, Value: in.Value, Version: in.Version}
	if err := s.Marks.SetTermMark(r.Context(), student, m); err != nil {
		return err
	}
	status := http.StatusOK
	if in.Version == 0 {
		status = http.StatusCreated
	}
	writeJSON(w, status, m)
	return nil
}

// deleteTermMark removes a confirmed term or year mark, keyed as PUT
// /v1/term-marks names it: the student, the subject and the term (or year)
// of the school year of the student's class; ?version= is the version read.
// The rights are those of setting it.
func (s *Server) deleteTermMark(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	version, err := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64)
	if err != nil || version < 1 {
		return ejournal.Problems{"version": ejournal.T("Укажите версию удаляемой итоговой отметки.", "Give the version of the term mark you remove.")}.Err()
	}
	student, err := s.loadPerson(r, studentsKind, "student_id")
	if err != nil {
		return err
	}
	subject := r.PathValue("subject_id")
	if err := access.Require(p, access.MarksWrite, access.ClassTarget(p.SchoolID, student.InClass(), subject)); err != nil {
		return err
	}
	m, err := s.Marks.DeleteTermMark(r.Context(), student, subject, r.PathValue("term_id"), version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (s *Server) studentDebts(w http.ResponseWriter, r *http.Request) error {
	student, err := s.readPerson(r, studentsKind, access.DiaryRead)
	if err != nil {
		return err
	}
	debts, err := s.Marks.Debts(r.Context(), student.SchoolID, student.ID)
	if err != nil {
		return err
	}
	writeList(w, debts)
	return nil
}

// debtClose is the body of POST /v1/students/{id}/debts/close.
type debtClose struct {
	SubjectID string `json:"subject_id"`
	TermID    string `json:"term_id"`
	// YearID defaults to the school year of the student's class.
	YearID      string        `json:"year_id"`
	RetakeValue int           `json:"retake_value"`
	RetakeDate  ejournal.Date `json:"retake_date"`
	Version     int64         `json:"version"`
}

func (s *Server) closeDebt(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	student, err := s.loadPerson(r, studentsKind, "id")
	if err != nil {
		return err
	}
	var in debtClose
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := access.Require(p, access.MarksWrite, access.ClassTarget(p.SchoolID, student.InClass(), in.SubjectID)); err != nil {
		return err
	}
	if in.YearID == "" && student.InClass() != "" {
		c, err := s.Directory.Class(r.Context(), p.SchoolID, student.ClassID)
		if err != nil {
			return err
		}
		in.YearID = c.YearID
	}
	if !ejournal.ValidID(in.YearID) {
		return ejournal.Problems{"year_id": ejournal.T("Укажите учебный год задолженности.", "Give the school year of the debt.")}.Err()
	}
	d, err := s.Marks.CloseDebt(r.Context(), &ejournal.Debt{
		SchoolID: p.SchoolID, YearID: in.YearID, StudentID: student.ID, SubjectID: in.SubjectID, Period: in.TermID,
		RetakeValue: in.RetakeValue, RetakeDate: in.RetakeDate, Version: in.Version,
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}
