package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"ejournal/internal/ejournal"
)

// The matrix rows of the scheduling and messages functions: the calendar,
// events, the timetable, substitutions, week views, calendar-thematic
// plans (КТП), messages, inboxes and notification settings.

// The records of these rows. Events EvC1 and EvC2 are class events of 5А
// and 5Б; timetable entries TT1 (5А, S, T, Monday 1), TT2 (5Б, S, T2,
// Monday 1) and TT3 (5А, S, T, Tuesday 1: the one changed in place);
// substitution Sub1 cancels TT1 on 1 September; plans of 5А×S and 5Б×S;
// messages M1 (T to 5А), MCT (CT to 5А) and M2 (T2 to 5Б), to parents and
// students; each role's person and St2 have an inbox item. School B has
// the same under "sb-" ids.
const (
	mxEvC1, mxEvC2, mxEvB      = "sa-ev1", "sa-ev2", "sb-ev1"
	mxTT1, mxTT2, mxTT3, mxTTB = "sa-tt1", "sa-tt2", "sa-tt3", "sb-tt1"
	mxSub1, mxSubB             = "sa-sub1", "sb-sub1"
	mxM1, mxMCT, mxM2, mxMB    = "sa-m1", "sa-mct", "sa-m2", "sb-m1"
	mxItemOther, mxItemB       = "sa-st2-item", "sb-st1-item"
	mxEvDay, mxWeek            = "2026-05-15", "2026-W20"
	mxYearStart                = "2025-09-01"
)

var (
	mxPlan1 = ejournal.PlanID(mxC1, mxSubject, "")
	mxPlan2 = ejournal.PlanID(mxC2, mxSubject, "")
	mxPlanB = ejournal.PlanID(mxBClass, mxBSubject, "")

	// mxTimetableReaders: the staff roles holding timetable.read, all
	// school-wide (HR and the clerk lack it).
	mxTimetableReaders = grant(school, mxAdmin, mxAssistant, mxDirector, mxHead, mxTeacher, mxClassTeacher)
	// mxClassTimetable adds a student's own class and a parent's
	// children's classes (timetable.read in self and children scope).
	mxClassTimetable = mxTimetableReaders.and(grant(own, mxStudent, mxParent))
	// mxTimetableWriters hold timetable.write: the timetable, bells, events.
	mxTimetableWriters = grant(school, mxAdmin, mxHead)
	// mxPlanWriters: the administration, and a teacher for the class and
	// subject they teach.
	mxPlanWriters = grant(school, mxAdmin, mxHead).and(grant(own, mxTeacher))
	// mxSenders send messages: the administration to anyone, a teacher to a
	// class they teach, a class teacher to their class.
	mxSenders = grant(school, mxAdmin, mxDirector, mxHead).and(grant(own, mxTeacher, mxClassTeacher))
	// mxFamily are the roles with no staff role.
	mxFamily = []ejournal.Role{mxStudent, mxParent}
)

// mxSchedule counts the fresh timetable slots and Mondays handed out.
var mxSchedule struct{ slots, mondays int }

// mxEventHidden: 5Б's class event does not concern St1 or P1, who cannot
// read it: to them it does not exist (404, as a missing event), whatever
// they try on it.
func mxEventHidden(c *mxCase) int {
	if c.v == vOther && (c.role == mxStudent || c.role == mxParent) {
		return http.StatusNotFound
	}
	return 0
}

// mxOwnMessage: the class teacher's own message is the one they sent to 5А;
// everyone else's in-scope message is T's to 5А (sent by T, received by
// St1 and P1).
func mxOwnMessage(c *mxCase) (string, any) {
	if c.v == vIn && c.role == mxClassTeacher {
		c.id = mxMCT
	}
	return "", nil
}

func init() {
	mxSetups = append(mxSetups, setupSchedule)
	mxEntries = append(mxEntries,
		// The calendar (holidays, bells) concerns everyone who reads the
		// timetable, students and parents included; timetable.write
		// changes it.
		mxEntry{route: "GET /v1/years/{id}/calendar", allow: mxTimetableReaders.and(grant(school, mxFamily...)), in: mxYear, other: mxYear2, b: mxBYear},
		mxEntry{route: "PUT /v1/years/{id}/calendar", allow: mxTimetableWriters, in: mxYear, other: mxYear2, b: mxBYear, req: mxCalendarBody},

		// Events: staff see every event, a student or parent the school's
		// and their class's; timetable.write writes them.
		mxEntry{route: "GET /v1/events", allow: mxClassTimetable, list: true, in: mxEvC1, other: mxEvC2, b: mxEvB, req: func(c *mxCase) (string, any) {
			return "/v1/events?from=2026-05-01&to=2026-05-31", nil
		}},
		// The classes are in the body: another school's is a field error.
		mxEntry{route: "POST /v1/events", allow: mxTimetableWriters, in: mxC1, other: mxC2, b: mxBClass, bStatus: http.StatusBadRequest, scoped: true,
			req: func(c *mxCase) (string, any) {
				return "", map[string]any{"title": "Экскурсия", "date": mxEvDay, "audience": "classes", "class_ids": []string{c.id}}
			}},
		mxEntry{route: "GET /v1/events/{id}", allow: mxClassTimetable, in: mxEvC1, other: mxEvC2, b: mxEvB, deny: http.StatusNotFound},
		mxEntry{route: "PUT /v1/events/{id}", allow: mxTimetableWriters, in: mxEvC1, other: mxEvC2, b: mxEvB, denyOf: mxEventHidden, req: func(c *mxCase) (string, any) {
			return "", c.m.eventBody(c.tb, c.id)
		}},
		mxEntry{route: "DELETE /v1/events/{id}", allow: mxTimetableWriters, in: mxEvC1, other: mxEvC2, b: mxEvB, denyOf: mxEventHidden, req: func(c *mxCase) (string, any) {
			if c.allowed {
				c.id = c.m.event(c.tb, c.scoped(mxC1, mxC2, ""))
			}
			return fmt.Sprintf("/v1/events/%s?version=%d", c.id, c.m.eventVersion(c.tb, c.id)), nil
		}},

		// The timetable of the whole school is the staff's (a student's
		// timetable.read reaches their own class only: the class week).
		mxEntry{route: "GET /v1/years/{id}/timetable", allow: mxTimetableReaders, in: mxYear, other: mxYear2, b: mxBYear},
		mxEntry{route: "POST /v1/years/{id}/timetable", allow: mxTimetableWriters, in: mxYear, b: mxBYear, req: func(c *mxCase) (string, any) {
			weekday, period := 6, 12
			if c.allowed {
				weekday, period = mxFreeSlot()
			}
			body := mxEntryBody(mxC2, mxT2, weekday, period, 0)
			delete(body, "version") // a new entry has none
			return "", body
		}},
		mxEntry{route: "PUT /v1/years/{id}/timetable/{entry_id}", allow: mxTimetableWriters, in: mxYear, b: mxBYear, req: func(c *mxCase) (string, any) {
			body := mxEntryBody(mxC1, mxT, 2, 1, c.m.entryVersion(c.tb, c.id, mxTT3))
			return mxTTPath(c, "timetable", mxTT3, mxTTB), body
		}},
		mxEntry{route: "DELETE /v1/years/{id}/timetable/{entry_id}", allow: mxTimetableWriters, in: mxYear, b: mxBYear, req: func(c *mxCase) (string, any) {
			entry := mxTT1
			if c.allowed {
				entry = c.m.entry(c.tb).ID
			}
			return mxTTPath(c, "timetable", entry, mxTTB) + "?version=1", nil
		}},
		mxEntry{route: "POST /v1/years/{id}/timetable/{entry_id}/change", allow: mxTimetableWriters, in: mxYear, b: mxBYear, req: func(c *mxCase) (string, any) {
			e := &ejournal.TimetableEntry{ID: mxTT1, ClassID: mxC1, TeacherID: mxT, Weekday: 1, Period: 1}
			if c.allowed {
				e = c.m.entry(c.tb)
			}
			body := mxEntryBody(e.ClassID, e.TeacherID, e.Weekday, e.Period, 1)
			body["from"] = "2026-02-02"
			return mxTTPath(c, "timetable", e.ID, mxTTB) + "/change", body
		}},
		mxEntry{route: "GET /v1/years/{id}/substitutions", allow: mxTimetableReaders, in: mxYear, other: mxYear2, b: mxBYear},
		mxEntry{route: "POST /v1/years/{id}/substitutions", allow: mxTimetableWriters, in: mxYear, b: mxBYear, req: func(c *mxCase) (string, any) {
			date := ejournal.Date(mxYearStart)
			if c.allowed {
				date = mxFreeMonday()
			}
			return "", map[string]any{"entry_id": mxTT1, "date": date, "cancelled": true, "reason": "Болезнь учителя"}
		}},
		mxEntry{route: "DELETE /v1/years/{id}/substitutions/{sub_id}", allow: mxTimetableWriters, in: mxYear, b: mxBYear, req: func(c *mxCase) (string, any) {
			sub := mxSub1
			if c.allowed {
				sub = c.m.substitution(c.tb)
			}
			return mxTTPath(c, "substitutions", sub, mxSubB) + "?version=1", nil
		}},
		// Week views: a class's week for its readers (a student's own class,
		// a parent's child's); a teacher's week for the staff.
		mxEntry{route: "GET /v1/classes/{id}/timetable", allow: mxClassTimetable, in: mxC1, other: mxC2, b: mxBClass, req: func(c *mxCase) (string, any) {
			return fmt.Sprintf("/v1/classes/%s/timetable?week=%s", c.id, mxWeek), nil
		}},
		mxEntry{route: "GET /v1/teachers/{id}/timetable", allow: mxTimetableReaders, in: mxT, other: mxT2, b: mxBStaff, req: func(c *mxCase) (string, any) {
			return fmt.Sprintf("/v1/teachers/%s/timetable?week=%s", c.id, mxWeek), nil
		}},

		// Plans (КТП): read as the class's journal is; written by the
		// administration and by the teacher of the class and subject.
		mxEntry{route: "GET /v1/years/{id}/plans", allow: mxJournal, list: true, in: mxPlan1, other: mxPlan2, b: mxPlanB, req: func(c *mxCase) (string, any) {
			return "/v1/years/" + mxYear + "/plans", nil
		}},
		// The class is in the body: another school's is a field error.
		mxEntry{route: "POST /v1/years/{id}/plans", allow: mxPlanWriters, in: mxC1, other: mxC2, b: mxBClass, bStatus: http.StatusBadRequest, scoped: true,
			req: func(c *mxCase) (string, any) {
				body := map[string]any{"class_id": c.id, "subject_id": c.scoped(mxSubject, mxSubject, mxBSubject), "topics": mxTopics()}
				if c.allowed {
					body["group_id"] = c.m.group(c.tb, c.id)
				}
				return "/v1/years/" + mxYear + "/plans", body
			}},
		mxEntry{route: "GET /v1/years/{id}/plans/{plan_id}", allow: mxJournal, in: mxPlan1, other: mxPlan2, b: mxPlanB, req: func(c *mxCase) (string, any) {
			return mxPlanPath(c, ""), nil
		}},
		mxEntry{route: "PUT /v1/years/{id}/plans/{plan_id}", allow: mxPlanWriters, in: mxPlan1, other: mxPlan2, b: mxPlanB, req: func(c *mxCase) (string, any) {
			return mxPlanPath(c, ""), c.m.planBody(c.tb, mxPlanYearOf(c), c.id)
		}},
		mxEntry{route: "DELETE /v1/years/{id}/plans/{plan_id}", allow: mxPlanWriters, in: mxPlan1, other: mxPlan2, b: mxPlanB, req: func(c *mxCase) (string, any) {
			if c.allowed {
				c.id = c.m.plan(c.tb, c.scoped(mxC1, mxC2, ""))
			}
			return fmt.Sprintf("%s?version=%d", mxPlanPath(c, ""), c.m.planBody(c.tb, mxPlanYearOf(c), c.id)["version"]), nil
		}},
		mxEntry{route: "GET /v1/years/{id}/plans/{plan_id}/progress", allow: mxJournal, in: mxPlan1, other: mxPlan2, b: mxPlanB, req: func(c *mxCase) (string, any) {
			return mxPlanPath(c, "/progress"), nil
		}},
		mxEntry{route: "GET /v1/years/{id}/plans/{plan_id}/export", allow: mxJournal, in: mxPlan1, other: mxPlan2, b: mxPlanB, req: func(c *mxCase) (string, any) {
			return mxPlanPath(c, "/export"), nil
		}},
		// A copy reads its source and writes the new plan: to a fresh group
		// of the source's class when allowed. A reader who may not write
		// (the director, a class teacher) is refused.
		mxEntry{route: "POST /v1/years/{id}/plans/{plan_id}/copy", allow: mxPlanWriters, in: mxPlan1, other: mxPlan2, b: mxPlanB, req: func(c *mxCase) (string, any) {
			class := c.scoped(mxC1, mxC2, mxBClass)
			body := map[string]any{"class_id": class}
			if c.allowed {
				body["group_id"] = c.m.group(c.tb, class)
			}
			return mxPlanPath(c, "/copy"), body
		}},
		// An import into the plan of the class's group (created, then
		// replaced: repeatable). The class is in the query: another
		// school's is a field error, as in the body of a new plan.
		mxEntry{route: "POST /v1/years/{id}/plan-import", allow: mxPlanWriters, in: mxC1, other: mxC2, b: mxBClass, bStatus: http.StatusBadRequest, scoped: true, ctype: "text/csv",
			req: func(c *mxCase) (string, any) {
				return fmt.Sprintf("/v1/years/%s/plan-import?class_id=%s&subject_id=%s&group_id=%s", mxYear, c.id, c.scoped(mxSubject, mxSubject, mxBSubject), c.scoped(mxG1, mxG2, mxBG)),
					planCSVHeader + "1;Дроби;Сложение дробей;2;\n"
			}},

		// Messages: the senders write to the classes in their scope (the
		// audience is in the body: another school's class is a field
		// error); everyone has their own inbox and sent list.
		mxEntry{route: "POST /v1/messages", allow: mxSenders, in: mxC1, other: mxC2, b: mxBClass, bStatus: http.StatusBadRequest, scoped: true, req: mxMessageBody},
		mxEntry{route: "POST /v1/messages/preview", allow: mxSenders, in: mxC1, other: mxC2, b: mxBClass, bStatus: http.StatusBadRequest, scoped: true, req: mxMessageBody},
		mxEntry{route: "GET /v1/messages", allow: mxEveryone},
		mxEntry{route: "GET /v1/messages/sent", allow: mxEveryone},
		// One's own inbox item; another person's is looked up among one's
		// own: not found.
		mxEntry{route: "POST /v1/messages/inbox/{item_id}/read", allow: grant(own, ejournal.Roles...), in: "sa-own-item", other: mxItemOther, b: mxItemB, deny: http.StatusNotFound,
			req: func(c *mxCase) (string, any) {
				if c.v == vIn && c.role != "" {
					c.id = mxItemOf(mxPerson[c.role])
				}
				return fmt.Sprintf("/v1/messages/inbox/%s/read", c.id), nil
			}},
		// A message is its sender's and its recipients'; the administration
		// (messages.send school-wide) oversees all. To anyone else it does
		// not exist: 404, even to roles that send or receive none (their
		// reach is empty, not none).
		mxEntry{route: "GET /v1/messages/{id}", allow: grant(school, mxAdmin, mxDirector, mxHead).and(grant(own, mxTeacher, mxClassTeacher, mxStudent, mxParent)).
			and(grant(empty, mxAssistant, mxHR, mxClerk)), in: mxM1, other: mxM2, b: mxMB, deny: http.StatusNotFound, req: mxOwnMessage},
		// Who read a message: its sender and the administration. A recipient
		// sees the message but not its readers (403); others find none.
		mxEntry{route: "GET /v1/messages/{id}/readers", allow: grant(school, mxAdmin, mxDirector, mxHead).and(grant(own, mxTeacher, mxClassTeacher)).
			and(grant(empty, mxAssistant, mxHR, mxClerk, mxStudent, mxParent)), in: mxM1, other: mxM2, b: mxMB, deny: http.StatusNotFound, req: mxOwnMessage,
			denyOf: func(c *mxCase) int {
				if c.v == vIn && (c.role == mxStudent || c.role == mxParent) {
					return http.StatusForbidden
				}
				return 0
			}},

		// Notification settings: the school's are the administrator's, shown
		// to the readers of the school's reports too; one's own
		// (notify.settings self) are a student's and a parent's (and the
		// administrator's, who holds every right): preferences per own child
		// (any other child is not found) and the SMS consent.
		mxEntry{route: "GET /v1/notify/settings", allow: grant(school, mxAdmin, mxDirector, mxHead)},
		mxEntry{route: "PUT /v1/notify/settings", allow: mxAdminOnly, req: func(c *mxCase) (string, any) {
			st, err := c.m.env.DB.NotifySettings(context.Background(), mxA)
			c.m.must(c.tb, err)
			return "", settingsBody(map[string]any{"version": st.Version})
		}},
		mxEntry{route: "GET /v1/notify/preferences", allow: grant(own, mxAdmin, mxStudent, mxParent)},
		mxEntry{route: "PUT /v1/notify/preferences/{child_id}", allow: grant(own, mxParent).and(grant(empty, mxAdmin, mxStudent)), in: mxSt1, other: mxSt2, b: mxBStudent,
			deny: http.StatusNotFound, req: func(c *mxCase) (string, any) {
				return fmt.Sprintf("/v1/notify/preferences/%s", c.id), map[string]any{"mode": "immediate", "sms": false, "in_app": true, "version": c.m.preferenceVersion(c.tb, c.id)}
			}},
		mxEntry{route: "PUT /v1/notify/consent", allow: grant(own, mxAdmin, mxStudent, mxParent), req: func(c *mxCase) (string, any) {
			return "", map[string]any{"sms_consent": false}
		}},
	)
}

// mxMessageBody is a message to the parents and students of class c.id.
func mxMessageBody(c *mxCase) (string, any) {
	return "", map[string]any{"title": "Собрание", "body": "Родительское собрание в четверг в 18:00.",
		"audience": map[string]any{"class_id": c.id, "to_parents": true, "to_students": true}}
}

// mxCalendarBody is the calendar of year c.id as stored (or the default)
// at its version: saving it again changes nothing but the version.
func mxCalendarBody(c *mxCase) (string, any) {
	cal, err := c.m.env.DB.Calendar(context.Background(), mxSchoolOf(c.id), c.id)
	c.m.must(c.tb, err)
	return "", cal
}

// mxSchoolOf is the school of a matrix id.
func mxSchoolOf(id string) string {
	if strings.HasPrefix(id, "sb-") {
		return mxB
	}
	return mxA
}

// mxVersionOf is the version read, or 1 for a missing record (a denied case
// still sends a well-formed request).
func mxVersionOf(tb testing.TB, v int64, err error) int64 {
	tb.Helper()
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return 1
	}
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func (m *mxWorld) eventVersion(tb testing.TB, id string) int64 {
	tb.Helper()
	e, err := m.env.DB.Event(context.Background(), mxSchoolOf(id), id)
	if err != nil {
		return mxVersionOf(tb, 0, err)
	}
	return e.Version
}

// eventBody is the event id as stored, at its version (an unchanged
// replacement), or a class event of 5А for a missing one.
func (m *mxWorld) eventBody(tb testing.TB, id string) map[string]any {
	tb.Helper()
	e, err := m.env.DB.Event(context.Background(), mxSchoolOf(id), id)
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		e, err = &ejournal.Event{Title: "Экскурсия", Date: mxEvDay, Audience: ejournal.AudienceClasses, ClassIDs: []string{mxC1}, Version: 1}, nil
	}
	m.must(tb, err)
	return map[string]any{"title": e.Title, "date": e.Date, "audience": e.Audience, "class_ids": e.ClassIDs, "version": e.Version}
}

// event writes a fresh class event of class and returns its id.
func (m *mxWorld) event(tb testing.TB, class string) string {
	tb.Helper()
	e := &ejournal.Event{ID: m.fresh("ev"), SchoolID: mxA, Title: "Экскурсия", Date: mxEvDay, Audience: ejournal.AudienceClasses, ClassIDs: []string{class}}
	m.must(tb, m.env.DB.CreateEvent(context.Background(), e))
	return e.ID
}

// mxEntryBody is the body of a timetable entry of subject S.
func mxEntryBody(class, teacher string, weekday, period int, version int64) map[string]any {
	return map[string]any{"class_id": class, "subject_id": mxSubject, "teacher_id": teacher, "weekday": weekday, "period": period, "from": mxYearStart, "version": version}
}

// mxTTPath is the path of a timetable record (entry or substitution) of the
// year of case c: rec, or recB in school B's year.
func mxTTPath(c *mxCase, kind, rec, recB string) string {
	if c.v == vB {
		rec = recB
	}
	return fmt.Sprintf("/v1/years/%s/%s/%s", c.id, kind, rec)
}

func (m *mxWorld) entryVersion(tb testing.TB, year, id string) int64 {
	tb.Helper()
	e, err := m.env.DB.TimetableEntry(context.Background(), mxSchoolOf(year), year, id)
	if err != nil {
		return mxVersionOf(tb, 0, err)
	}
	return e.Version
}

// mxFreeSlot returns a weekday and period (2 to 12) of 5Б and T2 that no
// entry of the matrix takes yet.
func mxFreeSlot() (weekday, period int) {
	k := mxSchedule.slots
	mxSchedule.slots++
	return 1 + k%6, 2 + k/6
}

// mxFreeMonday returns a Monday of the year on which TT1 has no
// substitution yet.
func mxFreeMonday() ejournal.Date {
	mxSchedule.mondays++
	return ejournal.DateOf(ejournal.Date(mxYearStart).Time().AddDate(0, 0, 7*mxSchedule.mondays))
}

// entry writes a fresh entry of 5Б (subject S, T2) in a free slot.
func (m *mxWorld) entry(tb testing.TB) *ejournal.TimetableEntry {
	tb.Helper()
	weekday, period := mxFreeSlot()
	e := &ejournal.TimetableEntry{SchoolID: mxA, YearID: mxYear, ClassID: mxC2, SubjectID: mxSubject, TeacherID: mxT2, Weekday: weekday, Period: period, From: mxYearStart}
	m.must(tb, m.env.DB.SaveTimetableEntry(context.Background(), e))
	return e
}

// substitution cancels TT1 on a fresh Monday and returns the
// substitution's id.
func (m *mxWorld) substitution(tb testing.TB) string {
	tb.Helper()
	s := &ejournal.Substitution{SchoolID: mxA, YearID: mxYear, EntryID: mxTT1, Date: mxFreeMonday(), Cancelled: true, Reason: "Болезнь учителя"}
	m.must(tb, m.env.DB.SaveSubstitution(context.Background(), s))
	return s.ID
}

// group writes a fresh group of class (school A) and returns its id.
func (m *mxWorld) group(tb testing.TB, class string) string {
	tb.Helper()
	g := &ejournal.Group{ID: m.fresh("g"), SchoolID: mxA, ClassID: class, Name: "Подгруппа"}
	m.must(tb, m.env.DB.CreateGroup(context.Background(), g))
	return g.ID
}

func mxTopics() []map[string]any {
	return []map[string]any{{"section": "Дроби", "title": "Сложение дробей", "hours": 2}}
}

// plan writes the plan of subject S for a fresh group of class and
// returns its id.
func (m *mxWorld) plan(tb testing.TB, class string) string {
	tb.Helper()
	p := &ejournal.Plan{SchoolID: mxA, YearID: mxYear, ClassID: class, SubjectID: mxSubject, GroupID: m.group(tb, class), Topics: []ejournal.PlanTopic{{Title: "Сложение дробей", Hours: 2}}}
	m.must(tb, m.env.DB.SavePlan(context.Background(), p))
	return p.ID
}

// mxPlanYearOf is the year of the plan case c addresses.
func mxPlanYearOf(c *mxCase) string {
	if c.v == vB {
		return mxBYear
	}
	return mxYear
}

// mxPlanPath is the path of the plan case c addresses, with suffix.
func mxPlanPath(c *mxCase, suffix string) string {
	return "/v1/years/" + mxPlanYearOf(c) + "/plans/" + c.id + suffix
}

// planBody is the plan's topics as stored at its version (an unchanged
// replacement), or a topic at version 1 for a missing plan.
func (m *mxWorld) planBody(tb testing.TB, year, id string) map[string]any {
	tb.Helper()
	p, err := m.env.DB.Plan(context.Background(), mxSchoolOf(year), year, id)
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return map[string]any{"topics": mxTopics(), "version": int64(1)}
	}
	m.must(tb, err)
	return map[string]any{"topics": p.Topics, "version": p.Version}
}

// preferenceVersion is P1's preference version for child (0 before the
// first choice).
func (m *mxWorld) preferenceVersion(tb testing.TB, child string) int64 {
	tb.Helper()
	prefs, err := m.env.DB.NotifyPreferences(context.Background(), mxA, mxP1)
	m.must(tb, err)
	for _, p := range prefs {
		if p.ChildID == child {
			return p.Version
		}
	}
	return 0
}

// mxItemOf is the id of person's own inbox item.
func mxItemOf(person string) string { return person + "-item" }

// setupSchedule writes the records of these rows in both schools.
func setupSchedule(t *testing.T, m *mxWorld) {
	t.Helper()
	ctx, db := context.Background(), m.env.DB
	must := func(err error) {
		t.Helper()
		m.must(t, err)
	}
	mxSchedule.slots, mxSchedule.mondays = 0, 0
	for _, e := range []struct{ id, school, class string }{{mxEvC1, mxA, mxC1}, {mxEvC2, mxA, mxC2}, {mxEvB, mxB, mxBClass}} {
		must(db.CreateEvent(ctx, &ejournal.Event{ID: e.id, SchoolID: e.school, Title: "Экскурсия", Date: mxEvDay, Audience: ejournal.AudienceClasses, ClassIDs: []string{e.class}}))
	}
	for _, e := range []struct {
		id, school, class, subject, teacher string
		weekday                             int
	}{
		{mxTT1, mxA, mxC1, mxSubject, mxT, 1}, {mxTT2, mxA, mxC2, mxSubject, mxT2, 1}, {mxTT3, mxA, mxC1, mxSubject, mxT, 2}, {mxTTB, mxB, mxBClass, mxBSubject, mxBStaff, 1},
	} {
		must(db.SaveTimetableEntry(ctx, &ejournal.TimetableEntry{ID: e.id, SchoolID: e.school, YearID: e.school + "-y", ClassID: e.class, SubjectID: e.subject, TeacherID: e.teacher,
			Weekday: e.weekday, Period: 1, From: mxYearStart}))
	}
	for _, s := range []struct{ id, school, entry string }{{mxSub1, mxA, mxTT1}, {mxSubB, mxB, mxTTB}} {
		must(db.SaveSubstitution(ctx, &ejournal.Substitution{ID: s.id, SchoolID: s.school, YearID: s.school + "-y", EntryID: s.entry, Date: mxYearStart, Cancelled: true, Reason: "Болезнь учителя"}))
	}
	for _, p := range []struct{ school, class, subject string }{{mxA, mxC1, mxSubject}, {mxA, mxC2, mxSubject}, {mxB, mxBClass, mxBSubject}} {
		must(db.SavePlan(ctx, &ejournal.Plan{SchoolID: p.school, YearID: p.school + "-y", ClassID: p.class, SubjectID: p.subject, Topics: []ejournal.PlanTopic{{Title: "Сложение дробей", Hours: 2}}}))
	}
	for _, msg := range []struct{ id, school, sender, class string }{{mxM1, mxA, mxT, mxC1}, {mxMCT, mxA, mxCT, mxC1}, {mxM2, mxA, mxT2, mxC2}, {mxMB, mxB, mxBStaff, mxBClass}} {
		must(db.SendMessage(ctx, &ejournal.Message{ID: msg.id, SchoolID: msg.school, SenderID: msg.sender, Body: "Собрание в четверг.",
			Audience: ejournal.Audience{ClassID: msg.class, ToParents: true, ToStudents: true}}))
	}
	item := func(school, person string) *ejournal.InboxItem {
		return &ejournal.InboxItem{ID: mxItemOf(person), SchoolID: school, RecipientID: person, Kind: ejournal.NoticeMessage, Body: "Собрание в четверг."}
	}
	items := []*ejournal.InboxItem{item(mxA, mxSt2), item(mxB, mxBStudent)}
	for _, r := range ejournal.Roles {
		items = append(items, item(mxA, mxPerson[r]))
	}
	must(db.PutInboxItems(ctx, items))
}
