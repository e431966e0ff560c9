package api

import (
	"context"
	"net/http"
	"strconv"
	"sync"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

func (s *Server) timetableRoutes() []Route {
	return []Route{
		{Function: FuncScheduling, Method: http.MethodGet, Pattern: "/v1/years/{id}/timetable", handle: s.listTimetable},
		{Function: FuncScheduling, Method: http.MethodPost, Pattern: "/v1/years/{id}/timetable", handle: s.createTimetableEntry},
		{Function: FuncScheduling, Method: http.MethodPut, Pattern: "/v1/years/{id}/timetable/{entry_id}", handle: s.putTimetableEntry},
		{Function: FuncScheduling, Method: http.MethodDelete, Pattern: "/v1/years/{id}/timetable/{entry_id}", handle: s.deleteTimetableEntry},
		{Function: FuncScheduling, Method: http.MethodPost, Pattern: "/v1/years/{id}/timetable/{entry_id}/change", handle: s.changeTimetableEntry},
		{Function: FuncScheduling, Method: http.MethodGet, Pattern: "/v1/years/{id}/substitutions", handle: s.listSubstitutions},
		{Function: FuncScheduling, Method: http.MethodPost, Pattern: "/v1/years/{id}/substitutions", handle: s.createSubstitution},
		{Function: FuncScheduling, Method: http.MethodDelete, Pattern: "/v1/years/{id}/substitutions/{sub_id}", handle: s.deleteSubstitution},
		{Function: FuncScheduling, Method: http.MethodGet, Pattern: "/v1/classes/{id}/timetable", handle: s.classWeek},
		{Function: FuncScheduling, Method: http.MethodGet, Pattern: "/v1/teachers/{id}/timetable", handle: s.teacherWeek},
	}
}

// timetableYear reads the school year {id} of the caller's school after
// checking the caller may use capability c on the school's timetable.
func (s *Server) timetableYear(r *http.Request, c access.Capability) (*ejournal.SchoolYear, error) {
	p := ejournal.PrincipalFrom(r.Context())
	if err := access.Require(p, c, access.SchoolTarget(p.SchoolID)); err != nil {
		return nil, err
	}
	return s.Directory.Year(r.Context(), p.SchoolID, r.PathValue("id"))
}

func (s *Server) listTimetable(w http.ResponseWriter, r *http.Request) error {
	y, err := s.timetableYear(r, access.TimetableRead)
	if err != nil {
		return err
	}
	es, err := s.Timetable.TimetableEntries(r.Context(), y.SchoolID, y.ID)
	if err != nil {
		return err
	}
	writeList(w, es)
	return nil
}

// entryInput is the body of a timetable entry's create, update and change.
type entryInput struct {
	ClassID   string        `json:"class_id"`
	GroupID   string        `json:"group_id"`
	SubjectID string        `json:"subject_id"`
	TeacherID string        `json:"teacher_id"`
	Room      string        `json:"room"`
	Weekday   int           `json:"weekday"`
	Period    int           `json:"period"`
	From      ejournal.Date `json:"from"`
	Until     ejournal.Date `json:"until"`
	Version   int64         `json:"version"`
}

// entry makes the entry in of year y; from defaults to the year's start.
func (in *entryInput) entry(y *ejournal.SchoolYear) *ejournal.TimetableEntry {
	e := &ejournal.TimetableEntry{
		SchoolID: y.SchoolID, YearID: y.ID, ClassID: in.ClassID, GroupID: in.GroupID, SubjectID: in.SubjectID, TeacherID: in.TeacherID,
		Room: in.Room, Weekday: in.Weekday, Period: in.Period, From: in.From, Until: in.Until, Version: in.Version,
	}
	if e.From == "" {
		e.From = y.Start
	}
	return e
}

func (s *Server) createTimetableEntry(w http.ResponseWriter, r *http.Request) error {
	y, err := s.timetableYear(r, access.TimetableWrite)
	if err != nil {
		return err
	}
	var in entryInput
	if err := decode(r, &in); err != nil {
		return err
	}
	in.Version = 0
	e := in.entry(y)
	if err := s.Timetable.SaveTimetableEntry(r.Context(), e); err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/years/"+y.ID+"/timetable/"+e.ID)
	writeJSON(w, http.StatusCreated, e)
	return nil
}

// versionedEntry reads a body with a required version.
func versionedEntry(r *http.Request) (*entryInput, error) {
	body, _, err := readPatch(r)
	if err != nil {
		return nil, err
	}
	in := new(entryInput)
	if err := decodeJSON(body, in); err != nil {
		return nil, err
	}
	return in, nil
}

func (s *Server) putTimetableEntry(w http.ResponseWriter, r *http.Request) error {
	y, err := s.timetableYear(r, access.TimetableWrite)
	if err != nil {
		return err
	}
	in, err := versionedEntry(r)
	if err != nil {
		return err
	}
	e := in.entry(y)
	e.ID = r.PathValue("entry_id")
	if !ejournal.ValidID(e.ID) {
		return ejournal.NotFound(ejournal.T("Запись расписания", "Timetable entry"))
	}
	if err := s.Timetable.SaveTimetableEntry(r.Context(), e); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

// queryVersion reads the required ?version= of a delete.
func queryVersion(r *http.Request) (int64, error) {
	v, err := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64)
	if err != nil || v < 1 {
		return 0, ejournal.Problems{"version": ejournal.T("Укажите версию удаляемой записи.", "Give the version of the record you delete.")}.Err()
	}
	return v, nil
}

func (s *Server) deleteTimetableEntry(w http.ResponseWriter, r *http.Request) error {
	return deleteInYear(s, w, r, "entry_id", s.Timetable.DeleteTimetableEntry)
}

// deleteInYear deletes, with del, the record named by the path value param
// in the timetable of the year {id} at the ?version= given, and answers
// with the record deleted.
func deleteInYear[T any](s *Server, w http.ResponseWriter, r *http.Request, param string, del func(ctx context.Context, schoolID, yearID, id string, version int64) (T, error)) error {
	y, err := s.timetableYear(r, access.TimetableWrite)
	if err != nil {
		return err
	}
	version, err := queryVersion(r)
	if err != nil {
		return err
	}
	gone, err := del(r.Context(), y.SchoolID, y.ID, r.PathValue(param), version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, gone)
	return nil
}

// entryChange is the answer to a change of the timetable from a date.
type entryChange struct {
	Ended *ejournal.TimetableEntry `json:"ended"`
	Entry *ejournal.TimetableEntry `json:"entry"`
}

func (s *Server) changeTimetableEntry(w http.ResponseWriter, r *http.Request) error {
	y, err := s.timetableYear(r, access.TimetableWrite)
	if err != nil {
		return err
	}
	in, err := versionedEntry(r)
	if err != nil {
		return err
	}
	if in.From == "" {
		return ejournal.Problems{"from": ejournal.T("Укажите дату, с которой действует изменение.", "Give the date the change takes effect.")}.Err()
	}
	next := in.entry(y)
	ended, err := s.Timetable.ChangeTimetableEntry(r.Context(), y.SchoolID, y.ID, r.PathValue("entry_id"), in.Version, next)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/years/"+y.ID+"/timetable/"+next.ID)
	writeJSON(w, http.StatusCreated, entryChange{Ended: ended, Entry: next})
	return nil
}

func (s *Server) listSubstitutions(w http.ResponseWriter, r *http.Request) error {
	y, err := s.timetableYear(r, access.TimetableRead)
	if err != nil {
		return err
	}
	from, to := y.Start, y.End
	pr := ejournal.Problems{}
	for name, d := range map[string]*ejournal.Date{"from": &from, "to": &to} {
		if v := r.URL.Query().Get(name); v != "" {
			var ok bool
			if *d, ok = ejournal.ParseDate(v); !ok {
				pr.Add(name, ejournal.T("Дата в виде ГГГГ-ММ-ДД.", "A date as YYYY-MM-DD."))
			}
		}
	}
	if err := pr.Err(); err != nil {
		return err
	}
	subs, err := s.Timetable.Substitutions(r.Context(), y.SchoolID, y.ID, from, to)
	if err != nil {
		return err
	}
	writeList(w, subs)
	return nil
}

// substitutionInput is the body of POST /v1/years/{id}/substitutions.
type substitutionInput struct {
	EntryID   string        `json:"entry_id"`
	Date      ejournal.Date `json:"date"`
	TeacherID string        `json:"teacher_id"`
	Room      string        `json:"room"`
	Cancelled bool          `json:"cancelled"`
	Reason    string        `json:"reason"`
}

func (s *Server) createSubstitution(w http.ResponseWriter, r *http.Request) error {
	y, err := s.timetableYear(r, access.TimetableWrite)
	if err != nil {
		return err
	}
	var in substitutionInput
	if err := decode(r, &in); err != nil {
		return err
	}
	sub := &ejournal.Substitution{SchoolID: y.SchoolID, YearID: y.ID, EntryID: in.EntryID, Date: in.Date, TeacherID: in.TeacherID, Room: in.Room, Cancelled: in.Cancelled, Reason: in.Reason}
	if err := s.Timetable.SaveSubstitution(r.Context(), sub); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, sub)
	return nil
}

func (s *Server) deleteSubstitution(w http.ResponseWriter, r *http.Request) error {
	return deleteInYear(s, w, r, "sub_id", s.Timetable.DeleteSubstitution)
}

// week reads ?week=YYYY-Www, or gives the current week in the school's
// time zone.
func (s *Server) week(r *http.Request) (monday, sunday ejournal.Date, err error) {
	v := r.URL.Query().Get("week")
	if v == "" {
		today, err := s.schoolToday(r.Context(), ejournal.PrincipalFrom(r.Context()).SchoolID)
		if err != nil {
			return "", "", err
		}
		v = ejournal.ISOWeek(today)
	}
	monday, sunday, ok := ejournal.ParseISOWeek(v)
	if !ok {
		return "", "", ejournal.Problems{"week": ejournal.T("Неделя в виде ГГГГ-Wнн, например 2026-W48.", "A week as YYYY-Www, e.g. 2026-W48.")}.Err()
	}
	return monday, sunday, nil
}

func (s *Server) classWeek(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	c, err := s.Directory.Class(r.Context(), p.SchoolID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := access.Require(p, access.TimetableRead, access.ClassTarget(p.SchoolID, c.ID, "")); err != nil {
		return err
	}
	monday, sunday, err := s.week(r)
	if err != nil {
		return err
	}
	v, err := s.buildWeek(r.Context(), p, c.YearID, monday, sunday, ejournal.WeekFilter{ClassID: c.ID})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) teacherWeek(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	id := r.PathValue("id")
	if err := access.Require(p, access.TimetableRead, access.Person(p.SchoolID, id, "")); err != nil {
		return err
	}
	t, err := s.Directory.Person(r.Context(), p.SchoolID, id)
	if err != nil {
		return err
	}
	if t.Kind != ejournal.Staff {
		return ejournal.NotFound(ejournal.T("Учитель", "Teacher"))
	}
	monday, sunday, err := s.week(r)
	if err != nil {
		return err
	}
	years, err := s.Directory.Years(r.Context(), p.SchoolID)
	if err != nil {
		return err
	}
	var yid string
	for _, y := range years {
		if y.Start <= sunday && monday <= y.End {
			yid = y.ID
		}
	}
	v, err := s.buildWeek(r.Context(), p, yid, monday, sunday, ejournal.WeekFilter{TeacherID: t.ID})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// buildWeek reads what a week view of year yid needs — the year's entries,
// the week's substitutions, the calendar, the names of staff, subjects,
// classes and groups, and the week's events — concurrently, and builds it
// with the events visible to p. Without a year (yid empty) the week has no
// lessons.
func (s *Server) buildWeek(ctx context.Context, p *ejournal.Principal, yid string, monday, sunday ejournal.Date, f ejournal.WeekFilter) (*ejournal.WeekView, error) {
	sid := p.SchoolID
	var (
		entries []*ejournal.TimetableEntry
		subs    []*ejournal.Substitution
		cal     *ejournal.Calendar
		events  []*ejournal.Event
		steps   []func() error
	)
	names := ejournal.WeekNames{Classes: map[string]string{}, Groups: map[string]string{}, Subjects: map[string]string{}, People: map[string]string{}}
	if yid != "" {
		steps = append(steps,
			func() (err error) { entries, err = s.Timetable.TimetableEntries(ctx, sid, yid); return },
			func() (err error) { subs, err = s.Timetable.Substitutions(ctx, sid, yid, monday, sunday); return },
		)
		steps = append(steps, s.weekNames(ctx, sid, yid, names)...)
		if s.Calendar != nil {
			steps = append(steps, func() (err error) { cal, err = s.Calendar.Calendar(ctx, sid, yid); return })
		}
	}
	if s.Events != nil {
		steps = append(steps, func() (err error) { events, err = s.Events.Events(ctx, sid, monday, sunday); return })
	}
	if err := concurrentReads(steps); err != nil {
		return nil, err
	}
	v := ejournal.BuildWeek(entries, subs, cal, monday, f, names)
	for _, e := range events {
		if e.VisibleTo(p) {
			v.Events = append(v.Events, e)
		}
	}
	return v, nil
}

// weekNames returns the reads that fill the names of a year's classes,
// the school's groups, subjects and staff (one Query each); each writes
// its own map of n.
func (s *Server) weekNames(ctx context.Context, sid, yid string, n ejournal.WeekNames) []func() error {
	return []func() error{
		func() error {
			classes, err := s.Directory.Classes(ctx, sid, ejournal.ClassFilter{YearID: yid})
			for _, c := range classes {
				n.Classes[c.ID] = c.Name()
			}
			return err
		},
		func() error {
			groups, err := s.Directory.Groups(ctx, sid, ejournal.GroupFilter{})
			for _, g := range groups {
				n.Groups[g.ID] = g.Name
			}
			return err
		},
		func() error {
			subjects, err := s.Directory.Subjects(ctx, sid)
			for _, sub := range subjects {
				n.Subjects[sub.ID] = sub.Name
			}
			return err
		},
		func() error {
			staff, err := s.Records.People(ctx, sid, ejournal.PersonFilter{Kind: ejournal.Staff})
			for _, t := range staff {
				n.People[t.ID] = t.FullName()
			}
			return err
		},
	}
}

// concurrentReads runs steps at once and returns the error of the first
// step (in order) that failed.
func concurrentReads(steps []func() error) error {
	errs := make([]error, len(steps))
	var wg sync.WaitGroup
	for i, step := range steps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = step()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
