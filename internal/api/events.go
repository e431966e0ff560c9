package api

import (
	"net/http"
	"strconv"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

// MaxEventRangeDays bounds the dates of one GET /v1/events (about a quarter).
const MaxEventRangeDays = 93

func (s *Server) eventRoutes() []Route {
	return []Route{
		{Function: FuncScheduling, Method: http.MethodGet, Pattern: "/v1/events", handle: s.listEvents},
		{Function: FuncScheduling, Method: http.MethodPost, Pattern: "/v1/events", handle: s.createEvent},
		{Function: FuncScheduling, Method: http.MethodGet, Pattern: "/v1/events/{id}", handle: s.getEvent},
		{Function: FuncScheduling, Method: http.MethodPut, Pattern: "/v1/events/{id}", handle: s.putEvent},
		{Function: FuncScheduling, Method: http.MethodDelete, Pattern: "/v1/events/{id}", handle: s.deleteEvent},
	}
}

// eventInput is the body of POST /v1/events and PUT /v1/events/{id} (with
// version).
type eventInput struct {
	Title       string                 `json:"title"`
	Date        ejournal.Date          `json:"date"`
	EndDate     ejournal.Date          `json:"end_date"`
	Start       string                 `json:"start"`
	End         string                 `json:"end"`
	Place       string                 `json:"place"`
	Description string                 `json:"description"`
	Audience    ejournal.EventAudience `json:"audience"`
	ClassIDs    []string               `json:"class_ids"`
	Version     int64                  `json:"version"`
}

func (in *eventInput) event(schoolID string) *ejournal.Event {
	return &ejournal.Event{
		SchoolID: schoolID, Title: in.Title, Date: in.Date, EndDate: in.EndDate, Start: in.Start, End: in.End,
		Place: in.Place, Description: in.Description, Audience: in.Audience, ClassIDs: in.ClassIDs, Version: in.Version,
	}
}

// requireEventWrite checks p may write e: timetable.write in the whole
// school for school and staff events, and on each class of a class event,
// so a school may give class teachers the right for their own class.
func requireEventWrite(p *ejournal.Principal, e *ejournal.Event) error {
	if e.Audience != ejournal.AudienceClasses || len(e.ClassIDs) == 0 {
		return access.Require(p, access.TimetableWrite, access.SchoolTarget(p.SchoolID))
	}
	for _, c := range e.ClassIDs {
		if err := access.Require(p, access.TimetableWrite, access.ClassTarget(p.SchoolID, c, "")); err != nil {
			return err
		}
	}
	return nil
}

// requireEventRead refuses those who may not read the timetable at all.
func requireEventRead(p *ejournal.Principal) error {
	if !access.CanAny(p, access.TimetableRead) {
		return access.Forbidden()
	}
	return nil
}

// listEvents answers the events touching ?from=..?to= that concern the
// caller (ejournal.Event.VisibleTo).
func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	if err := requireEventRead(p); err != nil {
		return err
	}
	from, to, err := eventRange(r)
	if err != nil {
		return err
	}
	all, err := s.Events.Events(r.Context(), p.SchoolID, from, to)
	if err != nil {
		return err
	}
	var out []*ejournal.Event
	for _, e := range all {
		if e.VisibleTo(p) {
			out = append(out, e)
		}
	}
	writeList(w, out)
	return nil
}

// eventRange reads the required ?from= and ?to= dates, at most
// MaxEventRangeDays days apart counting both.
func eventRange(r *http.Request) (from, to ejournal.Date, err error) {
	p := ejournal.Problems{}
	q := r.URL.Query()
	from, okFrom := ejournal.ParseDate(q.Get("from"))
	to, okTo := ejournal.ParseDate(q.Get("to"))
	switch {
	case !okFrom:
		p.Add("from", ejournal.T("Дата в виде ГГГГ-ММ-ДД.", "A date as YYYY-MM-DD."))
	case !okTo:
		p.Add("to", ejournal.T("Дата в виде ГГГГ-ММ-ДД.", "A date as YYYY-MM-DD."))
	case to < from:
		p.Add("to", ejournal.T("Конец периода раньше его начала.", "The end of the range comes before its start."))
	case to > ejournal.DateOf(from.Time().AddDate(0, 0, MaxEventRangeDays-1)):
		p.Add("to", ejournal.Text{RU: "Не больше " + strconv.Itoa(MaxEventRangeDays) + " дней за один запрос.", EN: "At most " + strconv.Itoa(MaxEventRangeDays) + " days in one request."})
	}
	return from, to, p.Err()
}

func (s *Server) createEvent(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	var in eventInput
	if err := decode(r, &in); err != nil {
		return err
	}
	e := in.event(p.SchoolID)
	if err := requireEventWrite(p, e); err != nil {
		return err
	}
	e.Version, e.CreatedBy = 0, p.PersonID
	if err := s.Events.CreateEvent(r.Context(), e); err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/events/"+e.ID)
	writeJSON(w, http.StatusCreated, e)
	return nil
}

// loadEvent reads the event {id} if it concerns the caller; others get
// 404, as if it did not exist.
func (s *Server) loadEvent(r *http.Request) (*ejournal.Event, error) {
	p := ejournal.PrincipalFrom(r.Context())
	if err := requireEventRead(p); err != nil {
		return nil, err
	}
	e, err := s.Events.Event(r.Context(), p.SchoolID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !e.VisibleTo(p) {
		return nil, ejournal.NotFound(ejournal.T("Событие", "Event"))
	}
	return e, nil
}

func (s *Server) getEvent(w http.ResponseWriter, r *http.Request) error {
	e, err := s.loadEvent(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

// putEvent replaces an event at its version. The caller needs the right
// to write the event as it is and as it becomes, so nobody moves an event
// out of or into classes they do not manage.
func (s *Server) putEvent(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	body, version, err := readPatch(r)
	if err != nil {
		return err
	}
	var in eventInput
	if err := decodeJSON(body, &in); err != nil {
		return err
	}
	old, err := s.loadEvent(r)
	if err != nil {
		return err
	}
	e := in.event(p.SchoolID)
	e.ID, e.Version = old.ID, version
	if err := requireEventWrite(p, old); err != nil {
		return err
	}
	if err := requireEventWrite(p, e); err != nil {
		return err
	}
	if err := s.Events.UpdateEvent(r.Context(), e); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

func (s *Server) deleteEvent(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	version, err := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64)
	if err != nil || version < 1 {
		return ejournal.Problems{"version": ejournal.T("Укажите версию удаляемого события.", "Give the version of the event you delete.")}.Err()
	}
	e, err := s.loadEvent(r)
	if err != nil {
		return err
	}
	if err := requireEventWrite(p, e); err != nil {
		return err
	}
	if err := s.Events.DeleteEvent(r.Context(), p.SchoolID, e.ID, version); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}
