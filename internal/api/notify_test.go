package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"ejournal/internal/ejournal"
)

// settingsBody is a valid PUT /v1/notify/settings body with over applied.
func settingsBody(over map[string]any) map[string]any {
	b := map[string]any{
		"quiet_start": "21:00", "quiet_end": "08:00", "default_mode": "immediate", "default_digest_time": "19:00",
		"default_sms": true, "default_in_app": true, "monthly_sms_budget": 3000, "segment_cost": 3.5, "correction_minutes": 5, "version": 0,
	}
	for k, v := range over {
		b[k] = v
	}
	return b
}

func TestNotifySettingsAPI(t *testing.T) {
	t.Parallel()
	w := newMessageWorld(t)
	admin := w.as(mAdmin)
	var s ejournal.NotifySettings
	admin.Get(t, "/v1/notify/settings").Want(t, http.StatusOK).Decode(t, &s)
	if s.Version != 0 || s.QuietStart != "21:00" || s.SchoolID != schoolA {
		t.Fatalf("settings before any change %+v, want the defaults", s)
	}
	admin.Do(t, http.MethodPut, "/v1/notify/settings", settingsBody(map[string]any{"quiet_start": "22:00", "monthly_sms_budget": 1000})).Want(t, http.StatusOK).Decode(t, &s)
	if s.Version != 1 || s.QuietStart != "22:00" || s.MonthlySMSBudget != 1000 {
		t.Fatalf("saved %+v", s)
	}
	w.as(mDirector).Get(t, "/v1/notify/settings").Want(t, http.StatusOK).Decode(t, &s)
	if s.QuietStart != "22:00" {
		t.Fatalf("director reads %+v", s)
	}
	wantError(t, admin.Do(t, http.MethodPut, "/v1/notify/settings", settingsBody(map[string]any{"version": 0})), http.StatusConflict, "")
	admin.Do(t, http.MethodPut, "/v1/notify/settings", settingsBody(map[string]any{"version": 1, "default_mode": "digest"})).Want(t, http.StatusOK)

	bad := settingsBody(map[string]any{"version": 2, "quiet_end": "8 утра", "default_mode": "loud"})
	ru := wantError(t, admin.Do(t, http.MethodPut, "/v1/notify/settings", bad), http.StatusBadRequest, "quiet_end")
	en := wantError(t, admin.With("Accept-Language", "en").Do(t, http.MethodPut, "/v1/notify/settings", bad), http.StatusBadRequest, "default_mode")
	if !strings.Contains(ru.Fields["quiet_end"], "ЧЧ:ММ") || !strings.Contains(en.Fields["quiet_end"], "HH:MM") || en.Fields["default_mode"] == "" {
		t.Fatalf("messages ru %+v, en %+v", ru.Fields, en.Fields)
	}
	wantError(t, admin.Do(t, http.MethodPut, "/v1/notify/settings", settingsBody(map[string]any{"version": 2, "surprise": 1})), http.StatusBadRequest, "surprise")

	for _, token := range []string{mTeacher, mParent1} {
		wantError(t, w.as(token).Get(t, "/v1/notify/settings"), http.StatusForbidden, "")
	}
	for _, token := range []string{mTeacher, mDirector, mParent1} {
		wantError(t, w.as(token).Do(t, http.MethodPut, "/v1/notify/settings", settingsBody(map[string]any{"version": 2})), http.StatusForbidden, "")
	}
	trail, err := w.DB.AuditTrail(t.Context(), schoolA, "notify_settings", schoolA)
	if err != nil {
		t.Fatal(err)
	}
	if len(trail) != 2 || trail[0].ActorID != "p-admin-a" {
		t.Fatalf("audit trail %+v, want two changes by the admin", trail)
	}
	// School B keeps its defaults.
	w.as(mAdminB).Get(t, "/v1/notify/settings").Want(t, http.StatusOK).Decode(t, &s)
	if s.Version != 0 || s.SchoolID != schoolB {
		t.Fatalf("school B's settings %+v", s)
	}
}

// childPreference is an entry of GET /v1/notify/preferences.
type childPreference struct {
	ejournal.NotifyPreference
	ChildName string `json:"child_name"`
	Default   bool   `json:"default"`
}

func TestNotifyPreferencesAPI(t *testing.T) {
	t.Parallel()
	w := newMessageWorld(t)
	parent := w.as(mParent1)
	var prefs struct{ Items []childPreference }
	parent.Get(t, "/v1/notify/preferences").Want(t, http.StatusOK).Decode(t, &prefs)
	if len(prefs.Items) != 1 || !prefs.Items[0].Default || prefs.Items[0].ChildID != "student1" || prefs.Items[0].Mode != ejournal.NotifyImmediate || prefs.Items[0].ChildName != "Мария Иванова" {
		t.Fatalf("preferences before any choice %+v, want the school default for the one child", prefs.Items)
	}
	path := "/v1/notify/preferences/" + "student1"
	var saved childPreference
	parent.Do(t, http.MethodPut, path, map[string]any{"mode": "digest", "digest_time": "20:00", "sms": false, "in_app": true}).Want(t, http.StatusOK).Decode(t, &saved)
	if saved.Version != 1 || saved.Mode != ejournal.NotifyDigest || saved.ParentID != "parent1" || saved.Default {
		t.Fatalf("saved %+v", saved)
	}
	parent.Get(t, "/v1/notify/preferences").Want(t, http.StatusOK).Decode(t, &prefs)
	if p := prefs.Items[0]; p.Default || p.Mode != ejournal.NotifyDigest || p.DigestTime != "20:00" || p.SMS {
		t.Fatalf("preferences after the choice %+v", p)
	}
	wantError(t, parent.Do(t, http.MethodPut, path, map[string]any{"mode": "off"}), http.StatusConflict, "")
	e := wantError(t, parent.With("Accept-Language", "en").Do(t, http.MethodPut, path, map[string]any{"mode": "loud", "version": 1}), http.StatusBadRequest, "mode")
	if !strings.Contains(e.Fields["mode"], "immediate, digest or off") {
		t.Fatalf("English message %q", e.Fields["mode"])
	}
	parent.Do(t, http.MethodPut, path, map[string]any{"mode": "off", "version": 1}).Want(t, http.StatusOK)

	for _, child := range []string{"student2", "student3", "nobody", w.b["student"]} {
		wantError(t, parent.Do(t, http.MethodPut, "/v1/notify/preferences/"+child, map[string]any{"mode": "off"}), http.StatusNotFound, "")
	}
	wantError(t, w.as(mTeacher).Do(t, http.MethodPut, path, map[string]any{"mode": "off"}), http.StatusForbidden, "")
	wantError(t, w.as(mTeacher).Get(t, "/v1/notify/preferences"), http.StatusForbidden, "")

	trail, err := w.DB.AuditTrail(t.Context(), schoolA, "notify_preference", "parent1")
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range trail {
		actions = append(actions, a.Action)
	}
	if !slices.Equal(actions, []string{"create", "update"}) {
		t.Fatalf("preference trail %v", actions)
	}
	ps, err := w.DB.NotifyPreferencesFor(t.Context(), schoolA, []string{"parent1", "parent2"})
	if err != nil || len(ps) != 1 || ps[0].Mode != ejournal.NotifyOff {
		t.Fatalf("preferences for the pipeline %+v, %v", ps, err)
	}
}

func TestSMSConsent(t *testing.T) {
	t.Parallel()
	w := newMessageWorld(t)
	var c struct {
		SMSConsent bool `json:"sms_consent"`
		HasPhone   bool `json:"has_phone"`
	}
	w.as(mParent1).Do(t, http.MethodPut, "/v1/notify/consent", map[string]any{"sms_consent": false}).Want(t, http.StatusOK).Decode(t, &c)
	if c.SMSConsent || c.HasPhone {
		t.Fatalf("consent %+v", c)
	}
	wantError(t, w.as(mParent1).Do(t, http.MethodPut, "/v1/notify/consent", map[string]any{"sms_consent": true}), http.StatusBadRequest, "sms_consent")
	w.as(mParent2).Do(t, http.MethodPut, "/v1/notify/consent", map[string]any{"sms_consent": false}).Want(t, http.StatusOK).Decode(t, &c)
	if c.SMSConsent || !c.HasPhone {
		t.Fatalf("withdrawn consent %+v", c)
	}
	p, err := w.DB.Person(t.Context(), schoolA, "parent2")
	if err != nil || p.Personal.SMSConsent || p.Personal.Phone != "+79120000002" {
		t.Fatalf("parent2's record %+v, %v", p.Personal, err)
	}
	trail, err := w.DB.AuditTrail(t.Context(), schoolA, "person", "parent2")
	if err != nil || len(trail) == 0 || trail[len(trail)-1].Action != "update" || trail[len(trail)-1].ActorID != "parent2" {
		t.Fatalf("parent2's trail %+v, %v", trail, err)
	}
	var pv ejournal.MessagePreview
	w.as(mTeacher).Post(t, "/v1/messages/preview", messageBody(map[string]any{"class_id": w.a["class"], "to_parents": true}, nil)).Want(t, http.StatusOK).Decode(t, &pv)
	if pv.SMSRecipients != 0 {
		t.Fatalf("SMS recipients %d after parent2 withdrew consent, want 0", pv.SMSRecipients)
	}
	wantError(t, w.as(mParent1).Do(t, http.MethodPut, "/v1/notify/consent", map[string]any{}), http.StatusBadRequest, "sms_consent")
	w.as(mParent2).Do(t, http.MethodPut, "/v1/notify/consent", map[string]any{"sms_consent": true}).Want(t, http.StatusOK).Decode(t, &c)
	if !c.SMSConsent || !c.HasPhone {
		t.Fatalf("consent given again %+v", c)
	}
	wantError(t, w.as(mTeacher).Do(t, http.MethodPut, "/v1/notify/consent", map[string]any{"sms_consent": true}), http.StatusForbidden, "")
}
