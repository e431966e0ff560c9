package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

func (s *Server) lessonRoutes() []Route {
	return []Route{
		{Function: FuncGrading, Method: http.MethodPost, Pattern: "/v1/lessons", handle: s.createLesson},
		{Function: FuncGrading, Method: http.MethodGet, Pattern: "/v1/lessons/{id}", handle: s.getLesson},
		{Function: FuncGrading, Method: http.MethodPatch, Pattern: "/v1/lessons/{id}", handle: s.patchLesson},
		{Function: FuncGrading, Method: http.MethodDelete, Pattern: "/v1/lessons/{id}", handle: s.deleteLesson},
		{Function: FuncGrading, Method: http.MethodGet, Pattern: "/v1/classes/{id}/lessons", handle: s.classLessons},
		{Function: FuncGrading, Method: http.MethodGet, Pattern: "/v1/teachers/{id}/lessons", handle: s.teacherLessons},
		{Function: FuncGrading, Method: http.MethodGet, Pattern: "/v1/work-types", handle: s.workTypes},
		{Function: FuncGrading, Method: http.MethodGet, Pattern: "/v1/grading-settings", handle: s.getGradingSettings},
		{Function: FuncGrading, Method: http.MethodPut, Pattern: "/v1/grading-settings", handle: s.putGradingSettings},
	}
}

// lessonTarget is the access target of a lesson: its class, group and
// subject, and its teacher, who may act on it whatever their assignments.
func lessonTarget(l *ejournal.Lesson) access.Target {
	return access.Target{SchoolID: l.SchoolID, ClassID: l.ClassID, GroupID: l.GroupID, SubjectID: l.SubjectID, TeacherID: l.TeacherID}
}

// canReadClassLessons reports whether p may see the lessons of a class:
// those who read its journal, and its students and their parents.
func canReadClassLessons(p *ejournal.Principal, t access.Target) bool {
	return access.Can(p, access.JournalRead, t) || access.Can(p, access.DiaryRead, access.ClassTarget(t.SchoolID, t.ClassID, ""))
}

// lessonInput is the body of POST /v1/lessons.
type lessonInput struct {
	Date          ejournal.Date `json:"date"`
	ClassID       string        `json:"class_id"`
	GroupID       string        `json:"group_id"`
	SubjectID     string        `json:"subject_id"`
	TeacherID     string        `json:"teacher_id"`
	Period        int           `json:"period"`
	Topic         string        `json:"topic"`
	Homework      string        `json:"homework"`
	HomeworkLinks []string      `json:"homework_links"`
	ControlWork   bool          `json:"control_work"`
	WorkType      string        `json:"work_type"`
}

func (s *Server) createLesson(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	var in lessonInput
	if err := decode(r, &in); err != nil {
		return err
	}
	// Without the teacher: a teacher may create lessons only of their own
	// class, group and subject, never by naming themself the teacher.
	t := access.Target{SchoolID: p.SchoolID, ClassID: in.ClassID, GroupID: in.GroupID, SubjectID: in.SubjectID}
	if err := access.Require(p, access.LessonsWrite, t); err != nil {
		return err
	}
	if in.TeacherID == "" {
		in.TeacherID = p.PersonID
	} else if in.TeacherID != p.PersonID && !access.Can(p, access.LessonsWrite, access.SchoolTarget(p.SchoolID)) {
		// Lessons of another teacher are the administration's to create.
		return access.Forbidden()
	}
	l := &ejournal.Lesson{
		SchoolID: p.SchoolID, Date: in.Date, ClassID: in.ClassID, GroupID: in.GroupID, SubjectID: in.SubjectID, TeacherID: in.TeacherID,
		Period: in.Period, Topic: in.Topic, Homework: in.Homework, HomeworkLinks: in.HomeworkLinks, ControlWork: in.ControlWork,
		WorkType: in.WorkType, Source: ejournal.ManualLesson,
	}
	if err := s.Lessons.CreateLesson(r.Context(), l); err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/lessons/"+l.ID)
	writeJSON(w, http.StatusCreated, l)
	return nil
}

// loadLesson reads the lesson {id} of the caller's school and checks the
// caller may use capability c on it.
func (s *Server) loadLesson(r *http.Request, c access.Capability) (*ejournal.Lesson, error) {
	p := ejournal.PrincipalFrom(r.Context())
	l, err := s.Lessons.Lesson(r.Context(), p.SchoolID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	ok := access.Can(p, c, lessonTarget(l))
	if c == access.JournalRead {
		ok = canReadClassLessons(p, lessonTarget(l))
	}
	if !ok {
		return nil, access.Forbidden()
	}
	return l, nil
}

func (s *Server) getLesson(w http.ResponseWriter, r *http.Request) error {
	l, err := s.loadLesson(r, access.JournalRead)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, l)
	return nil
}

// lessonPatch holds the fields of a lesson PATCH may change; absent ones
// keep their values.
type lessonPatch struct {
	Date          ejournal.Date `json:"date"`
	Period        int           `json:"period"`
	Topic         string        `json:"topic"`
	Homework      string        `json:"homework"`
	HomeworkLinks []string      `json:"homework_links"`
	ControlWork   bool          `json:"control_work"`
	// WorkType "" is the school's default type.
	WorkType string `json:"work_type"`
	// PlanTopicID, when present, links the lesson to a topic of its plan
	// (its title becomes the topic) or, "", unlinks it.
	PlanTopicID *string `json:"plan_topic_id"`
	Version     int64   `json:"version"`
}

func (s *Server) patchLesson(w http.ResponseWriter, r *http.Request) error {
	body, version, err := readPatch(r)
	if err != nil {
		return err
	}
	l, err := s.loadLesson(r, access.LessonsWrite)
	if err != nil {
		return err
	}
	pt := lessonPatch{Date: l.Date, Period: l.Period, Topic: l.Topic, Homework: l.Homework, HomeworkLinks: l.HomeworkLinks, ControlWork: l.ControlWork, WorkType: l.WorkType}
	if err := decodeJSON(body, &pt); err != nil {
		return err
	}
	switch {
	case pt.PlanTopicID != nil:
		l.PlanTopicID = *pt.PlanTopicID
	case pt.Topic != l.Topic:
		// A topic typed by hand is no longer the plan's.
		l.PlanTopicID = ""
	}
	l.Date, l.Period, l.Topic, l.Homework, l.HomeworkLinks, l.ControlWork, l.WorkType, l.Version = pt.Date, pt.Period, pt.Topic, pt.Homework, pt.HomeworkLinks, pt.ControlWork, pt.WorkType, version
	if err := s.Lessons.UpdateLesson(r.Context(), l); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, l)
	return nil
}

func (s *Server) deleteLesson(w http.ResponseWriter, r *http.Request) error {
	version, err := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64)
	if err != nil || version < 1 {
		return ejournal.Problems{"version": ejournal.T("Укажите версию удаляемого урока.", "Give the version of the lesson you delete.")}.Err()
	}
	l, err := s.loadLesson(r, access.LessonsWrite)
	if err != nil {
		return err
	}
	if err := s.Lessons.DeleteLesson(r.Context(), l.SchoolID, l.ID, version); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, l)
	return nil
}

// lessonDay reads ?date=, or gives today in the school's time zone.
func (s *Server) lessonDay(r *http.Request) (ejournal.Date, error) {
	v := r.URL.Query().Get("date")
	if v == "" {
		return s.schoolToday(r.Context(), ejournal.PrincipalFrom(r.Context()).SchoolID)
	}
	d, ok := ejournal.ParseDate(v)
	if !ok {
		return "", ejournal.Problems{"date": ejournal.T("Дата в виде ГГГГ-ММ-ДД.", "A date as YYYY-MM-DD.")}.Err()
	}
	return d, nil
}

// schoolToday is today's date in the school's time zone.
func (s *Server) schoolToday(ctx context.Context, schoolID string) (ejournal.Date, error) {
	school, err := s.Directory.School(ctx, schoolID)
	if err != nil {
		return "", err
	}
	loc, err := time.LoadLocation(school.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	return ejournal.DateOf(s.now().In(loc)), nil
}

func (s *Server) classLessons(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	c, err := s.Directory.Class(r.Context(), p.SchoolID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if !canReadClassLessons(p, access.ClassTarget(p.SchoolID, c.ID, "")) {
		return access.Forbidden()
	}
	day, err := s.lessonDay(r)
	if err != nil {
		return err
	}
	ls, err := s.Lessons.ClassLessons(r.Context(), p.SchoolID, c.ID, day, day)
	if err != nil {
		return err
	}
	writeList(w, ls)
	return nil
}

func (s *Server) teacherLessons(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	id := r.PathValue("id")
	if id != p.PersonID && !access.Can(p, access.JournalRead, access.SchoolTarget(p.SchoolID)) {
		return access.Forbidden()
	}
	day, err := s.lessonDay(r)
	if err != nil {
		return err
	}
	ls, err := s.Lessons.TeacherLessons(r.Context(), p.SchoolID, id, day, day)
	if err != nil {
		return err
	}
	writeList(w, ls)
	return nil
}

// settingsYear is the school year ?year_id= names (it must exist), or the
// one containing today.
func (s *Server) settingsYear(r *http.Request) (string, error) {
	p := ejournal.PrincipalFrom(r.Context())
	id, err := queryID(r, "year_id")
	if err != nil {
		return "", err
	}
	if id == "" {
		return s.currentYear(r.Context(), p.SchoolID)
	}
	if _, err := s.Directory.Year(r.Context(), p.SchoolID, id); err != nil {
		return "", err
	}
	return id, nil
}

// canReadGrading reports whether p may see the grading rules: anyone who
// reads a journal or a diary.
func canReadGrading(p *ejournal.Principal) bool {
	return access.CanAny(p, access.JournalRead) || access.CanAny(p, access.DiaryRead)
}

func (s *Server) readGrading(r *http.Request) (*ejournal.GradingSettings, error) {
	p := ejournal.PrincipalFrom(r.Context())
	if !canReadGrading(p) {
		return nil, access.Forbidden()
	}
	year, err := s.settingsYear(r)
	if err != nil {
		return nil, err
	}
	return s.Lessons.GradingSettings(r.Context(), p.SchoolID, year)
}

// workTypeList is the answer of GET /v1/work-types.
type workTypeList struct {
	YearID string              `json:"year_id"`
	Items  []ejournal.WorkType `json:"items"`
}

func (s *Server) workTypes(w http.ResponseWriter, r *http.Request) error {
	g, err := s.readGrading(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, workTypeList{YearID: g.YearID, Items: g.WorkTypes})
	return nil
}

func (s *Server) getGradingSettings(w http.ResponseWriter, r *http.Request) error {
	g, err := s.readGrading(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, g)
	return nil
}

// putGradingSettings replaces a year's settings (the school's head teacher
// or administrator); version 0 replaces the defaults.
func (s *Server) putGradingSettings(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	t := access.SchoolTarget(p.SchoolID)
	if !access.Can(p, access.DirectoryWrite, t) && !access.Can(p, access.SchoolWrite, t) {
		return access.Forbidden()
	}
	year, err := requiredQueryID(r, "year_id")
	if err != nil {
		return err
	}
	if _, err := s.Directory.Year(r.Context(), p.SchoolID, year); err != nil {
		return err
	}
	g := new(ejournal.GradingSettings)
	version, err := decodeVersioned(r, g, ejournal.T("Укажите версию настроек, которые вы изменяете (0 — настройки по умолчанию).", "Give the version of the settings you change (0 for the defaults)."))
	if err != nil {
		return err
	}
	if g.YearID != "" && g.YearID != year {
		return ejournal.Problems{"year_id": ejournal.T("Настройки относятся к другому учебному году.", "The settings belong to another school year.")}.Err()
	}
	if err := s.Lessons.SaveGradingSettings(r.Context(), p.SchoolID, year, g, version); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, g)
	return nil
}
