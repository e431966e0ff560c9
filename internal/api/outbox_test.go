package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"ejournal/internal/apitest"
	"ejournal/internal/ejournal"
)

var outboxTokens = apitest.Tokens{
	"admin":        {PersonID: "o-admin", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Administrator}},
	"director":     {PersonID: "o-director", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Director}},
	"classteacher": {PersonID: "o-ct", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.ClassTeacher}, ClassTeacherOf: []string{"o-class"}},
	"teacher":      {PersonID: "o-teacher", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher}},
	"adminB":       {PersonID: "o-admin-b", SchoolID: schoolB, Roles: []ejournal.Role{ejournal.Administrator}},
}

// newOutboxWorld is the API on a table with schools A and B; school A has
// a budget of 10 segments and, this month, an SMS sent (one segment), one
// pending and one suppressed for lack of consent.
func newOutboxWorld(t *testing.T) (*apitest.Env, string) {
	t.Helper()
	env := apitest.New(t, outboxTokens)
	env.Server.Outbox, env.Server.Notify = env.DB, env.DB
	ctx := context.Background()
	for _, sid := range []string{schoolA, schoolB} {
		if err := env.DB.CreateSchool(ctx, &ejournal.School{ID: sid, Name: "Школа", TimeZone: "Asia/Yekaterinburg"}); err != nil {
			t.Fatal(err)
		}
	}
	set := ejournal.DefaultNotifySettings(schoolA)
	set.MonthlySMSBudget = 10
	if err := env.DB.SaveNotifySettings(ctx, set); err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Yekaterinburg")
	now := time.Now().UTC()
	month := now.In(loc).Format("2006-01")
	for i, suppress := range []string{"", "", ejournal.ReasonNoConsent} {
		n := &ejournal.Notice{
			SchoolID: schoolA, RecipientID: "o-parent", ChildID: "o-child", Key: "k" + string(rune('1'+i)), EventKey: "e" + string(rune('1'+i)), Group: "e" + string(rune('1'+i)),
			Facts: ejournal.NoticeFacts{Kind: ejournal.NoticeMark, ChildFirstName: "Мария", Subject: "Математика", Value: 5, Date: ejournal.DateOf(now)},
			SMS:   true, Phone: "+79120000001", Suppress: suppress, SendAfter: now.Add(-time.Minute), SegmentCost: 350, Month: month, At: now,
		}
		if _, err := env.DB.QueueNotice(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	due, err := env.DB.DueMessages(ctx, now, 10)
	if err != nil || len(due) != 2 {
		t.Fatalf("due: %d, %v", len(due), err)
	}
	m := due[0]
	if ok, err := env.DB.ClaimMessage(ctx, m, now.Add(time.Minute)); !ok || err != nil {
		t.Fatalf("claim: %v, %v", ok, err)
	}
	if _, _, err := env.DB.SpendBudget(ctx, schoolA, month, m.Segments, 10); err != nil {
		t.Fatal(err)
	}
	m.State, m.SNSMessageID, m.SentAt = ejournal.OutboxSent, "sns-1", now
	if err := env.DB.FinishMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	return env, month
}

// TestNotificationReport: the month's counts, spend and budget share for
// the school's reports readers; refused to a class teacher (class scope)
// and a teacher; another school sees only its own (nothing).
func TestNotificationReport(t *testing.T) {
	env, month := newOutboxWorld(t)
	c := env.Client
	var rep ejournal.OutboxReport
	c.As("director").Get(t, "/v1/notifications/report").Want(t, http.StatusOK).Decode(t, &rep)
	want := ejournal.OutboxReport{SchoolID: schoolA, Month: month, Sent: 1, Pending: 1, Segments: 1, Spend: 350, Budget: 10, Used: 1, Share: 1000}
	if rep.Suppressed[ejournal.ReasonNoConsent] != 1 || rep.Sent != want.Sent || rep.Pending != want.Pending || rep.Segments != want.Segments ||
		rep.Spend != want.Spend || rep.Budget != want.Budget || rep.Used != want.Used || rep.Share != want.Share || rep.Month != month || rep.Warning {
		t.Errorf("report %+v, want %+v with one suppressed for no consent", rep, want)
	}
	c.As("admin").Get(t, "/v1/notifications/report?month="+month).Want(t, http.StatusOK)
	rep = ejournal.OutboxReport{}
	c.As("admin").Get(t, "/v1/notifications/report?month=2025-01").Want(t, http.StatusOK).Decode(t, &rep)
	if rep.Sent+rep.Pending != 0 {
		t.Errorf("another month: %+v", rep)
	}
	if e := c.As("admin").Get(t, "/v1/notifications/report?month=2025-13").Want(t, http.StatusBadRequest).Error(t); e.Fields["month"] == "" {
		t.Errorf("bad month: %+v, want the field month named", e)
	}
	for _, who := range []string{"classteacher", "teacher"} {
		c.As(who).Get(t, "/v1/notifications/report").Want(t, http.StatusForbidden)
	}
	c.Get(t, "/v1/notifications/report").Want(t, http.StatusUnauthorized)
	rep = ejournal.OutboxReport{}
	c.As("adminB").Get(t, "/v1/notifications/report").Want(t, http.StatusOK).Decode(t, &rep)
	if rep.SchoolID != schoolB || rep.Sent+rep.Pending+len(rep.Suppressed) != 0 {
		t.Errorf("school B's report %+v", rep)
	}
}

// TestDevSMS: GET /v1/dev/sms exists only in the local server and lists
// the school's SMS newest first with the numbers masked.
func TestDevSMS(t *testing.T) {
	env, _ := newOutboxWorld(t)
	env.Client.As("admin").Get(t, "/v1/dev/sms").Want(t, http.StatusNotFound)
	env.Server.LocalMode = true
	local := apitest.Client{Handler: env.Server.Handler(), Doc: env.Client.Doc}
	var got struct {
		Items []ejournal.OutboxMessage `json:"items"`
	}
	local.As("admin").Get(t, "/v1/dev/sms").Want(t, http.StatusOK).Decode(t, &got)
	if len(got.Items) != 3 {
		t.Fatalf("%d SMS, want 3", len(got.Items))
	}
	states := map[ejournal.OutboxState]int{}
	for i, m := range got.Items {
		states[m.State]++
		if i > 0 && m.CreatedAt.After(got.Items[i-1].CreatedAt) {
			t.Errorf("not newest first: %v after %v", m.CreatedAt, got.Items[i-1].CreatedAt)
		}
		if m.Phone != "" && (!strings.Contains(m.Phone, "*") || strings.Contains(m.Phone, "2000000")) {
			t.Errorf("phone %q not masked", m.Phone)
		}
	}
	if states[ejournal.OutboxSent] != 1 || states[ejournal.OutboxPending] != 1 || states[ejournal.OutboxSuppressed] != 1 {
		t.Errorf("states %v", states)
	}
	local.As("teacher").Get(t, "/v1/dev/sms").Want(t, http.StatusForbidden)
	local.As("adminB").Get(t, "/v1/dev/sms").Want(t, http.StatusOK).Decode(t, &got)
	if len(got.Items) != 0 {
		t.Errorf("school B sees %d SMS of school A", len(got.Items))
	}
}
