package api

import (
	"net/http"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

func (s *Server) notifyRoutes() []Route {
	return []Route{
		{Function: FuncMessages, Method: http.MethodGet, Pattern: "/v1/notify/settings", handle: s.getNotifySettings},
		{Function: FuncMessages, Method: http.MethodPut, Pattern: "/v1/notify/settings", handle: s.putNotifySettings},
		{Function: FuncMessages, Method: http.MethodGet, Pattern: "/v1/notify/preferences", handle: s.notifyPreferences},
		{Function: FuncMessages, Method: http.MethodPut, Pattern: "/v1/notify/preferences/{child_id}", handle: s.putNotifyPreference},
		{Function: FuncMessages, Method: http.MethodPut, Pattern: "/v1/notify/consent", handle: s.putSMSConsent},
	}
}

// getNotifySettings shows the school's notification settings to those who
// change them or read the school's reports (the SMS budget and spend).
func (s *Server) getNotifySettings(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	t := access.SchoolTarget(p.SchoolID)
	if !access.Can(p, access.SchoolWrite, t) && !access.Can(p, access.ReportsRead, t) {
		return access.Forbidden()
	}
	st, err := s.Notify.NotifySettings(r.Context(), p.SchoolID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// notifySettingsInput is the body of PUT /v1/notify/settings: every
// setting, and the version read (0 while the school has the defaults).
type notifySettingsInput struct {
	QuietStart        string              `json:"quiet_start"`
	QuietEnd          string              `json:"quiet_end"`
	DefaultMode       ejournal.NotifyMode `json:"default_mode"`
	DefaultDigestTime string              `json:"default_digest_time"`
	DefaultSMS        bool                `json:"default_sms"`
	DefaultInApp      bool                `json:"default_in_app"`
	MonthlySMSBudget  int                 `json:"monthly_sms_budget"`
	SegmentCost       ejournal.Hundredths `json:"segment_cost"`
	CorrectionMinutes int                 `json:"correction_minutes"`
	Version           int64               `json:"version"`
}

func (s *Server) putNotifySettings(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	if err := access.Require(p, access.SchoolWrite, access.SchoolTarget(p.SchoolID)); err != nil {
		return err
	}
	var in notifySettingsInput
	if err := decode(r, &in); err != nil {
		return err
	}
	st := &ejournal.NotifySettings{
		SchoolID: p.SchoolID, QuietStart: in.QuietStart, QuietEnd: in.QuietEnd, DefaultMode: in.DefaultMode,
		DefaultDigestTime: in.DefaultDigestTime, DefaultSMS: in.DefaultSMS, DefaultInApp: in.DefaultInApp,
		MonthlySMSBudget: in.MonthlySMSBudget, SegmentCost: in.SegmentCost, CorrectionMinutes: in.CorrectionMinutes, Version: in.Version,
	}
	if err := s.Notify.SaveNotifySettings(r.Context(), st); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// childPreference is a parent's preference for one child as the API shows
// it: the stored one, or the school's defaults (Default set, version 0).
type childPreference struct {
	ejournal.NotifyPreference
	ChildName string `json:"child_name,omitempty"`
	Default   bool   `json:"default"`
}

// ownChildren checks that the caller may set their own notifications and
// returns their children (family links).
func (s *Server) ownChildren(r *http.Request) ([]*ejournal.Link, error) {
	p := ejournal.PrincipalFrom(r.Context())
	if err := access.Require(p, access.NotifySettings, access.Person(p.SchoolID, p.PersonID, "")); err != nil {
		return nil, err
	}
	return s.Records.Children(r.Context(), p.SchoolID, p.PersonID)
}

// notifyPreferences lists the caller's preference for each of their
// children.
func (s *Server) notifyPreferences(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	links, err := s.ownChildren(r)
	if err != nil {
		return err
	}
	st, err := s.Notify.NotifySettings(r.Context(), p.SchoolID)
	if err != nil {
		return err
	}
	stored, err := s.Notify.NotifyPreferences(r.Context(), p.SchoolID, p.PersonID)
	if err != nil {
		return err
	}
	byChild := map[string]*ejournal.NotifyPreference{}
	for _, pr := range stored {
		byChild[pr.ChildID] = pr
	}
	out := make([]childPreference, 0, len(links))
	for _, l := range links {
		cp := childPreference{NotifyPreference: st.Preference(p.PersonID, l.ChildID, byChild[l.ChildID]), Default: byChild[l.ChildID] == nil}
		if child, err := s.Directory.Person(r.Context(), p.SchoolID, l.ChildID); err == nil {
			cp.ChildName = child.FirstName + " " + child.LastName
		}
		out = append(out, cp)
	}
	writeList(w, out)
	return nil
}

// notifyPreferenceInput is the body of PUT /v1/notify/preferences/{child_id}.
type notifyPreferenceInput struct {
	Mode       ejournal.NotifyMode `json:"mode"`
	DigestTime string              `json:"digest_time"`
	SMS        bool                `json:"sms"`
	InApp      bool                `json:"in_app"`
	Version    int64               `json:"version"`
}

// putNotifyPreference sets the caller's preference for one of their own
// children; any other child is not found.
func (s *Server) putNotifyPreference(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	links, err := s.ownChildren(r)
	if err != nil {
		return err
	}
	child := r.PathValue("child_id")
	own := false
	for _, l := range links {
		own = own || l.ChildID == child
	}
	if !own {
		return ejournal.NotFound(ejournal.T("Ребёнок", "Child"))
	}
	var in notifyPreferenceInput
	if err := decode(r, &in); err != nil {
		return err
	}
	pr := &ejournal.NotifyPreference{SchoolID: p.SchoolID, ParentID: p.PersonID, ChildID: child, Mode: in.Mode, DigestTime: in.DigestTime, SMS: in.SMS, InApp: in.InApp, Version: in.Version}
	if err := s.Notify.SaveNotifyPreference(r.Context(), pr); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, childPreference{NotifyPreference: *pr})
	return nil
}

// consentInput is the body of PUT /v1/notify/consent.
type consentInput struct {
	SMSConsent *bool `json:"sms_consent"`
}

// consentView is the caller's SMS consent and whether SMS can reach them.
type consentView struct {
	SMSConsent bool `json:"sms_consent"`
	HasPhone   bool `json:"has_phone"`
}

// putSMSConsent gives or withdraws the caller's own consent to SMS. It is
// a change of their personal record (Personal.SMSConsent), saved and
// audited as any other.
func (s *Server) putSMSConsent(w http.ResponseWriter, r *http.Request) error {
	p := ejournal.PrincipalFrom(r.Context())
	if err := access.Require(p, access.NotifySettings, access.Person(p.SchoolID, p.PersonID, "")); err != nil {
		return err
	}
	var in consentInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.SMSConsent == nil {
		return ejournal.Problems{"sms_consent": ejournal.T("Укажите true или false.", "Give true or false.")}.Err()
	}
	person, err := s.Directory.Person(r.Context(), p.SchoolID, p.PersonID)
	if err != nil {
		return err
	}
	if person.Personal == nil {
		person.Personal = &ejournal.Personal{}
	}
	if *in.SMSConsent && person.Personal.Phone == "" {
		return ejournal.Problems{"sms_consent": ejournal.T("Для SMS нужен номер телефона: попросите школу внести его в вашу карточку.", "SMS needs a phone number: ask the school to add it to your record.")}.Err()
	}
	if person.Personal.SMSConsent != *in.SMSConsent {
		person.Personal.SMSConsent = *in.SMSConsent
		if err := s.Records.UpdatePerson(r.Context(), person); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, consentView{SMSConsent: person.Personal.SMSConsent, HasPhone: person.Personal.Phone != ""})
	return nil
}
