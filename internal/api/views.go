package api

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

// maxDiaryDays bounds the dates one diary request covers.
const maxDiaryDays = 62

func (s *Server) viewRoutes() []Route {
	return []Route{
		{Function: FuncGrading, Method: http.MethodGet, Pattern: "/v1/classes/{id}/journal", handle: s.classJournal},
		{Function: FuncGrading, Method: http.MethodGet, Pattern: "/v1/classes/{id}/overview", handle: s.classOverview},
		{Function: FuncGrading, Method: http.MethodGet, Pattern: "/v1/students/{id}/diary", handle: s.studentDiary},
		{Function: FuncGrading, Method: http.MethodGet, Pattern: "/v1/students/{id}/summary", handle: s.studentSummary},
	}
}

// viewMark is a mark as the views show it.
type viewMark struct {
	ID       string              `json:"id"`
	LessonID string              `json:"lesson_id"`
	Date     ejournal.Date       `json:"date"`
	Value    int                 `json:"value"`
	WorkType string              `json:"work_type"`
	Weight   ejournal.Hundredths `json:"weight"`
	Comment  string              `json:"comment,omitempty"`
	// Version is what an edit or removal of the mark sends.
	Version int64 `json:"version"`
}

// markID is a mark's public id, "<lesson>_<mark>".
func markID(m *ejournal.Mark) string {
	if strings.Contains(m.ID, "_") {
		return m.ID
	}
	return m.LessonID + "_" + m.ID
}

func showMark(m *ejournal.Mark) viewMark {
	return viewMark{ID: markID(m), LessonID: m.LessonID, Date: m.Date, Value: m.Value, WorkType: m.WorkType, Weight: m.Weight, Comment: m.Comment, Version: m.Version}
}

// grade is a student's result in one subject for a term: the average of
// the marks, the suggested and the confirmed term mark.
type grade struct {
	Marks int `json:"marks_count"`
	// Average is absent when there are no marks.
	Average   *ejournal.Hundredths `json:"average,omitempty"`
	Suggested ejournal.TermValue   `json:"suggested"`
	Explain   string               `json:"suggested_explain"`
	TermMark  ejournal.TermValue   `json:"term_mark,omitempty"`
}

func gradeOf(r *http.Request, marks []*ejournal.Mark, settings *ejournal.GradingSettings, term *ejournal.TermMark) grade {
	sg := ejournal.SuggestTermMark(marks, settings)
	g := grade{Marks: sg.Average.Count, Suggested: sg.Mark, Explain: sg.Explain().In(info(r).lang)}
	if sg.Average.Count > 0 {
		g.Average = &sg.Average.Value
	}
	if term != nil {
		g.TermMark = term.Value
	}
	return g
}

// termOf reads the class {id} (in the caller's school) and its school
// year, and finds the term ?term_id= names in it.
func (s *Server) termOf(r *http.Request, classID string) (*ejournal.Class, ejournal.Term, error) {
	sid := ejournal.PrincipalFrom(r.Context()).SchoolID
	termID, err := requiredQueryID(r, "term_id")
	if err != nil {
		return nil, ejournal.Term{}, err
	}
	c, err := s.Directory.Class(r.Context(), sid, classID)
	if err != nil {
		return nil, ejournal.Term{}, err
	}
	y, err := s.Directory.Year(r.Context(), sid, c.YearID)
	if err != nil {
		return nil, ejournal.Term{}, err
	}
	for _, t := range y.Terms {
		if t.ID == termID {
			return c, t, nil
		}
	}
	return nil, ejournal.Term{}, ejournal.Problems{"term_id": ejournal.T("В учебном году класса нет такого периода.", "The class's school year has no such term.")}.Err()
}

func requiredQueryID(r *http.Request, name string) (string, error) {
	v, err := queryID(r, name)
	if err == nil && v == "" {
		err = ejournal.Problems{name: ejournal.T("Обязательный параметр.", "A required parameter.")}.Err()
	}
	return v, err
}

// journalView is the class journal of one subject for a term.
type journalView struct {
	ClassID   string           `json:"class_id"`
	SubjectID string           `json:"subject_id"`
	Term      ejournal.Term    `json:"term"`
	Lessons   []journalLesson  `json:"lessons"`
	Students  []journalStudent `json:"students"`
}

type journalLesson struct {
	ID          string        `json:"id"`
	Date        ejournal.Date `json:"date"`
	Period      int           `json:"period"`
	GroupID     string        `json:"group_id,omitempty"`
	Topic       string        `json:"topic,omitempty"`
	Homework    string        `json:"homework,omitempty"`
	ControlWork bool          `json:"control_work"`
	// WorkType is the type marks given on the lesson without one get: the
	// lesson's, else the school's default.
	WorkType string `json:"work_type"`
}

type journalStudent struct {
	ID       string                    `json:"id"`
	FullName string                    `json:"full_name"`
	Cells    map[string]*cell          `json:"cells"`
	Totals   ejournal.AttendanceTotals `json:"attendance"`
	grade
}

// cell is what the journal shows for a student at a lesson.
type cell struct {
	Marks      []viewMark              `json:"marks"`
	Attendance ejournal.AttendanceCode `json:"attendance,omitempty"`
}

func (s *Server) classJournal(w http.ResponseWriter, r *http.Request) error {
	pr := ejournal.PrincipalFrom(r.Context())
	subject, err := requiredQueryID(r, "subject_id")
	if err != nil {
		return err
	}
	c, term, err := s.termOf(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := access.Require(pr, access.JournalRead, access.ClassTarget(pr.SchoolID, c.ID, subject)); err != nil {
		return err
	}
	j, err := s.Views.ClassJournal(r.Context(), pr.SchoolID, c.ID, subject, c.YearID, term)
	if err != nil {
		return err
	}
	v := journalView{ClassID: c.ID, SubjectID: subject, Term: term, Lessons: []journalLesson{}, Students: []journalStudent{}}
	slices.SortFunc(j.Lessons, func(a, b *ejournal.Lesson) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Period, b.Period), cmp.Compare(a.ID, b.ID))
	})
	for _, l := range j.Lessons {
		v.Lessons = append(v.Lessons, journalLesson{ID: l.ID, Date: l.Date, Period: l.Period, GroupID: l.GroupID, Topic: l.Topic, Homework: l.Homework, ControlWork: l.ControlWork, WorkType: j.Settings.LessonWorkType(l).ID})
	}
	marks := groupBy(j.Marks, func(m *ejournal.Mark) string { return m.StudentID })
	att := groupBy(j.Attendance, func(a *ejournal.AttendanceRecord) string { return a.StudentID })
	terms := indexBy(j.TermMarks, func(t *ejournal.TermMark) string { return t.StudentID })
	for _, p := range j.Students {
		st := journalStudent{ID: p.ID, FullName: p.FullName(), Cells: map[string]*cell{}, grade: gradeOf(r, marks[p.ID], j.Settings, terms[p.ID])}
		at := func(lesson string) *cell {
			if st.Cells[lesson] == nil {
				st.Cells[lesson] = &cell{Marks: []viewMark{}}
			}
			return st.Cells[lesson]
		}
		sortMarks(marks[p.ID])
		for _, m := range marks[p.ID] {
			c := at(m.LessonID)
			c.Marks = append(c.Marks, showMark(m))
		}
		for _, a := range att[p.ID] {
			if a.Code != ejournal.Present {
				at(a.LessonID).Attendance = a.Code
			}
		}
		st.Totals = ejournal.TotalAttendance(att[p.ID], term.Start, term.End)
		v.Students = append(v.Students, st)
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func groupBy[T any](xs []*T, key func(*T) string) map[string][]*T {
	out := map[string][]*T{}
	for _, x := range xs {
		out[key(x)] = append(out[key(x)], x)
	}
	return out
}

func indexBy[T any](xs []*T, key func(*T) string) map[string]*T {
	out := map[string]*T{}
	for _, x := range xs {
		out[key(x)] = x
	}
	return out
}

func sortMarks(ms []*ejournal.Mark) {
	slices.SortFunc(ms, func(a, b *ejournal.Mark) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
}

// overviewView is a class's results in every subject for a term.
type overviewView struct {
	ClassID  string            `json:"class_id"`
	Term     ejournal.Term     `json:"term"`
	Subjects []namedSubject    `json:"subjects"`
	Students []overviewStudent `json:"students"`
}

type namedSubject struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type overviewStudent struct {
	ID       string           `json:"id"`
	FullName string           `json:"full_name"`
	Subjects map[string]grade `json:"subjects"`
	// Attendance sums the student's attendance in all subjects.
	Attendance ejournal.AttendanceTotals `json:"attendance"`
}

func (s *Server) classOverview(w http.ResponseWriter, r *http.Request) error {
	pr := ejournal.PrincipalFrom(r.Context())
	c, term, err := s.termOf(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := access.Require(pr, access.JournalRead, access.ClassTarget(pr.SchoolID, c.ID, "")); err != nil {
		return err
	}
	o, err := s.Views.ClassOverview(r.Context(), pr.SchoolID, c.ID, c.YearID, term)
	if err != nil {
		return err
	}
	v := overviewView{ClassID: c.ID, Term: term, Subjects: []namedSubject{}, Students: []overviewStudent{}}
	var attendance []*ejournal.AttendanceRecord
	marks, terms := map[string]map[string][]*ejournal.Mark{}, map[string]map[string]*ejournal.TermMark{}
	for _, sub := range o.Subjects {
		// The overview shows every subject of the class, so it needs the
		// journal of each: a teacher of only some of them is refused.
		if err := access.Require(pr, access.JournalRead, access.ClassTarget(pr.SchoolID, c.ID, sub.ID)); err != nil {
			return err
		}
		j := o.Journals[sub.ID]
		v.Subjects = append(v.Subjects, namedSubject{ID: sub.ID, Name: sub.Name})
		attendance = append(attendance, j.Attendance...)
		marks[sub.ID] = groupBy(j.Marks, func(m *ejournal.Mark) string { return m.StudentID })
		terms[sub.ID] = indexBy(j.TermMarks, func(t *ejournal.TermMark) string { return t.StudentID })
	}
	totals := ejournal.AttendanceByStudent(attendance, term.Start, term.End)
	for _, p := range o.Students {
		st := overviewStudent{ID: p.ID, FullName: p.FullName(), Subjects: map[string]grade{}, Attendance: totals[p.ID]}
		for _, sub := range o.Subjects {
			st.Subjects[sub.ID] = gradeOf(r, marks[sub.ID][p.ID], o.Settings, terms[sub.ID][p.ID])
		}
		v.Students = append(v.Students, st)
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// readStudent loads the student {id} of the caller's school and checks the
// caller may read their diary.
func (s *Server) readStudent(r *http.Request) (*ejournal.Person, error) {
	return s.readPerson(r, studentsKind, access.DiaryRead)
}

// diaryView is a student's diary, day by day.
type diaryView struct {
	StudentID string                    `json:"student_id"`
	From      ejournal.Date             `json:"from"`
	To        ejournal.Date             `json:"to"`
	Days      []diaryDay                `json:"days"`
	Totals    ejournal.AttendanceTotals `json:"attendance"`
}

type diaryDay struct {
	Date    ejournal.Date  `json:"date"`
	Lessons []*diaryLesson `json:"lessons"`
}

type diaryLesson struct {
	LessonID      string                  `json:"lesson_id"`
	Period        int                     `json:"period,omitempty"`
	SubjectID     string                  `json:"subject_id,omitempty"`
	Subject       string                  `json:"subject,omitempty"`
	Topic         string                  `json:"topic,omitempty"`
	Homework      string                  `json:"homework,omitempty"`
	HomeworkLinks []string                `json:"homework_links,omitempty"`
	ControlWork   bool                    `json:"control_work"`
	Marks         []viewMark              `json:"marks"`
	Attendance    ejournal.AttendanceCode `json:"attendance,omitempty"`
	date          ejournal.Date
}

// diaryRange reads ?from= and ?to=: both required, from ≤ to, at most
// maxDiaryDays days.
func diaryRange(r *http.Request) (from, to ejournal.Date, err error) {
	p := ejournal.Problems{}
	var ok [2]bool
	for i, name := range []string{"from", "to"} {
		d, valid := ejournal.ParseDate(r.URL.Query().Get(name))
		if !valid {
			p.Add(name, ejournal.T("Дата в формате ГГГГ-ММ-ДД.", "A date as YYYY-MM-DD."))
		}
		ok[i] = valid
		if i == 0 {
			from = d
		} else {
			to = d
		}
	}
	if ok[0] && ok[1] {
		switch days := int(to.Time().Sub(from.Time()).Hours()/24) + 1; {
		case to < from:
			p.Add("to", ejournal.T("Конец периода раньше его начала.", "The range ends before it starts."))
		case days > maxDiaryDays:
			p.Add("to", ejournal.T("Не больше 62 дней за один запрос.", "At most 62 days in one request."))
		}
	}
	return from, to, p.Err()
}

func (s *Server) studentDiary(w http.ResponseWriter, r *http.Request) error {
	from, to, err := diaryRange(r)
	if err != nil {
		return err
	}
	p, err := s.readStudent(r)
	if err != nil {
		return err
	}
	d, err := s.Views.StudentDiary(r.Context(), p.SchoolID, p.ID, p.ClassID, from, to)
	if err != nil {
		return err
	}
	names := subjectNames(d.Subjects)
	lessons := map[string]*diaryLesson{}
	entry := func(id string, date ejournal.Date) *diaryLesson {
		if lessons[id] == nil {
			lessons[id] = &diaryLesson{LessonID: id, date: date, Marks: []viewMark{}}
		}
		return lessons[id]
	}
	for _, l := range d.Lessons {
		e := entry(l.ID, l.Date)
		e.Period, e.SubjectID, e.Subject, e.Topic, e.Homework, e.HomeworkLinks, e.ControlWork = l.Period, l.SubjectID, names[l.SubjectID], l.Topic, l.Homework, l.HomeworkLinks, l.ControlWork
	}
	slices.SortFunc(d.Marks, func(a, b *ejournal.SubjectMark) int { return a.CreatedAt.Compare(b.CreatedAt) })
	for _, m := range d.Marks {
		// A mark of a lesson outside the class's lessons (given before the
		// student moved class) still shows, under its subject.
		e := entry(m.LessonID, m.Date)
		if e.SubjectID == "" {
			e.SubjectID, e.Subject = m.SubjectID, names[m.SubjectID]
		}
		e.Marks = append(e.Marks, showMark(m.Mark))
	}
	for _, a := range d.Attendance {
		entry(a.LessonID, a.Date).Attendance = a.Code
	}
	all := make([]*diaryLesson, 0, len(lessons))
	for _, e := range lessons {
		all = append(all, e)
	}
	slices.SortFunc(all, func(a, b *diaryLesson) int {
		return cmp.Or(cmp.Compare(a.date, b.date), cmp.Compare(a.Period, b.Period), cmp.Compare(a.LessonID, b.LessonID))
	})
	v := diaryView{StudentID: p.ID, From: from, To: to, Days: []diaryDay{}, Totals: ejournal.TotalAttendance(d.Attendance, from, to)}
	for _, e := range all {
		if n := len(v.Days); n == 0 || v.Days[n-1].Date != e.date {
			v.Days = append(v.Days, diaryDay{Date: e.date})
		}
		day := &v.Days[len(v.Days)-1]
		day.Lessons = append(day.Lessons, e)
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func subjectNames(subjects []*ejournal.Subject) map[string]string {
	names := map[string]string{}
	for _, s := range subjects {
		names[s.ID] = s.Name
	}
	return names
}

// summaryView is a student's results for a term.
type summaryView struct {
	StudentID string           `json:"student_id"`
	Term      ejournal.Term    `json:"term"`
	Subjects  []summarySubject `json:"subjects"`
	// Debts are the academic debts of the school year, open or closed.
	Debts []summaryDebt `json:"debts"`
}

type summarySubject struct {
	ID    string     `json:"id"`
	Name  string     `json:"name"`
	Marks []viewMark `json:"marks"`
	grade
}

type summaryDebt struct {
	SubjectID string             `json:"subject_id"`
	Subject   string             `json:"subject"`
	Period    string             `json:"period"`
	Value     ejournal.TermValue `json:"value"`
	Closed    bool               `json:"closed"`
	// RetakeValue and RetakeDate are set once the debt is closed.
	RetakeValue int           `json:"retake_value,omitempty"`
	RetakeDate  ejournal.Date `json:"retake_date,omitempty"`
}

func (s *Server) studentSummary(w http.ResponseWriter, r *http.Request) error {
	p, err := s.readStudent(r)
	if err != nil {
		return err
	}
	if p.ClassID == "" {
		return ejournal.Problems{"term_id": ejournal.T("Ученик не числится в классе: учебный год не определён.", "The student is in no class, so the school year is unknown.")}.Err()
	}
	c, term, err := s.termOf(r, p.ClassID)
	if err != nil {
		return err
	}
	sum, err := s.Views.StudentSummary(r.Context(), p.SchoolID, p.ID, c.YearID, term)
	if err != nil {
		return err
	}
	names := subjectNames(sum.Subjects)
	marks := map[string][]*ejournal.Mark{}
	for _, m := range sum.Marks {
		marks[m.SubjectID] = append(marks[m.SubjectID], m.Mark)
	}
	terms := map[string]*ejournal.TermMark{}
	for _, t := range sum.TermMarks {
		if t.Period == term.ID {
			terms[t.SubjectID] = t
		}
	}
	v := summaryView{StudentID: p.ID, Term: term, Subjects: []summarySubject{}, Debts: []summaryDebt{}}
	for _, sub := range sum.Subjects {
		if marks[sub.ID] == nil && terms[sub.ID] == nil {
			continue
		}
		ss := summarySubject{ID: sub.ID, Name: sub.Name, Marks: []viewMark{}, grade: gradeOf(r, marks[sub.ID], sum.Settings, terms[sub.ID])}
		sortMarks(marks[sub.ID])
		for _, m := range marks[sub.ID] {
			ss.Marks = append(ss.Marks, showMark(m))
		}
		v.Subjects = append(v.Subjects, ss)
	}
	for _, d := range sum.Debts {
		v.Debts = append(v.Debts, summaryDebt{SubjectID: d.SubjectID, Subject: names[d.SubjectID], Period: d.Period, Value: d.Value, Closed: d.Closed(), RetakeValue: d.RetakeValue, RetakeDate: d.RetakeDate})
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}
