package dynamo_test

import (
	"slices"
	"strings"
	"testing"

	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

func TestCreateConflict(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := dynamotest.MustOpen(t)
	a := mustSchool(t, db, "s1")

	// A school is a single conditional put; a class is a transaction with
	// reference checks. Both must refuse a taken id.
	dupSchool := &ejournal.School{ID: "s1", Name: "Самозванка", TimeZone: "Europe/Moscow"}
	wantError(t, db.CreateSchool(ctx, dupSchool), ejournal.ECONFLICT)
	dupClass := &ejournal.Class{ID: a.Class.ID, SchoolID: "s1", YearID: a.Year.ID, Grade: 9, Letter: "Я"}
	wantError(t, db.CreateClass(ctx, dupClass), ejournal.ECONFLICT)
	if dupSchool.Version != 0 || dupClass.Version != 0 {
		t.Errorf("a refused create left versions %d and %d, want 0", dupSchool.Version, dupClass.Version)
	}

	s, err := db.School(ctx, "s1")
	must(t, err)
	if s.Name != a.Name || s.TimeZone != a.TimeZone || s.Version != 1 {
		t.Errorf("school after a refused create = %+v, want the original", s)
	}
	c, err := db.Class(ctx, "s1", a.Class.ID)
	must(t, err)
	if c.Grade != 5 || c.Letter != "А" || c.Version != 1 {
		t.Errorf("class after a refused create = %+v, want the original", c)
	}
}

// checkStaleVersion updates two copies of the record read by get with the
// same version: the first write wins and bumps the version, the second is
// ECONFLICT and the store keeps the first. mark sets a field of the record to
// m (unless m is "") and returns the field's value.
func checkStaleVersion[T any](t *testing.T, get func() (*T, error), update func(*T) error, version func(*T) *int64, mark func(*T, string) string) {
	t.Helper()
	first, err := get()
	must(t, err)
	second := *first
	v := *version(first)
	want := mark(first, "first")
	must(t, update(first))
	if *version(first) != v+1 {
		t.Fatalf("version after update = %d, want %d", *version(first), v+1)
	}
	mark(&second, "second")
	wantError(t, update(&second), ejournal.ECONFLICT)
	if *version(&second) != v {
		t.Errorf("a refused update changed the caller's version to %d, want %d", *version(&second), v)
	}
	stored, err := get()
	must(t, err)
	if got := mark(stored, ""); got != want || *version(stored) != v+1 {
		t.Fatalf("stored %q version %d, want %q version %d", got, *version(stored), want, v+1)
	}
}

func TestUpdateStaleVersion(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := dynamotest.MustOpen(t)
	a := mustSchool(t, db, "s1")

	t.Run("school", func(t *testing.T) {
		checkStaleVersion(t, func() (*ejournal.School, error) { return db.School(ctx, "s1") }, func(s *ejournal.School) error { return db.UpdateSchool(ctx, s) },
			func(s *ejournal.School) *int64 { return &s.Version },
			func(s *ejournal.School, m string) string {
				if m != "" {
					s.Name = m
				}
				return s.Name
			})
	})
	t.Run("subject", func(t *testing.T) {
		checkStaleVersion(t, func() (*ejournal.Subject, error) { return db.Subject(ctx, "s1", a.Subject.ID) }, func(s *ejournal.Subject) error { return db.UpdateSubject(ctx, s) },
			func(s *ejournal.Subject) *int64 { return &s.Version },
			func(s *ejournal.Subject, m string) string {
				if m != "" {
					s.ShortName = m
				}
				return s.ShortName
			})
	})
	t.Run("class (transaction)", func(t *testing.T) {
		checkStaleVersion(t, func() (*ejournal.Class, error) { return db.Class(ctx, "s1", a.Class.ID) }, func(c *ejournal.Class) error { return db.UpdateClass(ctx, c) },
			func(c *ejournal.Class) *int64 { return &c.Version },
			func(c *ejournal.Class, m string) string {
				switch m {
				case "first":
					c.Letter = "Б"
				case "second":
					c.Letter = "В"
				}
				return c.Letter
			})
	})
	t.Run("group (transaction)", func(t *testing.T) {
		checkStaleVersion(t, func() (*ejournal.Group, error) { return db.Group(ctx, "s1", a.Group.ID) }, func(g *ejournal.Group) error { return db.UpdateGroup(ctx, g) },
			func(g *ejournal.Group) *int64 { return &g.Version },
			func(g *ejournal.Group, m string) string {
				if m != "" {
					g.Name = m
				}
				return g.Name
			})
	})

	t.Run("missing records", func(t *testing.T) {
		wantError(t, db.UpdateSchool(ctx, &ejournal.School{ID: "nope", Name: "Нет", TimeZone: "UTC", Version: 1}), ejournal.ENOTFOUND)
		y := newYear("s1", 2030)
		y.ID, y.Version = "nope", 1
		wantError(t, db.UpdateYear(ctx, y), ejournal.ENOTFOUND)
		c := *a.Class
		c.ID = "nope"
		wantError(t, db.UpdateClass(ctx, &c), ejournal.ENOTFOUND)
		if _, err := db.Class(ctx, "s1", "nope"); ejournal.ErrorCode(err) != ejournal.ENOTFOUND {
			t.Errorf("a refused update created the class: %v", err)
		}
	})
	t.Run("no version", func(t *testing.T) {
		s := *a.School
		s.Version = 0
		wantError(t, db.UpdateSchool(ctx, &s), ejournal.EINVALID, "version")
	})
}

func TestSchoolIsolation(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, wire := openFlaky(t)
	a := mustSchool(t, db, "a")
	b := mustSchool(t, db, "b")
	// Same ids in both schools: A's getters read A's records.
	for _, sid := range []string{"a", "b"} {
		y := newYear(sid, 2030)
		y.ID, y.Name = "shared", "год "+sid
		must(t, db.CreateYear(ctx, y))
	}
	if y, err := db.Year(ctx, "a", "shared"); err != nil || y.Name != "год a" || y.SchoolID != "a" {
		t.Fatalf("Year(a, shared) = %+v, %v", y, err)
	}

	// getters are every school-scoped getter of the directory.
	getters := map[string]func(sid, id string) error{
		"Year":       func(sid, id string) error { _, err := db.Year(ctx, sid, id); return err },
		"Class":      func(sid, id string) error { _, err := db.Class(ctx, sid, id); return err },
		"Group":      func(sid, id string) error { _, err := db.Group(ctx, sid, id); return err },
		"Subject":    func(sid, id string) error { _, err := db.Subject(ctx, sid, id); return err },
		"Assignment": func(sid, id string) error { _, err := db.Assignment(ctx, sid, id); return err },
		"Person":     func(sid, id string) error { _, err := db.Person(ctx, sid, id); return err },
	}
	ofB := map[string][]string{
		"Year": {b.Year.ID}, "Class": {b.Class.ID}, "Group": {b.Group.ID}, "Subject": {b.Subject.ID},
		"Assignment": {b.Assignment.ID}, "Person": {b.Teacher.ID, b.Student.ID},
	}
	for name, get := range getters {
		for _, id := range ofB[name] {
			must(t, get("b", id))
			if err := get("a", id); ejournal.ErrorCode(err) != ejournal.ENOTFOUND {
				t.Errorf("%s(a, <b's %s>) = %v, want ENOTFOUND", name, id, err)
			}
		}
	}

	// Identifiers that are not identifiers are not found, and never even
	// reach the table.
	wire.reset()
	bad := []string{"", "#", b.Class.ID + "#", "CLASS#" + b.Class.ID, "S#b", "x y", "../" + b.Year.ID, "класс", strings.Repeat("z", 65)}
	for name, get := range getters {
		for _, id := range bad {
			if err := get("a", id); ejournal.ErrorCode(err) != ejournal.ENOTFOUND {
				t.Errorf("%s(a, %q) = %v, want ENOTFOUND", name, id, err)
			}
		}
	}
	for _, id := range bad {
		if _, err := db.School(ctx, id); ejournal.ErrorCode(err) != ejournal.ENOTFOUND {
			t.Errorf("School(%q) = %v, want ENOTFOUND", id, err)
		}
	}
	if n := len(wire.sent("GetItem")); n != 0 {
		t.Errorf("invalid identifiers made %d GetItem requests, want 0", n)
	}

	// A's lists, whatever they are filtered by, hold only A's records.
	listed := 0
	only := func(name string, schools []string, err error) {
		t.Helper()
		must(t, err)
		for _, sid := range schools {
			if sid != "a" {
				t.Errorf("%s of school a holds a record of school %s", name, sid)
			}
		}
		listed += len(schools)
	}
	years, err := db.Years(ctx, "a")
	only("Years", ids(years, func(y *ejournal.SchoolYear) string { return y.SchoolID }), err)
	for _, f := range []ejournal.ClassFilter{{}, {YearID: a.Year.ID}, {YearID: b.Year.ID}} {
		cs, err := db.Classes(ctx, "a", f)
		only("Classes", ids(cs, func(c *ejournal.Class) string { return c.SchoolID }), err)
	}
	for _, f := range []ejournal.GroupFilter{{}, {ClassID: a.Class.ID}, {ClassID: b.Class.ID}} {
		gs, err := db.Groups(ctx, "a", f)
		only("Groups", ids(gs, func(g *ejournal.Group) string { return g.SchoolID }), err)
	}
	subjects, err := db.Subjects(ctx, "a")
	only("Subjects", ids(subjects, func(s *ejournal.Subject) string { return s.SchoolID }), err)
	for _, f := range []ejournal.AssignmentFilter{{}, {TeacherID: a.Teacher.ID}, {TeacherID: b.Teacher.ID}, {ClassID: a.Class.ID}, {ClassID: b.Class.ID}, {YearID: b.Year.ID}} {
		as, err := db.Assignments(ctx, "a", f)
		only("Assignments", ids(as, func(a *ejournal.Assignment) string { return a.SchoolID }), err)
	}
	for _, cid := range []string{a.Class.ID, b.Class.ID} {
		ps, err := db.ClassStudents(ctx, "a", cid)
		only("ClassStudents", ids(ps, func(p *ejournal.Person) string { return p.SchoolID }), err)
	}
	// Years 2, classes 1+1, groups 1+1, subjects 1, assignments 1+1+1, students 1.
	if listed != 11 {
		t.Errorf("A's lists hold %d records, want 11", listed)
	}
}

func TestReferenceChecks(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := dynamotest.MustOpen(t)
	a := mustSchool(t, db, "a")
	b := mustSchool(t, db, "b")
	otherClass := &ejournal.Class{SchoolID: "a", YearID: a.Year.ID, Grade: 6, Letter: "Б"}
	must(t, db.CreateClass(ctx, otherClass))
	otherGroup := &ejournal.Group{SchoolID: "a", ClassID: otherClass.ID, Name: "Немецкий"}
	must(t, db.CreateGroup(ctx, otherGroup))

	assignment := func(edit func(*ejournal.Assignment)) *ejournal.Assignment {
		x := *a.Assignment
		x.ID, x.Version = "", 0
		edit(&x)
		return &x
	}
	tests := []struct {
		name   string
		create func() (*int64, error)
		field  string
	}{
		{"year of a missing school", func() (*int64, error) { y := newYear("nope", 2026); return &y.Version, db.CreateYear(ctx, y) }, "school_id"},
		{"class of a missing year", func() (*int64, error) {
			c := &ejournal.Class{SchoolID: "a", YearID: "nope", Grade: 7, Letter: "А"}
			return &c.Version, db.CreateClass(ctx, c)
		}, "year_id"},
		{"class of another school's year", func() (*int64, error) {
			c := &ejournal.Class{SchoolID: "a", YearID: b.Year.ID, Grade: 7, Letter: "А"}
			return &c.Version, db.CreateClass(ctx, c)
		}, "year_id"},
		{"student as class teacher", func() (*int64, error) {
			c := &ejournal.Class{SchoolID: "a", YearID: a.Year.ID, Grade: 7, Letter: "А", ClassTeacherID: a.Student.ID}
			return &c.Version, db.CreateClass(ctx, c)
		}, "class_teacher_id"},
		{"another school's class teacher", func() (*int64, error) {
			c := &ejournal.Class{SchoolID: "a", YearID: a.Year.ID, Grade: 7, Letter: "А", ClassTeacherID: b.Teacher.ID}
			return &c.Version, db.CreateClass(ctx, c)
		}, "class_teacher_id"},
		{"group of a missing class", func() (*int64, error) {
			g := &ejournal.Group{SchoolID: "a", ClassID: b.Class.ID, Name: "Г"}
			return &g.Version, db.CreateGroup(ctx, g)
		}, "class_id"},
		{"assignment with a group of another class", func() (*int64, error) {
			x := assignment(func(x *ejournal.Assignment) { x.GroupID = otherGroup.ID })
			return &x.Version, db.CreateAssignment(ctx, x)
		}, "group_id"},
		{"assignment with another school's group", func() (*int64, error) {
			x := assignment(func(x *ejournal.Assignment) { x.GroupID = b.Group.ID })
			return &x.Version, db.CreateAssignment(ctx, x)
		}, "group_id"},
		{"assignment to a student", func() (*int64, error) {
			x := assignment(func(x *ejournal.Assignment) { x.TeacherID = a.Student.ID })
			return &x.Version, db.CreateAssignment(ctx, x)
		}, "teacher_id"},
		{"assignment of a missing subject", func() (*int64, error) {
			x := assignment(func(x *ejournal.Assignment) { x.SubjectID = b.Subject.ID })
			return &x.Version, db.CreateAssignment(ctx, x)
		}, "subject_id"},
		{"student of a missing class", func() (*int64, error) {
			p := newPerson("a", ejournal.Student, "Новикова", "nope")
			return &p.Version, db.CreatePerson(ctx, p)
		}, "class_id"},
		{"student of another school's class", func() (*int64, error) {
			p := newPerson("a", ejournal.Student, "Новикова", b.Class.ID)
			return &p.Version, db.CreatePerson(ctx, p)
		}, "class_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			version, err := tt.create()
			wantError(t, err, ejournal.EINVALID, tt.field)
			if *version != 0 {
				t.Errorf("version after a refused create = %d, want 0", *version)
			}
		})
	}

	t.Run("update to a student as class teacher", func(t *testing.T) {
		c := *a.Class
		c.ClassTeacherID = a.Student.ID
		wantError(t, db.UpdateClass(ctx, &c), ejournal.EINVALID, "class_teacher_id")
		stored, err := db.Class(ctx, "a", a.Class.ID)
		must(t, err)
		if stored.ClassTeacherID != a.Teacher.ID || stored.Version != 1 || c.Version != 1 {
			t.Errorf("class after a refused update = %+v (caller's version %d)", stored, c.Version)
		}
	})

	// Nothing refused above was written.
	classes, err := db.Classes(ctx, "a", ejournal.ClassFilter{})
	must(t, err)
	as, err := db.Assignments(ctx, "a", ejournal.AssignmentFilter{})
	must(t, err)
	students, err := db.ClassStudents(ctx, "a", b.Class.ID)
	must(t, err)
	if len(classes) != 2 || len(as) != 1 || len(students) != 0 {
		t.Errorf("after refused creates: %d classes, %d assignments, %d students; want 2, 1, 0", len(classes), len(as), len(students))
	}
}

func TestLists(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := dynamotest.MustOpen(t)
	s := mustSchool(t, db, "s1")
	next := newYear("s1", 2026)
	must(t, db.CreateYear(ctx, next))
	past := newYear("s1", 2024)
	must(t, db.CreateYear(ctx, past))

	// Classes come back by grade, then letter, whatever the order of creation.
	classes := map[string]*ejournal.Class{"5А": s.Class}
	for _, name := range []string{"10Б", "2А", "10А", "9В", "11А", "1Б", "1А", "2Б"} {
		c := &ejournal.Class{SchoolID: "s1", YearID: s.Year.ID}
		c.Letter = strings.TrimLeft(name, "0123456789")
		for _, r := range strings.TrimSuffix(name, c.Letter) {
			c.Grade = c.Grade*10 + int(r-'0')
		}
		must(t, db.CreateClass(ctx, c))
		classes[name] = c
	}
	must(t, db.CreateClass(ctx, &ejournal.Class{SchoolID: "s1", YearID: next.ID, Grade: 6, Letter: "А"}))
	className := func(c *ejournal.Class) string { return c.Name() }
	want := []string{"1А", "1Б", "2А", "2Б", "5А", "9В", "10А", "10Б", "11А"}
	got, err := db.Classes(ctx, "s1", ejournal.ClassFilter{YearID: s.Year.ID})
	must(t, err)
	if names := ids(got, className); !slices.Equal(names, want) {
		t.Errorf("Classes(year) = %v, want %v", names, want)
	}
	got, err = db.Classes(ctx, "s1", ejournal.ClassFilter{})
	must(t, err)
	if names := ids(got, className); !slices.Equal(names, slices.Insert(slices.Clone(want), 5, "6А")) {
		t.Errorf("Classes() = %v", names)
	}

	years, err := db.Years(ctx, "s1")
	must(t, err)
	if got := ids(years, func(y *ejournal.SchoolYear) string { return y.ID }); !slices.Equal(got, []string{past.ID, s.Year.ID, next.ID}) {
		t.Errorf("Years() = %v, want in order of start", got)
	}

	// Assignments: teacher T teaches 5А (set up by mustSchool), 10А and, next
	// year, 6А; teacher U teaches 10А.
	u := newPerson("s1", ejournal.Staff, "Другова", "")
	must(t, db.CreatePerson(ctx, u))
	math := &ejournal.Subject{SchoolID: "s1", Name: "Математика", ShortName: "Матем"}
	must(t, db.CreateSubject(ctx, math))
	class6 := &ejournal.Class{SchoolID: "s1", YearID: next.ID, Grade: 6, Letter: "Б"}
	must(t, db.CreateClass(ctx, class6))
	assign := func(year, teacher, class string) string {
		t.Helper()
		x := &ejournal.Assignment{SchoolID: "s1", YearID: year, TeacherID: teacher, ClassID: class, SubjectID: math.ID}
		must(t, db.CreateAssignment(ctx, x))
		return x.ID
	}
	t10 := assign(s.Year.ID, s.Teacher.ID, classes["10А"].ID)
	tNext := assign(next.ID, s.Teacher.ID, class6.ID)
	u10 := assign(s.Year.ID, u.ID, classes["10А"].ID)
	t5 := s.Assignment.ID
	sorted := func(xs ...string) []string { return slices.Sorted(slices.Values(xs)) }
	for _, tt := range []struct {
		f    ejournal.AssignmentFilter
		want []string
	}{
		{ejournal.AssignmentFilter{}, sorted(t5, t10, tNext, u10)},
		{ejournal.AssignmentFilter{TeacherID: s.Teacher.ID}, sorted(t5, t10, tNext)},
		{ejournal.AssignmentFilter{TeacherID: s.Teacher.ID, YearID: s.Year.ID}, sorted(t5, t10)},
		{ejournal.AssignmentFilter{TeacherID: s.Teacher.ID, YearID: next.ID}, sorted(tNext)},
		{ejournal.AssignmentFilter{TeacherID: s.Teacher.ID, YearID: past.ID}, nil},
		{ejournal.AssignmentFilter{TeacherID: u.ID}, sorted(u10)},
		{ejournal.AssignmentFilter{TeacherID: u.ID, ClassID: s.Class.ID}, nil},
		{ejournal.AssignmentFilter{ClassID: classes["10А"].ID}, sorted(t10, u10)},
		{ejournal.AssignmentFilter{ClassID: classes["10А"].ID, YearID: s.Year.ID}, sorted(t10, u10)},
		{ejournal.AssignmentFilter{ClassID: classes["10А"].ID, YearID: next.ID}, nil},
		{ejournal.AssignmentFilter{ClassID: classes["10А"].ID, TeacherID: u.ID}, sorted(u10)},
		{ejournal.AssignmentFilter{ClassID: s.Class.ID}, sorted(t5)},
		{ejournal.AssignmentFilter{YearID: next.ID}, sorted(tNext)},
	} {
		as, err := db.Assignments(ctx, "s1", tt.f)
		must(t, err)
		if got := ids(as, func(a *ejournal.Assignment) string { return a.ID }); !slices.Equal(got, tt.want) {
			t.Errorf("Assignments(%+v) = %v, want %v", tt.f, got, tt.want)
		}
	}

	// ClassStudents: the students of the class in name order, not its groups,
	// assignments, other classes' students or staff.
	for _, p := range []*ejournal.Person{
		newPerson("s1", ejournal.Student, "Яковлева", s.Class.ID),
		newPerson("s1", ejournal.Student, "Абрамова", s.Class.ID),
		newPerson("s1", ejournal.Student, "Мишина", classes["10А"].ID),
		newPerson("s1", ejournal.Student, "Бездомная", ""),
		newPerson("s1", ejournal.Parent, "Родителева", ""),
	} {
		must(t, db.CreatePerson(ctx, p))
	}
	students, err := db.ClassStudents(ctx, "s1", s.Class.ID)
	must(t, err)
	if got := ids(students, func(p *ejournal.Person) string { return p.LastName }); !slices.Equal(got, []string{"Абрамова", "Ученикова", "Яковлева"}) {
		t.Errorf("ClassStudents = %v", got)
	}
	groups, err := db.Groups(ctx, "s1", ejournal.GroupFilter{ClassID: s.Class.ID})
	must(t, err)
	if len(groups) != 1 || groups[0].ID != s.Group.ID {
		t.Errorf("Groups(class) = %v, want the class's one group", groups)
	}
}
