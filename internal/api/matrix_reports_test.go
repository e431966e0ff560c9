package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"ejournal/internal/ejournal"
)

// The matrix rows of the reports function, lesson generation and the SMS
// delivery report: reports.read is the director's and the head teacher's
// school-wide and the class teacher's for their class (the administrator
// holds every right); a background job is its requester's alone.

// The records of these rows. Every role's person, an administrator of
// school A who is none of the matrix's principals (mxAdmin2) and school
// B's teacher have a finished report job each (a CSV of their class's
// performance); P1, P2 and school B's parent have an SMS each this month.
const (
	mxJobOther, mxJobB = "sa-admin2-job", "sb-t-job"
	// mxGenFrom..mxGenTo is the first week of the year: lessons are
	// generated from TT1..TT3 there (TT1 is cancelled on its Monday), far
	// from the journal's days.
	mxGenFrom, mxGenTo = "2025-09-01", "2025-09-07"
)

var (
	// mxSchoolReports read the reports of the whole school.
	mxSchoolReports = grant(school, mxAdmin, mxDirector, mxHead)
	// mxReports add the class teacher's reports of their own class.
	mxReports = mxSchoolReports.and(grant(own, mxClassTeacher))
)

// mxJobOf is the id of person's own report job.
func mxJobOf(person string) string { return person + "-job" }

// mxOwnJob: the in-scope job is the caller's own.
func mxOwnJob(suffix string) func(c *mxCase) (string, any) {
	return func(c *mxCase) (string, any) {
		if c.v == vIn && c.role != "" {
			c.id = mxJobOf(mxPerson[c.role])
		}
		return "/v1/reports/jobs/" + c.id + suffix, nil
	}
}

// mxClassReport asks for the report of kind over the class c.id: a filter
// that every kind answers at once (a whole-school attendance report,
// teachers' analysis or forecast is refused with 413 and sent to a job).
func mxClassReport(kind string) func(c *mxCase) (string, any) {
	return func(c *mxCase) (string, any) {
		return fmt.Sprintf("/v1/reports/%s?class_id=%s", kind, c.id), nil
	}
}

func init() {
	mxSetups = append(mxSetups, setupReports)
	mxEntries = append(mxEntries,
		// Reports over a class: the class is checked against the caller's
		// scope before it is looked up, so a class teacher is refused
		// another school's (or a missing) class as they are 5Б.
		mxEntry{route: "GET /v1/reports/performance", allow: mxReports, in: mxC1, other: mxC2, b: mxBClass, scoped: true, req: mxClassReport("performance")},
		mxEntry{route: "GET /v1/reports/attendance", allow: mxReports, in: mxC1, other: mxC2, b: mxBClass, scoped: true, req: mxClassReport("attendance")},
		mxEntry{route: "GET /v1/reports/forecast", allow: mxReports, in: mxC1, other: mxC2, b: mxBClass, scoped: true, req: mxClassReport("forecast")},
		mxEntry{route: "GET /v1/classes/{id}/reports/summary-sheet", allow: mxReports, in: mxC1, other: mxC2, b: mxBClass, scoped: true},
		mxEntry{route: "GET /v1/classes/{id}/reports/class-teacher", allow: mxReports, in: mxC1, other: mxC2, b: mxBClass, scoped: true},
		// The teachers' analysis: the school's readers of anyone; the class
		// teacher (reports.read, if only for a class) of their own work
		// alone. An unknown teacher's analysis is empty, as their day is, so
		// there is no school B variant.
		mxEntry{route: "GET /v1/reports/teachers", allow: mxReports, in: mxT, other: mxT2, req: func(c *mxCase) (string, any) {
			if c.v == vIn && c.role == mxClassTeacher {
				c.id = mxCT
			}
			return fmt.Sprintf("/v1/reports/teachers?teacher_id=%s&year_id=%s", c.id, mxYear), nil
		}},
		// A subject's trend: subjects are the whole school's, so there is no
		// out-of-scope subject; the class teacher's is of their class.
		mxEntry{route: "GET /v1/reports/subjects/{id}/trend", allow: mxReports, in: mxSubject, b: mxBSubject, scoped: true, req: func(c *mxCase) (string, any) {
			return fmt.Sprintf("/v1/reports/subjects/%s/trend?year_id=%s", c.id, mxYear), nil
		}},
		// The movement of students is the administration's.
		mxEntry{route: "GET /v1/reports/movement", allow: mxSchoolReports, req: func(c *mxCase) (string, any) {
			return "/v1/reports/movement?from=2025-09-01&to=2026-08-31", nil
		}},
		// A background job needs the rights of its report's route, and the
		// class it names must be the school's, as for the route itself.
		mxEntry{route: "POST /v1/reports/jobs", allow: mxReports, in: mxC1, other: mxC2, b: mxBClass, scoped: true, req: func(c *mxCase) (string, any) {
			return "", map[string]any{"kind": "attendance", "params": map[string]string{"class_id": c.id}, "format": "json"}
		}},
		// Only the requester sees a job and its file, whatever their roles
		// now (the rights were checked when they asked for it); anyone
		// else's job is looked up among one's own: not found.
		mxEntry{route: "GET /v1/reports/jobs/{id}", allow: grant(own, ejournal.Roles...), in: "sa-own-job", other: mxJobOther, b: mxJobB, deny: http.StatusNotFound,
			req: mxOwnJob("")},
		mxEntry{route: "GET /v1/reports/jobs/{id}/file", allow: grant(own, ejournal.Roles...), in: "sa-own-job", other: mxJobOther, b: mxJobB, deny: http.StatusNotFound,
			req: mxOwnJob("/file")},

		// Lessons are generated from the timetable by its writers
		// (timetable.write in the whole school).
		mxEntry{route: "POST /v1/years/{id}/lessons/generate", allow: grant(school, mxAdmin, mxHead), in: mxYear, b: mxBYear, req: func(c *mxCase) (string, any) {
			return "", map[string]any{"from": mxGenFrom, "to": mxGenTo}
		}},

		// The school's SMS: its delivery report and (local server only) the
		// SMS themselves are for the readers of the school's reports and its
		// administrator (reports.read or school.write, school-wide).
		mxEntry{route: "GET /v1/notifications/report", allow: mxSchoolReports},
		mxEntry{route: "GET /v1/dev/sms", allow: mxSchoolReports, list: true, in: mxP1, other: mxP2, b: mxBParent},
	)
}

// setupReports writes the report jobs and SMS of these rows, and makes the
// matrix's server the local one.
func setupReports(t *testing.T, m *mxWorld) {
	t.Helper()
	// GET /v1/dev/sms is mounted only in the local server, and Handler()
	// builds its routes once (apitest.New built the matrix's before this),
	// so the server is switched to local mode and its handler built again:
	// the matrix then tries every route of `ejournal serve`, which are
	// Lambda's plus the LocalOnly ones, with the same authorization. The
	// only other effect of LocalMode is that POST /v1/reports/jobs also
	// runs its job in the background, as the local server does; the jobs
	// the rows read are written and run here.
	m.env.Server.LocalMode = true
	m.env.Client.Handler = m.env.Server.Handler()

	for _, r := range ejournal.Roles {
		m.reportJob(t, mxA, mxPerson[r], mxC1)
	}
	m.reportJob(t, mxA, mxAdmin2, mxC1)
	m.reportJob(t, mxB, mxBStaff, mxBClass)

	// The SMS are filed under the school's month of the server's clock,
	// which GET /v1/dev/sms reads (with the month before).
	loc, err := time.LoadLocation("Asia/Yekaterinburg")
	m.must(t, err)
	now := m.env.Server.Tokens.Now()
	for _, s := range []struct{ school, parent, child string }{{mxA, mxP1, mxSt1}, {mxA, mxP2, mxSt2}, {mxB, mxBParent, mxBStudent}} {
		_, err := m.env.DB.QueueNotice(context.Background(), &ejournal.Notice{
			SchoolID: s.school, RecipientID: s.parent, ChildID: s.child, Key: "mx-sms-" + s.parent, EventKey: "mx-" + s.child, Group: "mx-" + s.child,
			Facts: ejournal.NoticeFacts{Kind: ejournal.NoticeMark, ChildFirstName: "Анна", Subject: "Математика", Value: 5, Date: ejournal.DateOf(now.In(loc))},
			SMS:   true, Phone: "+79120000011", Suppress: ejournal.ReasonNoConsent, SendAfter: now, SegmentCost: 350, Month: now.In(loc).Format("2006-01"), At: now,
		})
		m.must(t, err)
	}
}

// reportJob writes person's job for a CSV of class's performance and runs
// it to done.
func (m *mxWorld) reportJob(t *testing.T, school, person, class string) {
	t.Helper()
	ctx := context.Background()
	j := &ejournal.ReportJob{ID: mxJobOf(person), SchoolID: school, RequestedBy: person, Kind: "performance",
		Params: map[string]string{"class_id": class}, Format: "csv", Lang: "ru"}
	m.must(t, m.env.DB.CreateReportJob(ctx, j))
	m.must(t, m.env.Server.RunReportJob(ctx, school, j.ID))
	done, err := m.env.DB.ReportJob(ctx, school, j.ID)
	m.must(t, err)
	if done.State != ejournal.JobDone {
		t.Fatalf("report job %s: state %s, error %v", j.ID, done.State, done.Error)
	}
}
