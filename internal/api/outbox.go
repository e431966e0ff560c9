package api

import (
	"net/http"
	"regexp"
	"time"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

func (s *Server) outboxRoutes() []Route {
	return []Route{
		{Function: FuncMessages, Method: http.MethodGet, Pattern: "/v1/notifications/report", handle: s.notificationReport},
		{Function: FuncMessages, Method: http.MethodGet, Pattern: "/v1/dev/sms", LocalOnly: true, handle: s.devSMS},
	}
}

var monthPattern = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)

// outboxAccess lets the school's reports readers and administrators see
// its SMS, and returns the school's time zone and notification settings.
func (s *Server) outboxAccess(r *http.Request) (*time.Location, *ejournal.NotifySettings, error) {
	p := ejournal.PrincipalFrom(r.Context())
	t := access.SchoolTarget(p.SchoolID)
	if !access.Can(p, access.ReportsRead, t) && !access.Can(p, access.SchoolWrite, t) {
		return nil, nil, access.Forbidden()
	}
	sc, err := s.Directory.School(r.Context(), p.SchoolID)
	if err != nil {
		return nil, nil, err
	}
	loc, err := time.LoadLocation(sc.TimeZone)
	if err != nil {
		return nil, nil, ejournal.Internal(err)
	}
	set := ejournal.DefaultNotifySettings(p.SchoolID)
	if s.Notify != nil {
		if set, err = s.Notify.NotifySettings(r.Context(), p.SchoolID); err != nil {
			return nil, nil, err
		}
	}
	return loc, set, nil
}

// notificationReport is GET /v1/notifications/report?month=YYYY-MM: the
// month's SMS sent, failed, suppressed (by reason) and pending, their
// segments and estimated cost, and the budget used.
func (s *Server) notificationReport(w http.ResponseWriter, r *http.Request) error {
	loc, set, err := s.outboxAccess(r)
	if err != nil {
		return err
	}
	month := r.URL.Query().Get("month")
	switch {
	case month == "":
		month = s.now().In(loc).Format("2006-01")
	case !monthPattern.MatchString(month):
		return ejournal.Problems{"month": ejournal.T("Месяц в виде ГГГГ-ММ, например 2026-11.", "A month as YYYY-MM, e.g. 2026-11.")}.Err()
	}
	rep, err := s.Outbox.OutboxReport(r.Context(), ejournal.PrincipalFrom(r.Context()).SchoolID, month)
	if err != nil {
		return err
	}
	rep.Budget = set.MonthlySMSBudget
	if rep.Budget > 0 {
		rep.Share = ejournal.Hundredths(int64(rep.Used) * 10000 / int64(rep.Budget))
	}
	rep.Warning = rep.Warning || rep.Budget > 0 && rep.Used*5 >= rep.Budget*4
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// devSMSLimit is how many SMS GET /v1/dev/sms lists.
const devSMSLimit = 100

// devSMS is GET /v1/dev/sms (local server only): the school's SMS of this
// month and the last, newest first, with the numbers masked.
func (s *Server) devSMS(w http.ResponseWriter, r *http.Request) error {
	loc, _, err := s.outboxAccess(r)
	if err != nil {
		return err
	}
	now := s.now().In(loc)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	months := []string{now.Format("2006-01"), first.AddDate(0, -1, 0).Format("2006-01")}
	ms, err := s.Outbox.Outbox(r.Context(), ejournal.PrincipalFrom(r.Context()).SchoolID, months, devSMSLimit)
	if err != nil {
		return err
	}
	for _, m := range ms {
		m.Phone = maskPhone(m.Phone)
	}
	writeList(w, ms)
	return nil
}

// maskPhone keeps the country code's first digits and the last two:
// +79123456789 → +791*******89.
func maskPhone(p string) string {
	if len(p) < 6 {
		return p
	}
	b := []byte(p)
	for i := 3; i < len(b)-2; i++ {
		b[i] = '*'
	}
	return string(b)
}
