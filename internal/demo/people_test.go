package demo_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"ejournal/internal/apitest"
	"ejournal/internal/auth"
	"ejournal/internal/config"
	"ejournal/internal/demo"
	"ejournal/internal/dynamo"
	"ejournal/internal/ejournal"
)

// testStaffRoles checks that every member of staff holds the roles of
// their post and has an employment record: teachers teach, class teachers
// also lead their class, and the office staff of the demo school are there.
func testStaffRoles(t *testing.T, db *dynamo.DB) {
	want := map[string]map[string][]ejournal.Role{
		demo.SchoolID: {
			demo.DirectorID: {ejournal.Director}, demo.AdminID: {ejournal.Administrator},
			demo.HeadTeacherID: {ejournal.HeadTeacher}, demo.HRID: {ejournal.HR}, demo.ClerkID: {ejournal.Clerk},
			demo.AssistantAdminID: {ejournal.AssistantAdmin},
		},
		demo.SmallSchoolID: {demo.DirectorID: {ejournal.Director}, demo.AdminID: {ejournal.Administrator}},
	}
	for _, s := range schools {
		d := read(t, db, s.id)
		leads := map[string]bool{}
		for _, c := range d.classes {
			leads[c.ClassTeacherID] = true
		}
		for id, p := range d.staff {
			roles, office := want[s.id][id]
			if !office {
				roles = []ejournal.Role{ejournal.Teacher}
				if leads[id] {
					roles = append(roles, ejournal.ClassTeacher)
				}
			}
			if !slices.Equal(p.Roles, roles) {
				t.Errorf("%s %s: roles %v, want %v", s.id, id, p.Roles, roles)
			}
			if p.Employment == nil || p.Employment.Position == "" || !p.Employment.HiredOn.Valid() || p.Employment.Dismissed() {
				t.Errorf("%s %s: employment %+v", s.id, id, p.Employment)
			}
		}
		for id := range want[s.id] {
			if d.staff[id] == nil {
				t.Errorf("%s: no %s", s.id, id)
			}
		}
	}
}

// testFamilies checks that every student has a birth date fitting their
// grade and a mother and maybe a father, with E.164 phones, most of them
// consenting to SMS, and that every parent is somebody's parent.
func testFamilies(t *testing.T, db *dynamo.DB) {
	ctx := context.Background()
	for _, s := range schools {
		d := read(t, db, s.id)
		parents := map[string]*ejournal.Person{}
		for _, p := range d.parents {
			parents[p.ID] = p
		}
		linked, consent := map[string]bool{}, 0
		for classID, students := range d.students {
			// On 1 September 2026 a first-grader is 6½ to 7½ years old.
			grade := d.classes[classID].Grade
			from, until := ejournal.Date(fmt.Sprintf("%d-03-01", 2020-grade)), ejournal.Date(fmt.Sprintf("%d-03-01", 2021-grade))
			for _, st := range students {
				if b := st.Personal; b == nil || b.BirthDate < from || b.BirthDate >= until {
					t.Errorf("%s %s in grade %d: personal %+v", s.id, st.ID, grade, st.Personal)
				}
				links, err := db.Parents(ctx, s.id, st.ID)
				check(t, err)
				var relations []string
				for _, l := range links {
					relations = append(relations, l.Relation)
					p := parents[l.ParentID]
					if p == nil {
						t.Fatalf("%s %s: parent %s is not in the list of parents", s.id, st.ID, l.ParentID)
					}
					linked[p.ID] = true
					female := strings.HasSuffix(p.MiddleName, "на")
					if female != (l.Relation == ejournal.Mother) {
						t.Errorf("%s: %s is the %s of %s", s.id, p.FullName(), l.Relation, st.ID)
					}
					phone, ok := ejournal.NormalizePhone(p.Personal.Phone)
					if !ok || phone != p.Personal.Phone || !strings.HasPrefix(phone, "+7912") {
						t.Errorf("%s %s: phone %q", s.id, p.ID, p.Personal.Phone)
					}
					if p.Personal.SMSConsent {
						consent++
					}
				}
				slices.Sort(relations)
				if !slices.Equal(relations, []string{ejournal.Father, ejournal.Mother}) && !slices.Equal(relations, []string{ejournal.Mother}) {
					t.Errorf("%s %s: parents %v, want a mother and maybe a father", s.id, st.ID, relations)
				}
			}
		}
		if len(linked) != len(d.parents) {
			t.Errorf("%s: %d parents, %d of them linked to a child", s.id, len(d.parents), len(linked))
		}
		if 10*consent < 8*len(d.parents) {
			t.Errorf("%s: %d of %d parents consent to SMS, want most", s.id, consent, len(d.parents))
		}
	}
}

// testAccounts checks the demo accounts in the store: each belongs to the
// person Accounts names, is open, needs no change of password and takes
// the demo password.
func testAccounts(t *testing.T, db *dynamo.DB) {
	ctx := context.Background()
	accounts := demo.Accounts()
	var logins []string
	for _, da := range accounts {
		logins = append(logins, da.Login)
		a, err := db.Account(ctx, da.Login)
		if err != nil {
			t.Fatalf("account %s: %v", da.Login, err)
		}
		if a.SchoolID != da.SchoolID || a.PersonID != da.PersonID || a.MustChange || a.Disabled {
			t.Errorf("account %s: %+v, want %s/%s, open, no change of password", da.Login, a, da.SchoolID, da.PersonID)
		}
		if ok, err := auth.VerifyPassword(a.PasswordHash, demo.DefaultPassword); !ok || err != nil {
			t.Errorf("account %s: the demo password does not match (%v)", da.Login, err)
		}
		p, err := db.Person(ctx, da.SchoolID, da.PersonID)
		check(t, err)
		if p.Login != da.Login || !strings.HasPrefix(da.Who, p.FullName()+", ") {
			t.Errorf("account %s: person %s has login %q and name %q; Who = %q", da.Login, p.ID, p.Login, p.FullName(), da.Who)
		}
	}
	want := []string{"admin", "director", "headteacher", "teacher", "classteacher", "hr", "clerk", "parent", "student", "admin2"}
	if !slices.Equal(logins, want) {
		t.Errorf("demo logins %v, want %v", logins, want)
	}
}

// ref is a record /v1/me refers to: an assignment, a child or a class.
type ref struct {
	ID      string `json:"id"`
	ClassID string `json:"class_id"`
}

// me is the part of GET /v1/me the demo's promises are about.
type me struct {
	ID             string          `json:"id"`
	SchoolID       string          `json:"school_id"`
	ClassID        string          `json:"class_id"`
	Roles          []ejournal.Role `json:"roles"`
	Assignments    []ref           `json:"assignments"`
	Children       []ref           `json:"children"`
	ClassTeacherOf []ref           `json:"class_teacher_of"`
}

// testSignIn signs in with every demo account through the API, as the
// local server wires it, and checks what the issue promises: teacher
// teaches in the class that classteacher leads, student is in it, and
// parent is that student's parent; everyone can list their school's classes.
func testSignIn(t *testing.T, db *dynamo.DB) {
	cfg := config.Config{Table: db.Table(), SigningKeyFile: filepath.Join(t.TempDir(), "signing-key.pem")}
	c := apitest.Client{Handler: cfg.Server(db, slog.New(slog.DiscardHandler)).Handler(), Doc: apitest.API(t)}
	got := map[string]me{}
	for _, da := range demo.Accounts() {
		var tok struct {
			AccessToken        string `json:"access_token"`
			MustChangePassword bool   `json:"must_change_password"`
		}
		c.Post(t, "/v1/auth/login", map[string]string{"login": da.Login, "password": demo.DefaultPassword}).Want(t, http.StatusOK).Decode(t, &tok)
		if tok.MustChangePassword {
			t.Errorf("%s must change the password", da.Login)
		}
		as := c.As(tok.AccessToken)
		var m me
		as.Get(t, "/v1/me").Want(t, http.StatusOK).Decode(t, &m)
		if m.ID != da.PersonID || m.SchoolID != da.SchoolID {
			t.Errorf("%s: /v1/me is %s/%s, want %s/%s", da.Login, m.SchoolID, m.ID, da.SchoolID, da.PersonID)
		}
		got[da.Login] = m
		as.Get(t, "/v1/classes").Want(t, http.StatusOK)
	}
	ct := got["classteacher"]
	if len(ct.ClassTeacherOf) != 1 || !slices.Contains(ct.Roles, ejournal.ClassTeacher) {
		t.Fatalf("classteacher: %+v, want the class teacher of one class", ct)
	}
	class := ct.ClassTeacherOf[0].ID
	inClass := func(a ref) bool { return a.ClassID == class }
	if teacher := got["teacher"]; !slices.ContainsFunc(teacher.Assignments, inClass) || !slices.Equal(teacher.Roles, []ejournal.Role{ejournal.Teacher}) {
		t.Errorf("teacher: %+v, want a teacher of %s", teacher, class)
	}
	student := got["student"]
	if student.ClassID != class {
		t.Errorf("student is in %q, want %s", student.ClassID, class)
	}
	if p := got["parent"]; len(p.Children) == 0 || p.Children[0].ID != student.ID || p.Children[0].ClassID != class {
		t.Errorf("parent's children: %+v, want %s of %s", p.Children, student.ID, class)
	}
	if a := got["admin2"]; a.SchoolID != demo.SmallSchoolID || !slices.Equal(a.Roles, []ejournal.Role{ejournal.Administrator}) {
		t.Errorf("admin2: %+v", a)
	}
}
