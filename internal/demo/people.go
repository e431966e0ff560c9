package demo

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"ejournal/internal/ejournal"
)

// DefaultPassword is the password of every demo account unless the local
// server is given another (DEMO_PASSWORD).
const DefaultPassword = "demo12345"

// Account is a demo sign-in. All demo accounts share one password and need
// no change of it at first sign-in.
type Account struct {
	Login    string
	SchoolID string
	PersonID string
	// Role is the person's roles ("teacher, class_teacher"), or the kind
	// of a student or parent.
	Role string
	// Who is the person's full name and what they are in the demo school.
	Who string
}

// Accounts lists the demo accounts: admin, director, headteacher, teacher,
// classteacher, hr, clerk, parent and student of SchoolID, then admin2 of
// SmallSchoolID. The teacher teaches in the class the class teacher leads,
// the student is in that class and the parent is the student's mother.
func Accounts() []Account {
	ps, err := plans()
	if err != nil {
		panic(err) // the school specs are fixed, and TestSeed builds them
	}
	var out []Account
	for _, p := range ps {
		out = append(out, p.accounts...)
	}
	return out
}

// officeSpec is a member of staff who does not teach (beside the director).
type officeSpec struct {
	id       string
	female   bool
	position string
	role     ejournal.Role
}

// accountSpec is a demo account: its login and how to find its owner in
// the school's plan, with a note on what they are.
type accountSpec struct {
	login  string
	person func(*plan) (*ejournal.Person, string)
}

// employ gives a member of staff their roles and an employment record
// with a hiring date derived from their id.
func employ(p *ejournal.Person, position string, roles ...ejournal.Role) *ejournal.Person {
	h := fnv.New32a()
	h.Write([]byte(p.SchoolID + "/" + p.ID))
	n := h.Sum32()
	p.Roles = roles
	p.Employment = &ejournal.Employment{
		Position:  position,
		HiredOn:   ejournal.Date(fmt.Sprintf("%d-08-%02d", 1995+n%30, 20+n/30%10)),
		HireOrder: fmt.Sprintf("%d-к", 10+n%90),
	}
	return p
}

// families gives every student a birth date that fits their grade and one
// or two parents: the mother always, the father in most families, each
// with a phone, most of them consenting to SMS notices.
func (p *plan) families(gen *names) {
	grade := map[string]int{}
	for _, c := range p.classes {
		grade[c.ID] = c.Grade
	}
	r := gen.r
	for i, st := range p.students {
		// On 1 September 2026 a student of grade g is g+5½ to g+6½ years old.
		first := time.Date(2026-grade[st.ClassID]-6, time.March, 1, 0, 0, 0, 0, time.UTC)
		st.Personal = &ejournal.Personal{BirthDate: ejournal.DateOf(first.AddDate(0, 0, r.IntN(365)))}
		parents := 2
		if r.IntN(4) == 0 {
			parents = 1
		}
		for k := 1; k <= parents; k++ {
			mother := k == 1
			last, firstName, middle := gen.parent(st, mother)
			parent := &ejournal.Person{
				ID: ParentID(i+1, k), SchoolID: p.school.ID, Kind: ejournal.Parent,
				LastName: last, FirstName: firstName, MiddleName: middle,
				Personal: &ejournal.Personal{Phone: fmt.Sprintf("+7912%07d", r.IntN(10_000_000)), SMSConsent: r.IntN(10) != 0},
			}
			relation := ejournal.Father
			if mother {
				relation = ejournal.Mother
			}
			p.parents = append(p.parents, parent)
			p.links = append(p.links, ejournal.Link{SchoolID: p.school.ID, ParentID: parent.ID, ChildID: st.ID, Relation: relation})
		}
	}
}

// account finds the owner of a demo account.
func (p *plan) account(a accountSpec) (Account, error) {
	person, note := a.person(p)
	if person == nil {
		return Account{}, fmt.Errorf("demo %s: nobody for the account %s", p.school.ID, a.login)
	}
	role := string(person.Kind)
	if len(person.Roles) > 0 {
		var rs []string
		for _, r := range person.Roles {
			rs = append(rs, string(r))
		}
		role = strings.Join(rs, ", ")
	}
	return Account{Login: a.login, SchoolID: p.school.ID, PersonID: person.ID, Role: role, Who: person.FullName() + ", " + note}, nil
}

func byID(people []*ejournal.Person, id string) *ejournal.Person {
	for _, p := range people {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// staffAccount is the account of a member of staff, noted by position.
func staffAccount(id string) func(*plan) (*ejournal.Person, string) {
	return func(p *plan) (*ejournal.Person, string) {
		s := byID(p.staff, id)
		if s == nil {
			return nil, ""
		}
		return s, strings.ToLower(s.Employment.Position)
	}
}

// classTeacher is the class teacher of the demo class.
func (p *plan) classTeacher() (*ejournal.Person, string) {
	if p.demoClass == nil {
		return nil, ""
	}
	return byID(p.staff, p.demoClass.ClassTeacherID), "классный руководитель " + p.demoClass.Name()
}

// subjectTeacher is the first teacher who teaches the whole demo class a
// subject and leads no class.
func (p *plan) subjectTeacher() (*ejournal.Person, string) {
	if p.demoClass == nil {
		return nil, ""
	}
	leaders := map[string]bool{}
	for _, c := range p.classes {
		leaders[c.ClassTeacherID] = true
	}
	for _, a := range p.assignments {
		if a.ClassID == p.demoClass.ID && a.GroupID == "" && !leaders[a.TeacherID] {
			return byID(p.staff, a.TeacherID), fmt.Sprintf("учитель (%s, %s)", subjectName(a.SubjectID), p.demoClass.Name())
		}
	}
	return nil, ""
}

func subjectName(id string) string {
	for _, s := range curriculum {
		if s.id == id {
			return s.name
		}
	}
	return id
}

// student is the first student of the demo class.
func (p *plan) student() (*ejournal.Person, string) {
	if p.demoClass == nil {
		return nil, ""
	}
	for _, s := range p.students {
		if s.ClassID == p.demoClass.ID {
			if strings.HasSuffix(s.MiddleName, "на") {
				return s, "ученица " + p.demoClass.Name()
			}
			return s, "ученик " + p.demoClass.Name()
		}
	}
	return nil, ""
}

// parent is the demo student's mother.
func (p *plan) parent() (*ejournal.Person, string) {
	child, _ := p.student()
	if child == nil {
		return nil, ""
	}
	for _, l := range p.links {
		if l.ChildID == child.ID {
			return byID(p.parents, l.ParentID), "родитель: " + child.FirstName + " " + child.LastName + ", " + p.demoClass.Name()
		}
	}
	return nil, ""
}
