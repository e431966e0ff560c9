package api

import (
	"encoding/json"
	"net/http"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

// calendarRoutes are the routes of the calendar and of events.
func (s *Server) calendarRoutes() []Route {
	return append([]Route{
		{Function: FuncScheduling, Method: http.MethodGet, Pattern: "/v1/years/{id}/calendar", handle: s.getCalendar},
		{Function: FuncScheduling, Method: http.MethodPut, Pattern: "/v1/years/{id}/calendar", handle: s.putCalendar},
	}, s.eventRoutes()...)
}

// getCalendar answers a school year's calendar to anyone who may read the
// timetable (students and parents included: holidays and bells concern
// them); the default calendar, version 0, until one is saved.
func (s *Server) getCalendar(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	if !access.CanAny(p, access.TimetableRead) {
		return access.Forbidden()
	}
	y, err := s.Directory.Year(r.Context(), p.SchoolID, r.PathValue("id"))
	if err != nil {
		return err
	}
	c, err := s.Calendar.Calendar(r.Context(), p.SchoolID, y.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// putCalendar replaces a year's whole calendar at the version the caller
// read (0 replaces the default); timetable.write in the whole school.
func (s *Server) putCalendar(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	if err := access.Require(p, access.TimetableWrite, access.SchoolTarget(p.SchoolID)); err != nil {
		return err
	}
	c := new(ejournal.Calendar)
	if _, err := decodeVersioned(r, c, ejournal.T("Укажите версию календаря, который вы изменяете (0 — календарь по умолчанию).", "Give the version of the calendar you change (0 for the default).")); err != nil {
		return err
	}
	year := r.PathValue("id")
	if c.YearID != "" && c.YearID != year {
		return ejournal.Problems{"year_id": ejournal.T("Календарь относится к другому учебному году.", "The calendar belongs to another school year.")}.Err()
	}
	c.SchoolID, c.YearID = p.SchoolID, year
	if err := s.Calendar.SaveCalendar(r.Context(), c); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// decodeVersioned decodes the body of a PUT that replaces a record or its
// defaults into v, after checking that it names the version it replaces
// ("version" ≥ 0, 0 for the defaults); without one the error names the
// field with missing. It returns that version.
func decodeVersioned(r *http.Request, v any, missing ejournal.Text) (int64, error) {
	body, err := readBody(r)
	if err != nil {
		return 0, err
	}
	var meta struct {
		Version *int64 `json:"version"`
	}
	if err := json.Unmarshal(body, &meta); err != nil {
		return 0, jsonError(err)
	}
	if meta.Version == nil || *meta.Version < 0 {
		return 0, ejournal.Problems{"version": missing}.Err()
	}
	return *meta.Version, decodeJSON(body, v)
}
