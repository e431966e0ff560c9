package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"ejournal/internal/access"
	"ejournal/internal/api"
	"ejournal/internal/apitest"
	"ejournal/internal/auth"
	"ejournal/internal/ejournal"
	"ejournal/internal/oidc"
)

// The authorization matrix: every route × every role × in-scope, in-school
// out-of-scope, another school's and a missing target → the expected
// status. The expectations below are an oracle written from the
// regulation's roles (../shared/DOMAIN.md) and the documented default
// permissions; they never ask package access, so a too generous (or too
// strict) decision anywhere fails the test.

// The roles, short.
// schoolBValue matches a JSON string that is school B's id or one of its
// records' ids (all start with "sb-"), and not a random value that merely
// begins with "sb" (a one-time password, say).
var schoolBValue = regexp.MustCompile(`"sb(-[^"]*)?"`)

var (
	mxAdmin        = ejournal.Administrator
	mxAssistant    = ejournal.AssistantAdmin
	mxDirector     = ejournal.Director
	mxHead         = ejournal.HeadTeacher
	mxTeacher      = ejournal.Teacher
	mxClassTeacher = ejournal.ClassTeacher
	mxHR           = ejournal.HR
	mxClerk        = ejournal.Clerk
	mxStudent      = ejournal.StudentRole
	mxParent       = ejournal.ParentRole

	// mxOffice read the records of people of the whole school.
	mxOffice = []ejournal.Role{mxAdmin, mxAssistant, mxDirector, mxHead, mxClerk, mxHR}
	// mxStaff are the roles of school staff.
	mxStaff = []ejournal.Role{mxAdmin, mxAssistant, mxDirector, mxHead, mxTeacher, mxClassTeacher, mxHR, mxClerk}
)

// The records of the matrix world. School A: classes C1 (5А) and C2 (5Б)
// of one year, subject S; teacher T teaches S in C1 only, T2 in C2; CT is
// the class teacher of C1 (T2 of C2); student St1 in C1 with parent P1,
// St2 in C2 with parent P2. School B has the same shapes under "sb-" ids.
const (
	mxA, mxB                   = "sa", "sb"
	mxYear, mxYear2            = "sa-y", "sa-y2"
	mxC1, mxC2                 = "sa-c1", "sa-c2"
	mxG1, mxG2                 = "sa-g1", "sa-g2"
	mxSubject, mxSubject2      = "sa-subj", "sa-subj2"
	mxAs1, mxAs2               = "sa-as1", "sa-as2"
	mxT, mxT2, mxCT            = "sa-t", "sa-t2", "sa-ct"
	mxSt1, mxSt2, mxP1, mxP2   = "sa-st1", "sa-st2", "sa-p1", "sa-p2"
	mxAdmin2, mxAcct           = "sa-admin2", "sa-acct" // an administrator and a student, both with accounts
	mxMissing                  = "sa-missing"           // no record has this id
	mxBYear, mxBClass, mxBG    = "sb-y", "sb-c1", "sb-g1"
	mxBSubject, mxBAs          = "sb-subj", "sb-as1"
	mxBStudent, mxBParent      = "sb-st1", "sb-p1"
	mxBStaff, mxBSess, mxOSess = "sb-t", "sb-sess", "sa-sess-t2"
	mxIssuer                   = "https://esia.example"
	// The journal: lessons L1 (5А, S, teacher T), L2 (5Б, S, T2) and school
	// B's on mxDay; LOld1, LOld2 the same past the edit window, on mxOldDay.
	mxL1, mxL2, mxLB = "sa-l1", "sa-l2", "sb-l1"
	mxLOld1, mxLOld2 = "sa-lold1", "sa-lold2"
	mxDay, mxOldDay  = "2026-05-12", "2026-04-01"
	mxFrom, mxTo     = "2026-04-01", "2026-05-31"
	mxAs3            = "sa-as3" // T2 teaches subject 2 in 5А
)

// mxPerson is the person of each role's principal.
var mxPerson = map[ejournal.Role]string{
	mxAdmin: "sa-admin", mxAssistant: "sa-assist", mxDirector: "sa-dir", mxHead: "sa-head", mxTeacher: mxT,
	mxClassTeacher: mxCT, mxHR: "sa-hr", mxClerk: "sa-clerk", mxStudent: mxSt1, mxParent: mxP1,
}

// mxTokens has one principal per role (its token is the role's name),
// holding exactly that role and its relations; Grants are left to the API.
func mxTokens() apitest.Tokens {
	t := apitest.Tokens{}
	for _, r := range ejournal.Roles {
		p := &ejournal.Principal{PersonID: mxPerson[r], SchoolID: mxA, Roles: []ejournal.Role{r}}
		switch r {
		case mxStudent:
			p.ClassID = mxC1
		case mxParent:
			p.Children = map[string]string{mxSt1: mxC1}
		case mxClassTeacher:
			p.ClassTeacherOf = []string{mxC1}
		case mxTeacher:
			p.Teaches = []ejournal.Teaching{{ClassID: mxC1, SubjectID: mxSubject}}
		}
		t[string(r)] = p
	}
	return t
}

// reach is how far a role may use a route.
type reach int

const (
	none   reach = iota // 403
	empty               // a list answers, but shows none of the school's scoped items
	own                 // the in-scope target only
	school              // every target of the school
)

// reaches is a route's oracle: each role's reach; a role not named has none.
type reaches map[ejournal.Role]reach

func grant(r reach, roles ...ejournal.Role) reaches {
	out := reaches{}
	for _, role := range roles {
		out[role] = r
	}
	return out
}

func (a reaches) and(b reaches) reaches {
	out := reaches{}
	for _, m := range []reaches{a, b} {
		for r, v := range m {
			out[r] = v
		}
	}
	return out
}

// variant is which target a case addresses.
type variant int

const (
	vSchool  variant = iota // a route on the school as a whole (lists, creates, own account)
	vIn                     // the in-scope record (own child, own class, a class taught, self)
	vOther                  // a record of the same school out of scope (another family, another class)
	vB                      // a record of school B
	vMissing                // an id no record has: must answer as vB does
)

var variantNames = []string{"school", "in", "other", "school B", "missing"}

// mxEntry is one route of the matrix.
type mxEntry struct {
	route string // "METHOD pattern"
	allow reaches
	// ids are the in-scope, out-of-scope and school B targets of {id};
	// without them the route is used once per role (vSchool). other ""
	// has no out-of-scope variant; b "" has no school B variant.
	in, other, b string
	// list: the ids are checked in the answer (present only within the
	// role's reach; school B's ids never) instead of being addressed.
	list bool
	// deny is the status of an in-school denial when not 403.
	deny int
	// denyOf, when set, gives the status of an in-school denial case by
	// case where it depends on how the caller stands to the record (0: as
	// deny says); say why at the entry.
	denyOf func(c *mxCase) int
	// bStatus is the status for school B's (and missing) target when not
	// 404 (or 403 for a role without the route at all).
	bStatus int
	// scoped: the target is checked against the caller's scope before it
	// is looked up, so a role reaching less than the school may answer 403
	// for school B's (and a missing) target: its scope has no such record.
	scoped bool
	ctype  string
	// req builds the path and body; nil is the pattern with {id} and no body.
	req func(c *mxCase) (string, any)
}

// mxCase is one request of the matrix.
type mxCase struct {
	m       *mxWorld
	tb      testing.TB
	role    ejournal.Role
	v       variant
	id      string // the target of this variant
	allowed bool   // what the oracle expects
}

// path is the route's pattern with {id} filled.
func (c *mxCase) path(e *mxEntry) string {
	return strings.ReplaceAll(strings.SplitN(e.route, " ", 2)[1], "{id}", c.id)
}

// scoped picks the record of the variant: in, other, b, or missing.
func (c *mxCase) scoped(in, other, b string) string {
	switch c.v {
	case vOther:
		return other
	case vB:
		return b
	case vMissing:
		return mxMissing
	}
	return in
}

var (
	patchVersion = func(kind string) func(c *mxCase) (string, any) {
		return func(c *mxCase) (string, any) {
			return "", map[string]any{"version": c.m.version(c.tb, kind, c.id)}
		}
	}
	patchPerson = func(c *mxCase) (string, any) {
		return "", map[string]any{"version": c.m.version(c.tb, "person", c.id), "first_name": "Анна"}
	}
	mxDirectory = grant(school, mxStaff...).and(grant(own, mxStudent, mxParent))
	mxEveryone  = grant(school, ejournal.Roles...)
	mxAdminOnly = grant(school, mxAdmin)
	mxKeepers   = grant(school, mxAdmin, mxAssistant, mxClerk) // student and parent records
	mxHRs       = grant(school, mxAdmin, mxHR)                 // staff records
	mxMovement  = grant(school, mxAdmin, mxAssistant, mxDirector, mxHead, mxClerk)
	// mxPeople read students: the office school-wide, teachers the classes
	// they teach, class teachers their class, parents their children,
	// students themselves.
	mxPeople = grant(school, mxOffice...).and(grant(own, mxTeacher, mxClassTeacher, mxParent, mxStudent))
	// mxAccounts: the administrator manages every account; the assistant
	// administrator ("technical help") those of students and parents, never
	// of someone with rights they lack (that would hand them those rights).
	mxAccounts = grant(school, mxAdmin).and(grant(own, mxAssistant))
	// mxJournalOffice read every journal of the school.
	mxJournalOffice = grant(school, mxAdmin, mxAssistant, mxDirector, mxHead)
	// mxJournal read a class's journal: the office, teachers the classes
	// they teach, class teachers their class.
	mxJournal = mxJournalOffice.and(grant(own, mxTeacher, mxClassTeacher))
	// mxLessonReaders also include the class's students and parents.
	mxLessonReaders = mxJournal.and(grant(own, mxStudent, mxParent))
	// mxLessonWriters write lessons, marks and attendance.
	mxLessonWriters = grant(school, mxAdmin).and(grant(own, mxTeacher))
	// mxMarkEditors add the head teacher's late edits.
	mxMarkEditors = mxLessonWriters.and(grant(school, mxHead))
	// mxMarkViewers see marks somewhere, so the grading rules.
	mxMarkViewers = grant(school, mxAdmin, mxAssistant, mxDirector, mxHead, mxTeacher, mxClassTeacher, mxStudent, mxParent)
)

// mxEntries is the oracle, route by route.
var mxEntries = []mxEntry{
	// Schools: listing and creating them is the deployment operator's.
	{route: "GET /v1/schools", allow: reaches{}},
	{route: "POST /v1/schools", allow: reaches{}, req: func(c *mxCase) (string, any) {
		return "", map[string]any{"name": "Школа", "time_zone": "Asia/Yekaterinburg"}
	}},
	{route: "GET /v1/schools/{id}", allow: mxEveryone, in: mxA, b: mxB},
	{route: "PATCH /v1/schools/{id}", allow: mxAdminOnly, in: mxA, b: mxB, req: patchVersion("school")},

	// The directory: everyone reads years and subjects; class-bound records
	// are the staff's, a student's own class's and a parent's children's.
	// Only the administrator changes it.
	{route: "GET /v1/years", allow: mxEveryone, list: true, in: mxYear, other: mxYear2, b: mxBYear},
	{route: "POST /v1/years", allow: mxAdminOnly, req: func(c *mxCase) (string, any) {
		return "", map[string]any{"id": c.m.fresh("y"), "name": "2030/2031", "start": "2030-09-01", "end": "2031-08-31", "term_kind": "halves", "terms": []any{
			map[string]any{"id": "h1", "name": "I", "start": "2030-09-01", "end": "2030-12-31"},
			map[string]any{"id": "h2", "name": "II", "start": "2031-01-09", "end": "2031-05-31"}}}
	}},
	{route: "GET /v1/years/{id}", allow: mxEveryone, in: mxYear, b: mxBYear},
	{route: "PATCH /v1/years/{id}", allow: mxAdminOnly, in: mxYear, b: mxBYear, req: patchVersion("year")},
	{route: "GET /v1/classes", allow: mxDirectory, list: true, in: mxC1, other: mxC2, b: mxBClass},
	{route: "POST /v1/classes", allow: mxAdminOnly, req: func(c *mxCase) (string, any) {
		return "", map[string]any{"id": c.m.fresh("c"), "year_id": mxYear2, "grade": 7, "letter": "В"}
	}},
	{route: "GET /v1/classes/{id}", allow: mxDirectory, in: mxC1, other: mxC2, b: mxBClass},
	{route: "PATCH /v1/classes/{id}", allow: mxAdminOnly, in: mxC1, other: mxC2, b: mxBClass, req: patchVersion("class")},
	{route: "GET /v1/groups", allow: mxDirectory, list: true, in: mxG1, other: mxG2, b: mxBG},
	{route: "POST /v1/groups", allow: mxAdminOnly, req: func(c *mxCase) (string, any) {
		return "", map[string]any{"id": c.m.fresh("g"), "class_id": mxC1, "name": "Немецкий язык"}
	}},
	{route: "GET /v1/groups/{id}", allow: mxDirectory, in: mxG1, other: mxG2, b: mxBG},
	{route: "PATCH /v1/groups/{id}", allow: mxAdminOnly, in: mxG1, other: mxG2, b: mxBG, req: patchVersion("group")},
	{route: "GET /v1/subjects", allow: mxEveryone, list: true, in: mxSubject, other: mxSubject2, b: mxBSubject},
	{route: "POST /v1/subjects", allow: mxAdminOnly, req: func(c *mxCase) (string, any) {
		return "", map[string]any{"id": c.m.fresh("subj"), "name": "Физика", "short_name": "Физ"}
	}},
	{route: "GET /v1/subjects/{id}", allow: mxEveryone, in: mxSubject, b: mxBSubject},
	{route: "PATCH /v1/subjects/{id}", allow: mxAdminOnly, in: mxSubject, b: mxBSubject, req: patchVersion("subject")},
	{route: "GET /v1/assignments", allow: mxDirectory, list: true, in: mxAs1, other: mxAs2, b: mxBAs},
	{route: "POST /v1/assignments", allow: mxAdminOnly, req: func(c *mxCase) (string, any) {
		return "", map[string]any{"id": c.m.fresh("as"), "year_id": mxYear, "teacher_id": mxT2, "class_id": mxC1, "subject_id": mxSubject2, "hours_per_week": 2}
	}},
	{route: "GET /v1/assignments/{id}", allow: mxDirectory, in: mxAs1, other: mxAs2, b: mxBAs},
	{route: "PATCH /v1/assignments/{id}", allow: mxAdminOnly, in: mxAs1, other: mxAs2, b: mxBAs, req: patchVersion("assignment")},

	// Sign-in and one's own sessions: everyone, for themself only. Another
	// person's session is looked up among one's own: not found.
	{route: "POST /v1/auth/logout", allow: mxEveryone},
	{route: "POST /v1/auth/logout-all", allow: mxEveryone},
	{route: "POST /v1/auth/password", allow: mxEveryone, req: func(c *mxCase) (string, any) {
		return "", map[string]any{"old_password": password, "new_password": "Matrix-pass-8812"}
	}},
	{route: "GET /v1/auth/sessions", allow: mxEveryone},
	{route: "DELETE /v1/auth/sessions/{id}", allow: grant(own, ejournal.Roles...), in: "sa-own-session", other: mxOSess, b: mxBSess, deny: http.StatusNotFound,
		req: func(c *mxCase) (string, any) {
			if c.v == vIn && c.role != "" {
				c.id = c.m.session(c.tb, mxPerson[c.role])
			}
			return "", nil
		}},
	{route: "GET /v1/me", allow: mxEveryone},

	// Accounts and external identities (§9, §11).
	{route: "POST /v1/people/{id}/account", allow: mxAccounts, in: "(fresh student)", other: "(fresh administrator)", b: mxBStudent, req: func(c *mxCase) (string, any) {
		switch c.v {
		case vIn:
			c.id = c.m.person(c.tb, ejournal.Student, mxC1)
		case vOther:
			c.id = c.m.person(c.tb, ejournal.Staff, "", mxAdmin)
		}
		return "", map[string]any{"login": c.m.fresh("login")}
	}},
	{route: "POST /v1/people/{id}/account/reset", allow: mxAccounts, in: mxAcct, other: mxAdmin2, b: mxBStudent},
	{route: "GET /v1/people/{id}/external-identities", allow: mxAccounts, in: mxAcct, other: mxAdmin2, b: mxBStudent},
	{route: "POST /v1/people/{id}/external-identities", allow: mxAccounts, in: mxAcct, other: mxAdmin2, b: mxBStudent, req: func(c *mxCase) (string, any) {
		return "", map[string]any{"subject": c.m.fresh("sub")}
	}},
	{route: "DELETE /v1/people/{id}/external-identities/{subject}", allow: mxAccounts, in: mxAcct, other: mxAdmin2, b: mxBStudent, req: func(c *mxCase) (string, any) {
		subject := c.scoped("sa-linked", "sa-linked2", "sb-linked")
		if c.allowed {
			subject = c.m.link(c.tb, c.id)
		}
		return fmt.Sprintf("/v1/people/%s/external-identities/%s?issuer=%s", c.id, subject, mxIssuer), nil
	}},

	// Roles and rights (§5.2): the administrator's.
	{route: "GET /v1/roles", allow: mxAdminOnly},
	{route: "GET /v1/roles/{role}", allow: mxAdminOnly, req: func(c *mxCase) (string, any) { return "/v1/roles/student", nil }},
	{route: "PUT /v1/roles/{role}", allow: mxAdminOnly, req: func(c *mxCase) (string, any) {
		return "/v1/roles/student", map[string]any{"permissions": access.Defaults()[mxStudent]}
	}},
	{route: "DELETE /v1/roles/{role}/permissions", allow: mxAdminOnly, req: func(c *mxCase) (string, any) { return "/v1/roles/student/permissions", nil }},
	{route: "GET /v1/people/{id}/roles", allow: mxAdminOnly, in: mxT2, b: mxBStaff},
	{route: "PUT /v1/people/{id}/roles", allow: mxAdminOnly, in: mxT2, b: mxBStaff, req: func(c *mxCase) (string, any) {
		return "", map[string]any{"roles": []string{"teacher"}, "version": c.m.version(c.tb, "person", c.id)}
	}},

	// Students (§13, §17): kept by the clerk and the assistant administrator.
	{route: "GET /v1/students", allow: mxPeople, list: true, in: mxSt1, other: mxSt2, b: mxBStudent},
	{route: "POST /v1/students", allow: mxKeepers, req: func(c *mxCase) (string, any) {
		return "", map[string]any{"id": c.m.fresh("st"), "last_name": "Новая", "first_name": "Анна", "class_id": mxC1}
	}},
	{route: "GET /v1/students/{id}", allow: mxPeople, in: mxSt1, other: mxSt2, b: mxBStudent},
	{route: "PATCH /v1/students/{id}", allow: mxKeepers, in: mxSt1, other: mxSt2, b: mxBStudent, req: patchPerson},
	{route: "GET /v1/classes/{id}/students", allow: grant(school, mxAdmin, mxAssistant, mxDirector, mxHead, mxClerk).and(grant(own, mxTeacher, mxClassTeacher)),
		in: mxC1, other: mxC2, b: mxBClass},
	{route: "GET /v1/students/{id}/parents", allow: mxPeople, in: mxSt1, other: mxSt2, b: mxBStudent},
	{route: "POST /v1/students/{id}/parents", allow: mxKeepers, in: mxSt1, other: mxSt2, b: mxBStudent, req: func(c *mxCase) (string, any) {
		parent := mxP2
		if c.allowed {
			parent = c.m.person(c.tb, ejournal.Parent, "")
		}
		return "", map[string]any{"parent_id": parent, "relation": "mother"}
	}},
	{route: "DELETE /v1/students/{id}/parents/{parent_id}", allow: mxKeepers, in: mxSt1, other: mxSt2, b: mxBStudent, req: func(c *mxCase) (string, any) {
		parent := c.scoped(mxP1, mxP2, mxBParent)
		if c.allowed {
			parent = c.m.person(c.tb, ejournal.Parent, "")
			c.m.must(c.tb, c.m.env.DB.Link(context.Background(), &ejournal.Link{SchoolID: mxA, ParentID: parent, ChildID: c.id, Relation: ejournal.Mother}))
		}
		return fmt.Sprintf("/v1/students/%s/parents/%s", c.id, parent), nil
	}},
	{route: "GET /v1/students/{id}/movements", allow: mxMovement, in: mxSt1, other: mxSt2, b: mxBStudent},
	// The student of a movement is in the body: another school's student
	// is a field error, as a missing one is.
	{route: "POST /v1/movements", allow: mxKeepers, in: mxSt1, other: mxSt2, b: mxBStudent, bStatus: http.StatusBadRequest,
		req: func(c *mxCase) (string, any) {
			student := c.id
			if c.allowed {
				student = c.m.person(c.tb, ejournal.Student, c.scoped(mxC1, mxC2, ""))
			}
			return "/v1/movements", map[string]any{"kind": "leave", "student_id": student, "date": "2026-01-15", "order_no": "7-у"}
		}},
	{route: "GET /v1/movements", allow: mxMovement, req: func(c *mxCase) (string, any) { return "/v1/movements?from=2025-09-01&to=2026-08-31", nil }},

	// Parents: the office; a parent themself.
	{route: "GET /v1/parents", allow: grant(school, mxOffice...).and(grant(own, mxParent)).and(grant(empty, mxTeacher, mxClassTeacher, mxStudent)),
		list: true, in: mxP1, other: mxP2, b: mxBParent},
	{route: "POST /v1/parents", allow: mxKeepers, req: func(c *mxCase) (string, any) {
		return "", map[string]any{"id": c.m.fresh("p"), "last_name": "Новая", "first_name": "Анна"}
	}},
	{route: "GET /v1/parents/{id}", allow: grant(school, mxOffice...).and(grant(own, mxParent)), in: mxP1, other: mxP2, b: mxBParent},
	{route: "PATCH /v1/parents/{id}", allow: mxKeepers, in: mxP1, other: mxP2, b: mxBParent, req: patchPerson},

	// Staff (§13): personal cards are HR's; the office sees who works here.
	{route: "GET /v1/staff", allow: grant(school, mxOffice...).and(grant(empty, mxTeacher, mxClassTeacher, mxStudent, mxParent)),
		list: true, in: mxT, other: mxT2, b: mxBStaff},
	{route: "POST /v1/staff", allow: mxHRs, req: func(c *mxCase) (string, any) {
		return "", map[string]any{"id": c.m.fresh("staff"), "last_name": "Новая", "first_name": "Анна",
			"employment": map[string]any{"position": "учитель", "hired_on": "2025-08-25"}}
	}},
	{route: "GET /v1/staff/{id}", allow: grant(school, mxOffice...), in: mxT, other: mxT2, b: mxBStaff},
	{route: "PATCH /v1/staff/{id}", allow: mxHRs, in: mxT, other: mxT2, b: mxBStaff, req: patchPerson},
	{route: "POST /v1/staff/{id}/dismiss", allow: mxHRs, in: mxT, other: mxT2, b: mxBStaff, req: func(c *mxCase) (string, any) {
		if c.allowed {
			c.id = c.m.person(c.tb, ejournal.Staff, "")
		}
		return "", map[string]any{"date": "2026-01-15", "order_no": "12-к"}
	}},

	// The audit trail: the administrator and the director.
	{route: "GET /v1/audit", allow: grant(school, mxAdmin, mxDirector), req: func(c *mxCase) (string, any) {
		return "/v1/audit?entity=person&id=" + mxSt1, nil
	}},
	{route: "GET /v1/audit/log", allow: grant(school, mxAdmin, mxDirector), req: func(c *mxCase) (string, any) { return "/v1/audit/log?date=2026-01-15", nil }},

	// Imports (dry runs: checked, authorized, nothing written).
	{route: "POST /v1/import/students", allow: mxKeepers, ctype: "text/csv", req: func(c *mxCase) (string, any) {
		return "/v1/import/students?dry_run=true&year_id=" + mxYear, studentsFile
	}},
	{route: "POST /v1/import/staff", allow: mxHRs, ctype: "text/csv", req: func(c *mxCase) (string, any) {
		return "/v1/import/staff?dry_run=true", "Фамилия,Имя,Отчество,Должность,Дата приёма\nСмирнова,Ольга,Петровна,Учитель,01.09.2015\n"
	}},

	// Lessons (§6): their teacher (a class×subject they teach) and the
	// administrator write them; whoever reads the class's journal, and the
	// class's students and parents, read them.
	{route: "POST /v1/lessons", allow: mxLessonWriters, in: mxC1, other: mxC2, b: mxBClass, bStatus: http.StatusBadRequest, scoped: true,
		req: func(c *mxCase) (string, any) {
			date, period := c.m.slot()
			return "", map[string]any{"date": date, "period": period, "class_id": c.id, "subject_id": c.scoped(mxSubject, mxSubject, mxBSubject), "topic": "Дроби"}
		}},
	{route: "GET /v1/lessons/{id}", allow: mxLessonReaders, in: mxL1, other: mxL2, b: mxLB},
	{route: "PATCH /v1/lessons/{id}", allow: mxLessonWriters, in: mxL1, other: mxL2, b: mxLB, req: func(c *mxCase) (string, any) {
		return "", map[string]any{"version": c.m.version(c.tb, "lesson", c.id), "topic": "Сложение дробей"}
	}},
	{route: "DELETE /v1/lessons/{id}", allow: mxLessonWriters, in: mxL1, other: mxL2, b: mxLB, req: func(c *mxCase) (string, any) {
		if c.allowed {
			c.id = c.m.lesson(c.tb, c.scoped(mxC1, mxC2, "")).ID
		}
		return fmt.Sprintf("/v1/lessons/%s?version=%d", c.id, c.m.version(c.tb, "lesson", c.id)), nil
	}},
	{route: "GET /v1/classes/{id}/lessons", allow: mxLessonReaders, in: mxC1, other: mxC2, b: mxBClass, req: func(c *mxCase) (string, any) {
		return fmt.Sprintf("/v1/classes/%s/lessons?date=%s", c.id, mxDay), nil
	}},
	// A teacher's own day; the administration's for anyone. (An unknown
	// teacher's day is an empty list, so there is no school B variant.)
	{route: "GET /v1/teachers/{id}/lessons", allow: mxJournalOffice.and(grant(own, mxTeacher)), in: mxT, other: mxT2, req: func(c *mxCase) (string, any) {
		return fmt.Sprintf("/v1/teachers/%s/lessons?date=%s", c.id, mxDay), nil
	}},
	// The grading rules are shown to everyone who sees marks.
	{route: "GET /v1/work-types", allow: mxMarkViewers},
	{route: "GET /v1/grading-settings", allow: mxMarkViewers},
	{route: "PUT /v1/grading-settings", allow: mxAdminOnly, req: func(c *mxCase) (string, any) {
		body := map[string]any{}
		raw, err := json.Marshal(ejournal.DefaultGradingSettings(mxA, mxYear2))
		c.m.must(c.tb, err)
		c.m.must(c.tb, json.Unmarshal(raw, &body))
		body["version"] = c.m.version(c.tb, "grading", mxYear2) - 1
		return "/v1/grading-settings?year_id=" + mxYear2, body
	}},

	// Marks (§7): the lesson's teacher and the administrator; past the
	// edit window, with a reason, the head teacher (their cases use a mark
	// past the window, everyone else's a mark inside it).
	{route: "POST /v1/lessons/{id}/marks", allow: mxLessonWriters, in: mxL1, other: mxL2, b: mxLB, req: func(c *mxCase) (string, any) {
		return "", map[string]any{"marks": []any{map[string]any{"student_id": c.scoped(mxSt1, mxSt2, mxBStudent), "value": 5, "work_type": "classwork"}}}
	}},
	{route: "PATCH /v1/marks/{id}", allow: mxMarkEditors, in: "(mark in 5А)", other: "(mark in 5Б)", b: "(school B's mark)", req: func(c *mxCase) (string, any) {
		c.id = c.m.markFor(c)
		return "", map[string]any{"value": 4, "version": 1, "reason": "Ошибка при вводе"}
	}},
	{route: "DELETE /v1/marks/{id}", allow: mxMarkEditors, in: "(mark in 5А)", other: "(mark in 5Б)", b: "(school B's mark)", req: func(c *mxCase) (string, any) {
		c.id = c.m.markFor(c)
		return fmt.Sprintf("/v1/marks/%s?version=1&reason=%s", c.id, "ошибка"), nil
	}},
	{route: "GET /v1/classes/{id}/term-marks", allow: mxJournal, in: mxC1, other: mxC2, b: mxBClass, scoped: true, req: func(c *mxCase) (string, any) {
		return fmt.Sprintf("/v1/classes/%s/term-marks?subject_id=%s&term_id=h1", c.id, mxSubject), nil
	}},
	// The student is in the body: another school's is a field error.
	{route: "PUT /v1/term-marks", allow: mxLessonWriters, in: mxSt1, other: mxSt2, b: mxBStudent, bStatus: http.StatusBadRequest, req: func(c *mxCase) (string, any) {
		student := c.id
		if c.allowed {
			student = c.m.person(c.tb, ejournal.Student, c.scoped(mxC1, mxC2, ""))
		}
		return "/v1/term-marks", map[string]any{"student_id": student, "subject_id": mxSubject, "term_id": "h2", "value": "5"}
	}},
	// Removing a term mark takes the rights of setting it; the student is
	// in the path, so another school's is not found.
	{route: "DELETE /v1/term-marks/{student_id}/{subject_id}/{term_id}", allow: mxLessonWriters, in: mxSt1, other: mxSt2, b: mxBStudent, req: func(c *mxCase) (string, any) {
		if c.allowed {
			c.id = c.m.debtor(c.tb, c.scoped(mxC1, mxC2, ""))
		}
		return fmt.Sprintf("/v1/term-marks/%s/%s/h1?version=1", c.id, mxSubject), nil
	}},
	{route: "GET /v1/students/{id}/debts", allow: mxLessonReaders, in: mxSt1, other: mxSt2, b: mxBStudent},
	{route: "POST /v1/students/{id}/debts/close", allow: mxLessonWriters, in: mxSt1, other: mxSt2, b: mxBStudent, req: func(c *mxCase) (string, any) {
		if c.allowed {
			c.id = c.m.debtor(c.tb, c.scoped(mxC1, mxC2, ""))
		}
		return "", map[string]any{"subject_id": mxSubject, "term_id": "h1", "retake_value": 3, "retake_date": mxDay}
	}},

	// Attendance (§8): the lesson's teacher marks it, the class teacher
	// excuses absences of their class; lesson by lesson it is the journal's
	// readers', in totals a student's family's too.
	{route: "GET /v1/lessons/{id}/attendance", allow: mxJournal, in: mxL1, other: mxL2, b: mxLB},
	{route: "PUT /v1/lessons/{id}/attendance", allow: mxLessonWriters, in: mxL1, other: mxL2, b: mxLB, req: func(c *mxCase) (string, any) {
		return "", map[string]any{"records": []any{map[string]any{"student_id": c.scoped(mxSt1, mxSt2, mxBStudent), "code": "н"}}}
	}},
	{route: "POST /v1/lessons/{id}/attendance/{student_id}/justify", allow: grant(school, mxAdmin).and(grant(own, mxClassTeacher)), in: mxL1, other: mxL2, b: mxLB,
		req: func(c *mxCase) (string, any) {
			student := c.scoped(mxSt1, mxSt2, mxBStudent)
			if c.allowed {
				student = c.m.absent(c.tb, c.id)
			}
			return fmt.Sprintf("/v1/lessons/%s/attendance/%s/justify", c.id, student), map[string]any{"reason": "Справка из поликлиники"}
		}},
	{route: "GET /v1/students/{id}/attendance", allow: mxLessonReaders, in: mxSt1, other: mxSt2, b: mxBStudent, req: func(c *mxCase) (string, any) {
		return fmt.Sprintf("/v1/students/%s/attendance?from=%s&to=%s", c.id, mxFrom, mxTo), nil
	}},
	// A subject teacher of the class reads its totals too (the journal-read
	// scope of their lessons covers the class as a whole).
	{route: "GET /v1/classes/{id}/attendance", allow: mxJournalOffice.and(grant(own, mxClassTeacher)), in: mxC1, other: mxC2, b: mxBClass, req: func(c *mxCase) (string, any) {
		return fmt.Sprintf("/v1/classes/%s/attendance?from=%s&to=%s", c.id, mxFrom, mxTo), nil
	}},
	// A class's absences of every subject: like its totals.
	{route: "GET /v1/classes/{id}/absences", allow: mxJournalOffice.and(grant(own, mxClassTeacher)), in: mxC1, other: mxC2, b: mxBClass, req: func(c *mxCase) (string, any) {
		return fmt.Sprintf("/v1/classes/%s/absences?from=%s&to=%s", c.id, mxFrom, mxTo), nil
	}},

	// Views: the class journal of a subject is its teachers'; the overview
	// of every subject the class teacher's; a student's diary and summary
	// the family's.
	{route: "GET /v1/classes/{id}/journal", allow: mxJournal, in: mxC1, other: mxC2, b: mxBClass, req: func(c *mxCase) (string, any) {
		return fmt.Sprintf("/v1/classes/%s/journal?subject_id=%s&term_id=h2", c.id, mxSubject), nil
	}},
	{route: "GET /v1/classes/{id}/overview", allow: mxJournalOffice.and(grant(own, mxClassTeacher)), in: mxC1, other: mxC2, b: mxBClass, req: func(c *mxCase) (string, any) {
		return fmt.Sprintf("/v1/classes/%s/overview?term_id=h2", c.id), nil
	}},
	{route: "GET /v1/students/{id}/diary", allow: mxLessonReaders, in: mxSt1, other: mxSt2, b: mxBStudent, req: func(c *mxCase) (string, any) {
		return fmt.Sprintf("/v1/students/%s/diary?from=%s&to=%s", c.id, mxFrom, mxTo), nil
	}},
	{route: "GET /v1/students/{id}/summary", allow: mxLessonReaders, in: mxSt1, other: mxSt2, b: mxBStudent, req: func(c *mxCase) (string, any) {
		return fmt.Sprintf("/v1/students/%s/summary?term_id=h2", c.id), nil
	}},
}

// mxPublic are the routes that need no sign-in, with a request and the
// status every caller gets, signed in or not.
var mxPublic = map[string]struct {
	path   string
	body   any
	status int
}{
	"GET /healthz":               {"/healthz", nil, http.StatusOK},
	"GET /v1/openapi.json":       {"/v1/openapi.json", nil, http.StatusOK},
	"GET /v1/auth/providers":     {"/v1/auth/providers", nil, http.StatusOK},
	"POST /v1/auth/login":        {"/v1/auth/login", map[string]string{"login": "no such login", "password": "x"}, http.StatusUnauthorized},
	"POST /v1/auth/refresh":      {"/v1/auth/refresh", map[string]string{"refresh_token": "x"}, http.StatusUnauthorized},
	"GET /v1/auth/oidc/start":    {"/v1/auth/oidc/start?redirect=//elsewhere", nil, http.StatusBadRequest},
	"GET /v1/auth/oidc/callback": {"/v1/auth/oidc/callback?state=x&code=y", nil, http.StatusBadRequest},
}

// TestMatrixCoversEveryRoute fails when a route is missing from the
// matrix, so a new route cannot go untested.
func TestMatrixCoversEveryRoute(t *testing.T) {
	known := map[string]bool{}
	for _, e := range mxEntries {
		if known[e.route] {
			t.Errorf("%s is in the matrix twice", e.route)
		}
		known[e.route] = true
	}
	routes := map[string]bool{}
	for _, rt := range (&api.Server{}).Routes() {
		key := rt.Method + " " + rt.Pattern
		routes[key] = true
		_, public := mxPublic[key]
		switch {
		case rt.Public && !public:
			t.Errorf("public route %s is not in mxPublic", key)
		case !rt.Public && public:
			t.Errorf("route %s needs sign-in but is in mxPublic", key)
		case !rt.Public && !known[key]:
			t.Errorf("route %s is not in the authorization matrix (mxEntries)", key)
		}
	}
	for key := range known {
		if !routes[key] {
			t.Errorf("the matrix names %s, which is not a route", key)
		}
	}
	for key := range mxPublic {
		if !routes[key] {
			t.Errorf("mxPublic names %s, which is not a route", key)
		}
	}
}

func TestMatrix(t *testing.T) {
	m := newMxWorld(t)
	n := 0
	anon := m.env.Client
	for _, e := range mxEntries {
		// Anonymous: every route needs sign-in.
		c := &mxCase{m: m, tb: t, v: vIn, id: e.in}
		if e.in == "" {
			c.v = vSchool
		}
		if res := m.send(t, anon, &e, c); res.Status != http.StatusUnauthorized {
			t.Errorf("%s anonymous: status %d, want 401; body: %.300s", e.route, res.Status, res.Body)
		}
		n++
		for _, role := range ejournal.Roles {
			r := e.allow[role]
			client := anon.As(string(role))
			var bStatus int
			for _, v := range e.variants() {
				c := &mxCase{m: m, tb: t, role: role, v: v, id: e.target(v)}
				c.allowed = e.list && r > none || v == vSchool && r > empty || v == vIn && r >= own || v == vOther && r == school
				res := m.send(t, client, &e, c)
				n++
				what := fmt.Sprintf("%s as %s on %s target %s", e.route, role, variantNames[v], c.id)
				switch {
				case c.allowed:
					if res.Status < 200 || res.Status > 299 {
						t.Errorf("%s: status %d, want 2xx (allowed); body: %.300s", what, res.Status, res.Body)
					} else if e.list {
						e.checkList(t, what, r, res.Body)
					}
				case v == vB || v == vMissing:
					want := []int{http.StatusNotFound}
					if e.bStatus != 0 {
						want = []int{e.bStatus}
					} else if r == none {
						want = append(want, http.StatusForbidden)
					}
					if e.scoped && r < school {
						want = append(want, http.StatusForbidden)
					}
					if !containsInt(want, res.Status) {
						t.Errorf("%s: status %d, want one of %v; body: %.300s", what, res.Status, want, res.Body)
					}
					if v == vB {
						bStatus = res.Status
					} else if res.Status != bStatus {
						t.Errorf("%s: status %d, but %d for school B's record: existence leaks", what, res.Status, bStatus)
					}
				default:
					want := http.StatusForbidden
					if e.deny != 0 && r > none {
						want = e.deny
					}
					if e.denyOf != nil && e.denyOf(c) != 0 {
						want = e.denyOf(c)
					}
					if res.Status != want {
						t.Errorf("%s: status %d, want %d (denied); body: %.300s", what, res.Status, want, res.Body)
					}
				}
				if schoolBValue.Match(res.Body) {
					t.Errorf("%s: the answer shows a record of school B: %.300s", what, res.Body)
				}
			}
		}
	}
	for key, p := range mxPublic {
		method := strings.SplitN(key, " ", 2)[0]
		for _, token := range append([]string{""}, rolesOf()...) {
			client := anon
			if token != "" {
				client = anon.As(token)
			}
			if res := client.Do(t, method, p.path, p.body); res.Status != p.status {
				t.Errorf("%s as %q: status %d, want %d; body: %.300s", key, token, res.Status, p.status, res.Body)
			}
			n++
		}
	}
	fmt.Fprintf(os.Stderr, "authorization matrix: %d cases\n", n)
	t.Logf("authorization matrix: %d cases", n)
}

func rolesOf() []string {
	var out []string
	for _, r := range ejournal.Roles {
		out = append(out, string(r))
	}
	return out
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// variants are the targets the entry's route is tried on.
func (e *mxEntry) variants() []variant {
	if e.list || e.in == "" && e.other == "" {
		return []variant{vSchool}
	}
	vs := []variant{vIn}
	if e.other != "" {
		vs = append(vs, vOther)
	}
	if e.b != "" {
		vs = append(vs, vB, vMissing)
	}
	return vs
}

func (e *mxEntry) target(v variant) string {
	switch v {
	case vIn:
		return e.in
	case vOther:
		return e.other
	case vB:
		return e.b
	case vMissing:
		return mxMissing
	}
	return ""
}

// checkList checks that a list shows the in-scope id only within the
// role's reach and the out-of-scope id only to the whole school's readers.
func (e *mxEntry) checkList(t *testing.T, what string, r reach, body []byte) {
	t.Helper()
	for _, x := range []struct {
		id   string
		want bool
	}{{e.in, r >= own}, {e.other, r == school}} {
		if got := bytes.Contains(body, []byte(`"`+x.id+`"`)); got != x.want {
			t.Errorf("%s: list shows %s: %v, want %v; body: %.500s", what, x.id, got, x.want, body)
		}
	}
}

// mxSetups add the records of later steps' routes to the world; each
// matrix_<area>_test.go appends its setup and its rows to mxEntries in an
// init function.
var mxSetups []func(t *testing.T, m *mxWorld)

// mxWorld is the matrix's API and store.
type mxWorld struct {
	env *apitest.Env
	n   int
	// lessons are the journal's lessons by id; marks the id of a mark on
	// each of L1, L2 and school B's lesson; slots counts fresh lessons.
	lessons map[string]*ejournal.Lesson
	marks   map[string]string
	slots   int
}

// fresh returns a new id with prefix.
func (m *mxWorld) fresh(prefix string) string {
	m.n++
	return fmt.Sprintf("mx-%s-%d", prefix, m.n)
}

func (m *mxWorld) must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// send makes the request of case c as client.
func (m *mxWorld) send(tb testing.TB, client apitest.Client, e *mxEntry, c *mxCase) *apitest.Response {
	tb.Helper()
	method := strings.SplitN(e.route, " ", 2)[0]
	var path string
	var body any
	if e.req != nil {
		path, body = e.req(c)
	}
	if path == "" {
		path = c.path(e)
	}
	if e.ctype != "" {
		client = client.With("Content-Type", e.ctype)
	}
	return client.Do(tb, method, path, body)
}

// version reads the current version of a record of school A (or B).
func (m *mxWorld) version(tb testing.TB, kind, id string) int64 {
	tb.Helper()
	ctx, db := context.Background(), m.env.DB
	sid := mxA
	if strings.HasPrefix(id, "sb") {
		sid = mxB
	}
	var v int64
	var err error
	switch kind {
	case "school":
		var x *ejournal.School
		if x, err = db.School(ctx, id); err == nil {
			v = x.Version
		}
	case "year":
		var x *ejournal.SchoolYear
		if x, err = db.Year(ctx, sid, id); err == nil {
			v = x.Version
		}
	case "class":
		var x *ejournal.Class
		if x, err = db.Class(ctx, sid, id); err == nil {
			v = x.Version
		}
	case "group":
		var x *ejournal.Group
		if x, err = db.Group(ctx, sid, id); err == nil {
			v = x.Version
		}
	case "subject":
		var x *ejournal.Subject
		if x, err = db.Subject(ctx, sid, id); err == nil {
			v = x.Version
		}
	case "assignment":
		var x *ejournal.Assignment
		if x, err = db.Assignment(ctx, sid, id); err == nil {
			v = x.Version
		}
	case "person":
		var x *ejournal.Person
		if x, err = db.Person(ctx, sid, id); err == nil {
			v = x.Version
		}
	case "lesson":
		var x *ejournal.Lesson
		if x, err = db.Lesson(ctx, sid, id); err == nil {
			v = x.Version
		}
	case "grading":
		var x *ejournal.GradingSettings
		if x, err = db.GradingSettings(ctx, sid, id); err == nil {
			v = x.Version + 1
		}
	}
	if ejournal.ErrorCode(err) == ejournal.ENOTFOUND {
		return 1
	}
	m.must(tb, err)
	return v
}

// person writes a fresh person of school A: a student in class, a parent,
// or a staff member with roles.
func (m *mxWorld) person(tb testing.TB, kind ejournal.PersonKind, class string, roles ...ejournal.Role) string {
	tb.Helper()
	p := &ejournal.Person{ID: m.fresh(string(kind)), SchoolID: mxA, Kind: kind, LastName: "Новая", FirstName: "Анна", ClassID: class, Roles: roles}
	ctx := context.Background()
	if kind == ejournal.Staff {
		p.Employment = &ejournal.Employment{Position: "учитель", HiredOn: "2020-08-25"}
		m.must(tb, m.env.DB.Hire(ctx, p))
	} else {
		m.must(tb, m.env.DB.CreatePerson(ctx, p))
	}
	return p.ID
}

// session opens a fresh session of a person of school A.
func (m *mxWorld) session(tb testing.TB, person string) string {
	tb.Helper()
	id := m.fresh("sess")
	m.must(tb, m.env.DB.CreateSession(context.Background(), mxSessionOf(mxA, person, id)))
	return id
}

func mxSessionOf(school, person, id string) *ejournal.Session {
	now := time.Now()
	return &ejournal.Session{ID: id, SchoolID: school, PersonID: person, SecretHash: strings.Repeat("0", 64), CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(auth.RefreshTTL)}
}

// link links a fresh external account to a person of school A.
func (m *mxWorld) link(tb testing.TB, person string) string {
	tb.Helper()
	subject := m.fresh("sub")
	m.must(tb, m.env.DB.LinkExternal(context.Background(), &ejournal.ExternalIdentity{Issuer: mxIssuer, Subject: subject, SchoolID: mxA, PersonID: person}))
	return subject
}

// slot returns a date and period no lesson of the matrix has yet.
func (m *mxWorld) slot() (ejournal.Date, int) {
	k := m.slots
	m.slots++
	return ejournal.DateOf(ejournal.Date("2026-05-13").Time().AddDate(0, 0, -k/11)), 2 + k%11
}

// lesson writes a fresh lesson of class (5А: T's, 5Б: T2's) in a free slot.
func (m *mxWorld) lesson(tb testing.TB, class string) *ejournal.Lesson {
	tb.Helper()
	date, period := m.slot()
	return m.addLesson(tb, m.fresh("l"), mxA, class, mxSubject, map[string]string{mxC1: mxT, mxC2: mxT2}[class], date, period)
}

func (m *mxWorld) addLesson(tb testing.TB, id, school, class, subject, teacher string, date ejournal.Date, period int) *ejournal.Lesson {
	tb.Helper()
	l := &ejournal.Lesson{ID: id, SchoolID: school, Date: date, ClassID: class, SubjectID: subject, TeacherID: teacher, Period: period, Topic: "Дроби"}
	m.must(tb, m.env.DB.CreateLesson(context.Background(), l))
	m.lessons[id] = l
	return l
}

// mark gives student a 3 at lesson and returns the mark's id.
func (m *mxWorld) mark(tb testing.TB, lesson, student string) string {
	tb.Helper()
	mk := &ejournal.Mark{StudentID: student, Value: 3, WorkType: "classwork"}
	m.must(tb, m.env.DB.CreateMarks(context.Background(), m.lessons[lesson], []*ejournal.Mark{mk}))
	return mk.ID
}

// markFor is the mark case c addresses: a fresh one when it is allowed
// (past the edit window for the head teacher, inside it for the others),
// else the standing mark of the variant's lesson.
func (m *mxWorld) markFor(c *mxCase) string {
	if c.v == vMissing {
		return mxMissing
	}
	if !c.allowed {
		return m.marks[c.scoped(mxL1, mxL2, mxLB)]
	}
	lesson := c.scoped(mxL1, mxL2, "")
	if c.role == mxHead {
		lesson = c.scoped(mxLOld1, mxLOld2, "")
	}
	return m.mark(c.tb, lesson, c.scoped(mxSt1, mxSt2, ""))
}

// debtor writes a fresh student of class with a 2 for the first half in
// subject S: an open debt.
func (m *mxWorld) debtor(tb testing.TB, class string) string {
	tb.Helper()
	id := m.person(tb, ejournal.Student, class)
	m.must(tb, m.env.DB.SetTermMark(context.Background(), &ejournal.Person{ID: id, SchoolID: mxA, Kind: ejournal.Student, ClassID: class},
		&ejournal.TermMark{SubjectID: mxSubject, Period: "h1", Value: "2"}))
	return id
}

// absent writes a fresh student of the lesson's class, absent (н) at it.
func (m *mxWorld) absent(tb testing.TB, lesson string) string {
	tb.Helper()
	l := m.lessons[lesson]
	id := m.person(tb, ejournal.Student, l.ClassID)
	_, _, err := m.env.DB.SetLessonAttendance(context.Background(), l, []ejournal.AttendanceRecord{{StudentID: id, Code: ejournal.Absent}})
	m.must(tb, err)
	return id
}

// journal writes the lessons of both schools with a mark and an absence
// on each, and a debt of St1.
func (m *mxWorld) journal(t *testing.T) {
	t.Helper()
	for _, l := range []struct{ id, school, class, subject, teacher, student string }{
		{mxL1, mxA, mxC1, mxSubject, mxT, mxSt1}, {mxL2, mxA, mxC2, mxSubject, mxT2, mxSt2}, {mxLB, mxB, mxBClass, mxBSubject, mxBStaff, mxBStudent},
	} {
		lesson := m.addLesson(t, l.id, l.school, l.class, l.subject, l.teacher, mxDay, 1)
		m.marks[l.id] = m.mark(t, l.id, l.student)
		_, _, err := m.env.DB.SetLessonAttendance(context.Background(), lesson, []ejournal.AttendanceRecord{{StudentID: l.student, Code: ejournal.Absent}})
		m.must(t, err)
	}
	m.addLesson(t, mxLOld1, mxA, mxC1, mxSubject, mxT, mxOldDay, 1)
	m.addLesson(t, mxLOld2, mxA, mxC2, mxSubject, mxT2, mxOldDay, 1)
	m.must(t, m.env.DB.SetTermMark(context.Background(), &ejournal.Person{ID: mxSt1, SchoolID: mxA, Kind: ejournal.Student, ClassID: mxC1},
		&ejournal.TermMark{SubjectID: mxSubject, Period: "h1", Value: "2"}))
}

// newMxWorld builds schools A and B through the store.
func newMxWorld(t *testing.T) *mxWorld {
	t.Helper()
	env := apitest.New(t, mxTokens())
	key, _, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	env.Server.Tokens = auth.NewTokens(key, "")
	if env.Server.OIDC, err = oidc.New(oidc.Config{Issuer: mxIssuer, ClientID: "ejournal", RedirectURL: "https://ejournal.example/signed-in"}); err != nil {
		t.Fatal(err)
	}
	m := &mxWorld{env: env, lessons: map[string]*ejournal.Lesson{}, marks: map[string]string{}}
	// The journal's lessons are of the 2025/2026 year: the store's clock
	// runs two days after mxDay, inside the marks' edit window.
	shift := time.Until(time.Date(2026, 5, 14, 9, 0, 0, 0, time.UTC))
	env.DB.Now = func() time.Time { return time.Now().Add(shift) }
	ctx, db := context.Background(), env.DB
	must := func(err error) {
		t.Helper()
		m.must(t, err)
	}
	for _, s := range []string{mxA, mxB} {
		must(db.CreateSchool(ctx, &ejournal.School{ID: s, Name: "Школа " + s, TimeZone: "Asia/Yekaterinburg"}))
		for i, start := range []string{"2025", "2026"} {
			end := []string{"2026", "2027"}[i]
			id := s + "-y"
			if i == 1 {
				id += "2"
			}
			must(db.CreateYear(ctx, &ejournal.SchoolYear{ID: id, SchoolID: s, Name: start + "/" + end, Start: ejournal.Date(start + "-09-01"), End: ejournal.Date(end + "-08-31"), TermKind: ejournal.Halves,
				Terms: []ejournal.Term{{ID: "h1", Name: "I", Start: ejournal.Date(start + "-09-01"), End: ejournal.Date(start + "-12-31")}, {ID: "h2", Name: "II", Start: ejournal.Date(end + "-01-09"), End: ejournal.Date(end + "-05-31")}}}))
		}
		for _, subj := range []string{s + "-subj", s + "-subj2"} {
			must(db.CreateSubject(ctx, &ejournal.Subject{ID: subj, SchoolID: s, Name: "Математика " + subj, ShortName: "Матем"}))
		}
	}
	staff := func(school, id string, login string, roles ...ejournal.Role) {
		t.Helper()
		must(db.Hire(ctx, &ejournal.Person{ID: id, SchoolID: school, Kind: ejournal.Staff, LastName: "Сотрудница", FirstName: "Анна", Roles: roles,
			Employment: &ejournal.Employment{Position: "учитель", HiredOn: "2020-08-25"}}))
		if login != "" {
			must(db.CreateAccount(ctx, &ejournal.Account{Login: login, SchoolID: school, PersonID: id, PasswordHash: passwordHash()}))
		}
	}
	for _, r := range mxStaff {
		staff(mxA, mxPerson[r], "mx-"+strings.ReplaceAll(string(r), "_", "-"), r)
	}
	staff(mxA, mxT2, "", mxTeacher)
	staff(mxA, mxAdmin2, "mx-admin2", mxAdmin)
	staff(mxB, mxBStaff, "", mxTeacher)
	for _, c := range []struct{ school, id, letter, teacher string }{{mxA, mxC1, "А", mxCT}, {mxA, mxC2, "Б", mxT2}, {mxB, mxBClass, "А", mxBStaff}} {
		must(db.CreateClass(ctx, &ejournal.Class{ID: c.id, SchoolID: c.school, YearID: c.school + "-y", Grade: 5, Letter: c.letter, ClassTeacherID: c.teacher}))
	}
	for _, g := range []struct{ school, id, class string }{{mxA, mxG1, mxC1}, {mxA, mxG2, mxC2}, {mxB, mxBG, mxBClass}} {
		must(db.CreateGroup(ctx, &ejournal.Group{ID: g.id, SchoolID: g.school, ClassID: g.class, Name: "Английский язык, 1 группа"}))
	}
	for _, a := range []struct{ school, id, teacher, class, subject string }{
		{mxA, mxAs1, mxT, mxC1, mxSubject}, {mxA, mxAs2, mxT2, mxC2, mxSubject}, {mxB, mxBAs, mxBStaff, mxBClass, mxBSubject}, {mxA, mxAs3, mxT2, mxC1, mxSubject2},
	} {
		must(db.CreateAssignment(ctx, &ejournal.Assignment{ID: a.id, SchoolID: a.school, YearID: a.school + "-y", TeacherID: a.teacher, ClassID: a.class, SubjectID: a.subject, HoursPerWeek: 5}))
	}
	personal := &ejournal.Personal{BirthDate: "2014-03-01", Phone: "+79120000011"}
	for _, p := range []struct {
		school, id, class, login string
		kind                     ejournal.PersonKind
	}{
		{mxA, mxSt1, mxC1, "mx-student", ejournal.Student}, {mxA, mxSt2, mxC2, "", ejournal.Student}, {mxA, mxAcct, mxC1, "mx-acct", ejournal.Student},
		{mxA, mxP1, "", "mx-parent", ejournal.Parent}, {mxA, mxP2, "", "", ejournal.Parent},
		{mxB, mxBStudent, mxBClass, "", ejournal.Student}, {mxB, mxBParent, "", "", ejournal.Parent},
	} {
		must(db.CreatePerson(ctx, &ejournal.Person{ID: p.id, SchoolID: p.school, Kind: p.kind, LastName: "Ученица", FirstName: "Анна", ClassID: p.class, Personal: personal}))
		if p.login != "" {
			must(db.CreateAccount(ctx, &ejournal.Account{Login: p.login, SchoolID: p.school, PersonID: p.id, PasswordHash: passwordHash()}))
		}
	}
	for _, l := range []ejournal.Link{{SchoolID: mxA, ParentID: mxP1, ChildID: mxSt1, Relation: ejournal.Mother}, {SchoolID: mxA, ParentID: mxP2, ChildID: mxSt2, Relation: ejournal.Father},
		{SchoolID: mxB, ParentID: mxBParent, ChildID: mxBStudent, Relation: ejournal.Mother}} {
		must(db.Link(ctx, &l))
	}
	must(db.CreateSession(ctx, mxSessionOf(mxA, mxT2, mxOSess)))
	must(db.CreateSession(ctx, mxSessionOf(mxB, mxBStaff, mxBSess)))
	for _, s := range []struct{ school, person, subject string }{{mxA, mxAcct, "sa-linked"}, {mxA, mxAdmin2, "sa-linked2"}, {mxB, mxBStudent, "sb-linked"}} {
		must(db.LinkExternal(ctx, &ejournal.ExternalIdentity{Issuer: mxIssuer, Subject: s.subject, SchoolID: s.school, PersonID: s.person}))
	}
	m.journal(t)
	for _, setup := range mxSetups {
		setup(t, m)
	}
	return m
}
