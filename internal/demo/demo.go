// Package demo seeds two deterministic demo schools for a local run (it is
// never part of a deployment): МКОУ «Талицкая ООШ № 8», a full basic school
// (grades 1–9, classes А and Б, 300 students with their parents, 30
// teachers, a director, a head teacher, an HR specialist, a clerk, an
// assistant administrator and an administrator, the federal curriculum and
// its teacher assignments for the 2026/27 school year), and МАОУ «СОШ № 2»,
// a small school that reuses the same record ids so that isolation between
// schools can be checked. Staff hold the roles of their posts, and ten demo
// accounts (Accounts) share one password. Seed also writes a timetable
// (Timetable), the lessons of the current term and the journal of the weeks
// before (SeedJournal).
//
// Every id is fixed and readable ("talitsa-8", "2026-27", "2026-5a",
// "teacher-07", "student-123", "parent-123-1"); names, birth dates and phones
// come from a fixed-seed generator, so every seed produces the same records.
package demo

import (
	"fmt"
	"slices"

	"ejournal/internal/ejournal"
)

// Ids of the demo records.
const (
	// SchoolID is МКОУ «Талицкая ООШ № 8», the demo school.
	SchoolID = "talitsa-8"
	// SmallSchoolID is МАОУ «СОШ № 2», a second school for isolation checks.
	SmallSchoolID = "sosh-2"
	// YearID is the 2026/27 school year in both schools.
	YearID = "2026-27"
	// DirectorID is the director of each school (staff, no teaching load).
	DirectorID = "director"
	// AdminID is the administrator of each school.
	AdminID = "admin"
	// HeadTeacherID, HRID, ClerkID and AssistantAdminID are further staff
	// of SchoolID.
	HeadTeacherID    = "head-teacher"
	HRID             = "hr"
	ClerkID          = "clerk"
	AssistantAdminID = "assistant-admin"
)

// ClassID returns the id of a class of the demo year, e.g. ClassID(5, "Б") = "2026-5b".
func ClassID(grade int, letter string) string {
	return fmt.Sprintf("2026-%d%s", grade, latin[letter])
}

// GroupID returns the id of group n (1 or 2) of a class, e.g. "2026-5b-g1".
func GroupID(classID string, n int) string { return fmt.Sprintf("%s-g%d", classID, n) }

// TeacherID returns the id of the n-th teacher (from 1), e.g. "teacher-07".
func TeacherID(n int) string { return fmt.Sprintf("teacher-%02d", n) }

// StudentID returns the id of the n-th student (from 1), e.g. "student-123".
func StudentID(n int) string { return fmt.Sprintf("student-%03d", n) }

// ParentID returns the id of the k-th parent (1: the mother, 2: the father)
// of the n-th student, e.g. "parent-123-1".
func ParentID(n, k int) string { return fmt.Sprintf("parent-%03d-%d", n, k) }

var latin = map[string]string{"А": "a", "Б": "b", "В": "v"}

// Counts are the sizes of one school's directory, as Count finds them.
type Counts struct {
	Classes     int
	Groups      int
	Subjects    int
	Assignments int
	Students    int
	// Teachers are the staff who teach or lead a class; Staff all staff.
	Teachers int
	Staff    int
	Parents  int
}

// The sizes of the demo schools after Seed.
var (
	SchoolCounts      = Counts{Classes: 18, Groups: 32, Subjects: 23, Assignments: 236, Students: 300, Teachers: 30, Staff: 36, Parents: 525}
	SmallSchoolCounts = Counts{Classes: 2, Groups: 2, Subjects: 23, Assignments: 21, Students: 9, Teachers: 3, Staff: 5, Parents: 18}
)

// teacherSpec describes one teacher of a demo school.
type teacherSpec struct {
	female   bool
	subjects []string
	// class is the grade and letter of the class they lead, e.g. "5А".
	class string
	// ownClassOnly teachers (primary class teachers) teach only their class.
	ownClassOnly bool
}

func primaryTeacher(class string) teacherSpec {
	return teacherSpec{female: true, subjects: primarySubjects, class: class, ownClassOnly: true}
}

var (
	rusLit   = []string{Russian, Literature}
	maths    = []string{Mathematics, Algebra, Geometry, Probability}
	humanist = []string{History, SocialStudies, ODNKNR}
)

// schoolSpec describes one demo school.
type schoolSpec struct {
	school ejournal.School
	seed   uint64
	// classes are "1А", "1Б", ... with the number of students of each.
	classes  []classSpec
	teachers []teacherSpec
	// office are the staff who do not teach, beside the director.
	office []officeSpec
	// demoClass is the class of the demo accounts "classteacher",
	// "teacher", "student" and "parent", e.g. "5А".
	demoClass string
	accounts  []accountSpec
}

type classSpec struct {
	grade    int
	letter   string
	students int
}

func classes(sizes map[string]int, grades []int, letters ...string) []classSpec {
	var cs []classSpec
	for _, g := range grades {
		for _, l := range letters {
			cs = append(cs, classSpec{grade: g, letter: l, students: sizes[fmt.Sprintf("%d%s", g, l)]})
		}
	}
	return cs
}

const timeZone = "Asia/Yekaterinburg"

var schools = []schoolSpec{
	{
		school: ejournal.School{
			ID:        SchoolID,
			Name:      "Муниципальное казенное общеобразовательное учреждение «Талицкая основная общеобразовательная школа № 8»",
			ShortName: "МКОУ «Талицкая ООШ № 8»",
			TimeZone:  timeZone,
		},
		seed: 8,
		classes: classes(map[string]int{
			"1А": 17, "1Б": 16, "2А": 18, "2Б": 17, "3А": 16, "3Б": 17, "4А": 18, "4Б": 16, "5А": 17,
			"5Б": 18, "6А": 16, "6Б": 17, "7А": 18, "7Б": 16, "8А": 17, "8Б": 16, "9А": 15, "9Б": 15,
		}, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}, "А", "Б"),
		teachers: []teacherSpec{
			primaryTeacher("1А"), primaryTeacher("1Б"), primaryTeacher("2А"), primaryTeacher("2Б"),
			primaryTeacher("3А"), primaryTeacher("3Б"), primaryTeacher("4А"), primaryTeacher("4Б"),
			{female: true, subjects: rusLit, class: "5А"},
			{female: true, subjects: rusLit, class: "6Б"},
			{female: true, subjects: rusLit, class: "8А"},
			{female: true, subjects: rusLit},
			{female: true, subjects: maths, class: "5Б"},
			{female: true, subjects: maths, class: "7А"},
			{subjects: maths, class: "9А"},
			{subjects: []string{Physics}, class: "9Б"},
			{female: true, subjects: []string{Informatics, Probability, Mathematics}},
			{female: true, subjects: humanist, class: "6А"},
			{subjects: humanist},
			{female: true, subjects: []string{Geography}},
			{female: true, subjects: []string{Biology}, class: "8Б"},
			{female: true, subjects: []string{Chemistry, Biology}},
			{female: true, subjects: []string{English}, class: "7Б"},
			{female: true, subjects: []string{English}},
			{female: true, subjects: []string{English}},
			{female: true, subjects: []string{English}},
			{female: true, subjects: []string{Music}},
			{subjects: []string{Technology, Art}},
			{subjects: []string{PE, OBZR}},
			{female: true, subjects: []string{PE}},
		},
		office: []officeSpec{
			{id: HeadTeacherID, female: true, position: "Заместитель директора по учебной работе", role: ejournal.HeadTeacher},
			{id: HRID, female: true, position: "Специалист по кадрам", role: ejournal.HR},
			{id: ClerkID, female: true, position: "Делопроизводитель", role: ejournal.Clerk},
			{id: AssistantAdminID, female: true, position: "Секретарь учебной части", role: ejournal.AssistantAdmin},
			{id: AdminID, position: "Администратор электронного журнала", role: ejournal.Administrator},
		},
		demoClass: "5А",
		accounts: []accountSpec{
			{"admin", staffAccount(AdminID)}, {"director", staffAccount(DirectorID)}, {"headteacher", staffAccount(HeadTeacherID)},
			{"teacher", (*plan).subjectTeacher}, {"classteacher", (*plan).classTeacher},
			{"hr", staffAccount(HRID)}, {"clerk", staffAccount(ClerkID)},
			{"parent", (*plan).parent}, {"student", (*plan).student},
		},
	},
	{
		school: ejournal.School{
			ID:        SmallSchoolID,
			Name:      "Муниципальное автономное общеобразовательное учреждение «Средняя общеобразовательная школа № 2»",
			ShortName: "МАОУ «СОШ № 2»",
			TimeZone:  timeZone,
		},
		seed:    2,
		classes: classes(map[string]int{"1А": 4, "5А": 5}, []int{1, 5}, "А"),
		teachers: []teacherSpec{
			{female: true, subjects: append([]string{Music, PE}, primarySubjects...), class: "1А", ownClassOnly: true},
			{female: true, subjects: []string{Russian, Literature, History, SocialStudies, ODNKNR, Geography, Music, Art}, class: "5А"},
			{subjects: []string{Mathematics, Algebra, Geometry, Probability, Informatics, Physics, Chemistry, Biology, English, Technology, PE, OBZR}},
		},
		office:   []officeSpec{{id: AdminID, female: true, position: "Администратор электронного журнала", role: ejournal.Administrator}},
		accounts: []accountSpec{{"admin2", staffAccount(AdminID)}},
	},
}

// year is the demo school year 2026/27 in four quarters.
func year(schoolID string) *ejournal.SchoolYear {
	return &ejournal.SchoolYear{
		ID: YearID, SchoolID: schoolID, Name: "2026/27",
		Start: "2026-09-01", End: "2027-08-31", TermKind: ejournal.Quarters,
		Terms: []ejournal.Term{
			{ID: "q1", Name: "1 четверть", Start: "2026-09-01", End: "2026-10-26"},
			{ID: "q2", Name: "2 четверть", Start: "2026-11-05", End: "2026-12-28"},
			{ID: "q3", Name: "3 четверть", Start: "2027-01-12", End: "2027-03-22"},
			{ID: "q4", Name: "4 четверть", Start: "2027-04-01", End: "2027-05-26"},
		},
	}
}

// plan is every record of one demo school, built before anything is written.
type plan struct {
	school *ejournal.School
	year   *ejournal.SchoolYear
	// staff are the director, the teachers and the office staff.
	staff       []*ejournal.Person
	subjects    []*ejournal.Subject
	classes     []*ejournal.Class
	groups      []*ejournal.Group
	students    []*ejournal.Person
	parents     []*ejournal.Person
	links       []ejournal.Link
	assignments []*ejournal.Assignment
	// demoClass is the class of the class teacher's, teacher's, student's
	// and parent's demo accounts (nil when the school has none).
	demoClass *ejournal.Class
	accounts  []Account
}

// build makes the plan of a school. It fails if a subject of some grade
// has no teacher.
func (s schoolSpec) build() (*plan, error) {
	sid := s.school.ID
	school := s.school
	p := &plan{school: &school, year: year(sid)}
	gen := newNames(s.seed)
	person := func(id string, kind ejournal.PersonKind, female, adult bool) *ejournal.Person {
		last, first, middle := gen.next(female, adult)
		return &ejournal.Person{ID: id, SchoolID: sid, Kind: kind, LastName: last, FirstName: first, MiddleName: middle}
	}
	p.staff = append(p.staff, employ(person(DirectorID, ejournal.Staff, false, true), "Директор", ejournal.Director))
	leader := map[string]int{} // class name → teacher index
	for i, t := range s.teachers {
		position, roles := "Учитель", []ejournal.Role{ejournal.Teacher}
		if t.ownClassOnly {
			position = "Учитель начальных классов"
		}
		if t.class != "" {
			leader[t.class] = i
			roles = append(roles, ejournal.ClassTeacher)
		}
		p.staff = append(p.staff, employ(person(TeacherID(i+1), ejournal.Staff, t.female, true), position, roles...))
	}
	for _, sub := range curriculum {
		p.subjects = append(p.subjects, &ejournal.Subject{ID: sub.id, SchoolID: sid, Name: sub.name, ShortName: sub.short, Grades: sub.grades()})
	}
	load := make([]int, len(s.teachers)) // hours per week given so far
	student := 0
	for _, cs := range s.classes {
		name := fmt.Sprintf("%d%s", cs.grade, cs.letter)
		lead, ok := leader[name]
		if !ok {
			return nil, fmt.Errorf("demo %s: class %s has no class teacher", sid, name)
		}
		c := &ejournal.Class{ID: ClassID(cs.grade, cs.letter), SchoolID: sid, YearID: YearID, Grade: cs.grade, Letter: cs.letter, ClassTeacherID: TeacherID(lead + 1)}
		p.classes = append(p.classes, c)
		if name == s.demoClass {
			p.demoClass = c
		}
		for range cs.students {
			student++
			p.students = append(p.students, person(StudentID(student), ejournal.Student, gen.r.IntN(2) == 0, false))
			p.students[len(p.students)-1].ClassID = c.ID
		}
		for _, sub := range curriculum {
			hours, ok := sub.hours[cs.grade]
			if !ok {
				continue
			}
			groups := []string{""}
			if sub.inGroups {
				groups = []string{GroupID(c.ID, 1), GroupID(c.ID, 2)}
				for n, gid := range groups {
					p.groups = append(p.groups, &ejournal.Group{ID: gid, SchoolID: sid, ClassID: c.ID, Name: fmt.Sprintf("%s, группа %d", sub.name, n+1)})
				}
			}
			teachers, err := s.pick(name, lead, sub.id, len(groups), load)
			if err != nil {
				return nil, fmt.Errorf("demo %s: %w", sid, err)
			}
			for n, gid := range groups {
				load[teachers[n]] += hours
				id := c.ID + "-" + sub.id
				if gid != "" {
					id = gid + "-" + sub.id
				}
				p.assignments = append(p.assignments, &ejournal.Assignment{
					ID: id, SchoolID: sid, YearID: YearID, TeacherID: TeacherID(teachers[n] + 1),
					ClassID: c.ID, GroupID: gid, SubjectID: sub.id, HoursPerWeek: hours,
				})
			}
		}
	}
	// Drawn after every name above, so that those stay as they were before
	// the school had office staff and parents.
	for _, o := range s.office {
		p.staff = append(p.staff, employ(person(o.id, ejournal.Staff, o.female, true), o.position, o.role))
	}
	p.families(gen)
	for _, a := range s.accounts {
		acc, err := p.account(a)
		if err != nil {
			return nil, err
		}
		p.accounts = append(p.accounts, acc)
	}
	return p, nil
}

// pick chooses n teachers of subject for class: its class teacher when
// they teach the subject, then the least loaded of the others (the first
// listed on a tie). With fewer candidates than n, one teacher takes several
// groups.
func (s schoolSpec) pick(class string, lead int, subject string, n int, load []int) ([]int, error) {
	var cands []int
	for i, t := range s.teachers {
		if slices.Contains(t.subjects, subject) && (!t.ownClassOnly || t.class == class) {
			cands = append(cands, i)
		}
	}
	if len(cands) == 0 {
		return nil, fmt.Errorf("nobody teaches %s in %s", subject, class)
	}
	var out []int
	if slices.Contains(cands, lead) {
		out = append(out, lead)
	}
	for len(out) < n {
		best := -1
		for _, i := range cands {
			if !slices.Contains(out, i) && (best < 0 || load[i] < load[best]) {
				best = i
			}
		}
		if best < 0 {
			best = out[len(out)-1]
		}
		out = append(out, best)
	}
	return out, nil
}

// Name is a demo school's short name for messages, e.g. "МКОУ «Талицкая ООШ № 8»".
func Name(schoolID string) string {
	for _, s := range schools {
		if s.school.ID == schoolID {
			return s.school.ShortName
		}
	}
	return ""
}
