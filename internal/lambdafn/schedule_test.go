package lambdafn_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"ejournal/internal/api"
	"ejournal/internal/ejournal"
)

// devAdminEnv is the journal world's environment with the developer
// administrator switched on (header admin), for routes only the
// administration may use.
func (w *journalWorld) devAdminEnv() []string {
	return append(append([]string(nil), w.env...), api.DevAdminSwitch+"=1")
}

func TestSchedulingFunction(t *testing.T) {
	w := newJournalWorld(t)
	fn := start(t, "./functions/scheduling", w.devAdminEnv())

	var cal ejournal.Calendar
	decode(t, fn, exchange{method: http.MethodGet, target: "/v1/years/" + jYear + "/calendar", header: admin, status: http.StatusOK}, &cal)
	if cal.WorkingDays != 5 || len(cal.Bells) == 0 || cal.Version != 0 {
		t.Fatalf("calendar %+v, want the default five-day calendar", cal)
	}
	monday, _, _ := ejournal.ParseISOWeek(ejournal.ISOWeek(w.today))
	year := `"from":"` + string(monday) + `"`
	entry := `{"class_id":"` + jClass + `","subject_id":"` + jSubject + `","teacher_id":"` + jTeacher + `","room":"12","weekday":1,"period":1,` + year + `}`
	var e ejournal.TimetableEntry
	decode(t, fn, exchange{method: http.MethodPost, target: "/v1/years/" + jYear + "/timetable", header: admin, body: entry, status: http.StatusCreated}, &e)
	if e.ID == "" || e.TeacherID != jTeacher || e.Version != 1 {
		t.Fatalf("entry %+v", e)
	}
	// The same class, weekday and period again: a clash naming the lesson.
	clash := exchange{method: http.MethodPost, target: "/v1/years/" + jYear + "/timetable", header: admin, body: entry, status: http.StatusConflict}.run(t, fn)
	if !strings.Contains(string(clash.Body), "5А") {
		t.Errorf("clash answer %s does not name class 5А", clash.Body)
	}

	// The week view shows the lesson on Monday with its bells.
	var week ejournal.WeekView
	decode(t, fn, exchange{method: http.MethodGet, target: "/v1/classes/" + jClass + "/timetable?week=" + ejournal.ISOWeek(w.today), header: admin, status: http.StatusOK}, &week)
	if len(week.Days) != 7 || len(week.Days[0].Slots) != 1 || week.Days[0].Slots[0].EntryID != e.ID || week.Days[0].Slots[0].Start == "" {
		t.Fatalf("week %+v, want the Monday lesson with its bell times", week)
	}

	// Lessons of the week come from the timetable, once however often asked.
	gen := `{"from":"` + string(monday) + `","to":"` + string(monday.Time().AddDate(0, 0, 6).Format(time.DateOnly)) + `"}`
	var first, again ejournal.GenerateResult
	decode(t, fn, exchange{method: http.MethodPost, target: "/v1/years/" + jYear + "/lessons/generate", header: admin, body: gen, status: http.StatusOK}, &first)
	decode(t, fn, exchange{method: http.MethodPost, target: "/v1/years/" + jYear + "/lessons/generate", header: admin, body: gen, status: http.StatusOK}, &again)
	if first.Created != 1 || again.Created != 0 || again.Unchanged != 1 {
		t.Errorf("generation %+v then %+v, want 1 created then 1 unchanged", first, again)
	}

	wantInvalid(t, fn, exchange{method: http.MethodGet, target: "/v1/classes/" + jClass + "/timetable?week=2026-W99", header: admin}, "week")
	runAll(t, fn, []exchange{
		{name: "timetable without a token or school", method: "GET", target: "/v1/years/" + jYear + "/timetable", status: 401},
		{name: "the teacher may not change the timetable", method: "POST", target: "/v1/years/" + jYear + "/timetable", header: w.auth, body: entry, status: 403},
	})
}

func TestMessagesFunction(t *testing.T) {
	w := newJournalWorld(t)
	fn := start(t, "./functions/messages", w.env)

	// The teacher writes to the students of the class they teach.
	msg := `{"title":"Экскурсия","body":"В пятницу едем в музей.","audience":{"class_id":"` + jClass + `","to_students":true}}`
	var sent ejournal.Message
	decode(t, fn, exchange{method: http.MethodPost, target: "/v1/messages", header: w.auth, body: msg, status: http.StatusCreated}, &sent)
	if sent.ID == "" || sent.Students != 1 || sent.Recipients != 1 || sent.State != ejournal.MessageSent {
		t.Fatalf("message %+v, want it sent to the one student", sent)
	}
	wantInvalid(t, fn, exchange{method: http.MethodPost, target: "/v1/messages", header: w.auth,
		body: `{"body":"Без получателей","audience":{"class_id":"` + jClass + `"}}`}, "audience.to_parents")
	runAll(t, fn, []exchange{
		{name: "inbox without a token", method: "GET", target: "/v1/messages",
			status: 401, want: `{"error":{"code":"unauthorized","message":"Войдите в систему."}}`},
		{name: "settings are the administration's", method: "PUT", target: "/v1/notify/settings", header: w.auth, body: `{"quiet_start":"22:00"}`, status: 403},
	})
}
