package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"ejournal/internal/auth"
	"ejournal/internal/demo"
	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// TestSeed seeds one table and checks it. The demo school's record is
// written before the seed, as an interrupted earlier seed would leave it,
// so Seed must complete around it.
func TestSeed(t *testing.T) {
	db := dynamotest.MustOpen(t)
	ctx := context.Background()
	early := &ejournal.School{ID: demo.SchoolID, Name: "Талицкая ООШ № 8", TimeZone: "Asia/Yekaterinburg"}
	if err := db.CreateSchool(ctx, early); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	seeded, err := demo.Seed(ctx, db, demo.DefaultPassword)
	if err != nil || !seeded {
		t.Fatalf("Seed = %v, %v; want true, nil", seeded, err)
	}
	t.Logf("seeded in %v", time.Since(start).Round(time.Millisecond))
	for _, tt := range []struct {
		name  string
		check func(*testing.T, *dynamo.DB)
	}{
		{"counts", testCounts},
		{"class teachers", testClassTeachers},
		{"assignments", testAssignments},
		{"teacher load", testTeacherLoad},
		{"names", testNames},
		{"schools apart", testSchoolsApart},
		{"staff roles", testStaffRoles},
		{"families", testFamilies},
		{"accounts", testAccounts},
		{"sign in", testSignIn},
		{"seed twice", testSeedTwice},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, db) })
	}
}

var schools = []struct {
	id   string
	want demo.Counts
}{
	{demo.SchoolID, demo.SchoolCounts},
	{demo.SmallSchoolID, demo.SmallSchoolCounts},
}

func testCounts(t *testing.T, db *dynamo.DB) {
	ctx := context.Background()
	for _, s := range schools {
		got, err := demo.Count(ctx, db, s.id)
		if err != nil {
			t.Fatal(err)
		}
		if got != s.want {
			t.Errorf("Count(%s) = %+v, want %+v", s.id, got, s.want)
		}
	}
}

func testSeedTwice(t *testing.T, db *dynamo.DB) {
	ctx := context.Background()
	if ok, err := demo.Seeded(ctx, db); !ok || err != nil {
		t.Fatalf("Seeded = %v, %v; want true, nil", ok, err)
	}
	seeded, err := demo.Seed(ctx, db, demo.DefaultPassword)
	if err != nil || seeded {
		t.Fatalf("second Seed = %v, %v; want false, nil", seeded, err)
	}
	for _, s := range schools {
		got, err := demo.Count(ctx, db, s.id)
		if err != nil {
			t.Fatal(err)
		}
		if got != s.want {
			t.Errorf("after a second Seed, Count(%s) = %+v, want %+v", s.id, got, s.want)
		}
	}
	// Another password (DEMO_PASSWORD) replaces the accounts' one.
	const password = "another-demo-7"
	if seeded, err := demo.Seed(ctx, db, password); err != nil || seeded {
		t.Fatalf("Seed with another password = %v, %v; want false, nil", seeded, err)
	}
	for _, da := range demo.Accounts() {
		a, err := db.Account(ctx, da.Login)
		check(t, err)
		if ok, err := auth.VerifyPassword(a.PasswordHash, password); !ok || err != nil || a.MustChange {
			t.Errorf("after Seed with another password, account %s: match %v, %v, must change %v", da.Login, ok, err, a.MustChange)
		}
	}
}

// TestOldDemo checks that a demo written before staff had roles and
// accounts is refused with advice, not completed into a demo nobody can
// use.
func TestOldDemo(t *testing.T) {
	db := dynamotest.MustOpen(t)
	ctx := context.Background()
	check(t, db.CreateSchool(ctx, &ejournal.School{ID: demo.SchoolID, Name: "Талицкая ООШ № 8", TimeZone: "Asia/Yekaterinburg"}))
	check(t, db.CreatePerson(ctx, &ejournal.Person{ID: demo.TeacherID(1), SchoolID: demo.SchoolID, Kind: ejournal.Staff, LastName: "Иванова", FirstName: "Анна"}))
	seeded, err := demo.Seed(ctx, db, demo.DefaultPassword)
	if seeded || err == nil || !strings.Contains(err.Error(), "rm -rf .data/dynamodb") {
		t.Fatalf("Seed over an old demo = %v, %v; want an error that says what to delete", seeded, err)
	}
}

func TestEmptyStoreIsNotSeeded(t *testing.T) {
	if ok, err := demo.Seeded(context.Background(), dynamotest.MustOpen(t)); ok || err != nil {
		t.Fatalf("Seeded on an empty table = %v, %v; want false, nil", ok, err)
	}
}

// directory is one school's records, read back from the store.
type directory struct {
	classes     map[string]*ejournal.Class
	groups      map[string]*ejournal.Group
	subjects    map[string]*ejournal.Subject
	assignments []*ejournal.Assignment
	students    map[string][]*ejournal.Person // by class
	staff       map[string]*ejournal.Person
	parents     []*ejournal.Person
}

func read(t *testing.T, db *dynamo.DB, sid string) *directory {
	t.Helper()
	ctx := context.Background()
	d := &directory{classes: map[string]*ejournal.Class{}, groups: map[string]*ejournal.Group{}, subjects: map[string]*ejournal.Subject{}, students: map[string][]*ejournal.Person{}, staff: map[string]*ejournal.Person{}}
	classes, err := db.Classes(ctx, sid, ejournal.ClassFilter{YearID: demo.YearID})
	check(t, err)
	groups, err := db.Groups(ctx, sid, ejournal.GroupFilter{})
	check(t, err)
	subjects, err := db.Subjects(ctx, sid)
	check(t, err)
	d.assignments, err = db.Assignments(ctx, sid, ejournal.AssignmentFilter{})
	check(t, err)
	for _, c := range classes {
		d.classes[c.ID] = c
		d.students[c.ID], err = db.ClassStudents(ctx, sid, c.ID)
		check(t, err)
	}
	for _, g := range groups {
		d.groups[g.ID] = g
	}
	for _, s := range subjects {
		d.subjects[s.ID] = s
	}
	staff, err := db.People(ctx, sid, ejournal.PersonFilter{Kind: ejournal.Staff})
	check(t, err)
	for _, p := range staff {
		d.staff[p.ID] = p
	}
	d.parents, err = db.People(ctx, sid, ejournal.PersonFilter{Kind: ejournal.Parent})
	check(t, err)
	return d
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testClassTeachers(t *testing.T, db *dynamo.DB) {
	for _, s := range schools {
		d := read(t, db, s.id)
		leaders := map[string]string{}
		for _, c := range d.classes {
			p := d.staff[c.ClassTeacherID]
			if c.ClassTeacherID == "" || p.Kind != ejournal.Staff {
				t.Errorf("%s %s: class teacher %q is not staff", s.id, c.Name(), c.ClassTeacherID)
			}
			if other, ok := leaders[c.ClassTeacherID]; ok {
				t.Errorf("%s: %s leads both %s and %s", s.id, c.ClassTeacherID, other, c.Name())
			}
			leaders[c.ClassTeacherID] = c.Name()
		}
	}
}

// testAssignments checks that every assignment references records that
// exist, that every class studies exactly the subjects of its grade (group
// subjects in each of its groups), that primary classes are taught mostly
// by their class teacher, and that no class has more weekly hours than the
// federal maximum for a five-day week.
func testAssignments(t *testing.T, db *dynamo.DB) {
	maxHours := map[int]int{1: 21, 2: 23, 3: 23, 4: 23, 5: 29, 6: 30, 7: 32, 8: 33, 9: 33}
	for _, s := range schools {
		d := read(t, db, s.id)
		type cover struct{ class, subject string }
		covered := map[cover][]string{} // group ids ("" for the whole class)
		for _, a := range d.assignments {
			c, g, sub, teacher := d.classes[a.ClassID], d.groups[a.GroupID], d.subjects[a.SubjectID], d.staff[a.TeacherID]
			switch {
			case a.YearID != demo.YearID:
				t.Errorf("%s %s: year %q", s.id, a.ID, a.YearID)
			case c == nil || sub == nil || teacher == nil:
				t.Errorf("%s %s: missing class %q, subject %q or teacher %q", s.id, a.ID, a.ClassID, a.SubjectID, a.TeacherID)
			case a.GroupID != "" && (g == nil || g.ClassID != a.ClassID):
				t.Errorf("%s %s: group %q is not a group of %s", s.id, a.ID, a.GroupID, a.ClassID)
			case teacher.Kind != ejournal.Staff:
				t.Errorf("%s %s: teacher %s is a %s", s.id, a.ID, a.TeacherID, teacher.Kind)
			case !slices.Contains(sub.Grades, c.Grade):
				t.Errorf("%s %s: %s is not studied in grade %d", s.id, a.ID, sub.Name, c.Grade)
			case a.HoursPerWeek < 1:
				t.Errorf("%s %s: no hours", s.id, a.ID)
			}
			k := cover{a.ClassID, a.SubjectID}
			covered[k] = append(covered[k], a.GroupID)
		}
		for _, c := range d.classes {
			var groups []string
			for _, g := range d.groups {
				if g.ClassID == c.ID {
					groups = append(groups, g.ID)
				}
			}
			// A student sits the class's lessons and those of one group.
			hours, byLeader, oneGroup := 0, 0, ""
			if len(groups) > 0 {
				oneGroup = slices.Min(groups)
			}
			for _, a := range d.assignments {
				if a.ClassID != c.ID || a.GroupID != "" && a.GroupID != oneGroup {
					continue
				}
				hours += a.HoursPerWeek
				if a.TeacherID == c.ClassTeacherID {
					byLeader += a.HoursPerWeek
				}
			}
			if hours > maxHours[c.Grade] {
				t.Errorf("%s %s: %d hours a week, federal maximum %d", s.id, c.Name(), hours, maxHours[c.Grade])
			}
			if c.Grade <= 4 && 2*byLeader < hours {
				t.Errorf("%s %s: the class teacher gives %d of %d hours", s.id, c.Name(), byLeader, hours)
			}
			for _, sub := range d.subjects {
				got := covered[cover{c.ID, sub.ID}]
				slices.Sort(got)
				var want []string
				switch {
				case !slices.Contains(sub.Grades, c.Grade):
				case sub.ID == demo.English:
					want = slices.Sorted(slices.Values(groups))
				default:
					want = []string{""}
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s %s %s: assignments for groups %q, want %q", s.id, c.Name(), sub.Name, got, want)
				}
			}
		}
	}
}

// testTeacherLoad checks that work is spread sensibly: every teacher of the
// demo school has between 6 and 30 hours a week.
func testTeacherLoad(t *testing.T, db *dynamo.DB) {
	d := read(t, db, demo.SchoolID)
	load := map[string]int{}
	for _, a := range d.assignments {
		load[a.TeacherID] += a.HoursPerWeek
	}
	for n := 1; n <= demo.SchoolCounts.Teachers; n++ {
		if h := load[demo.TeacherID(n)]; h < 6 || h > 30 {
			t.Errorf("%s teaches %d hours a week", demo.TeacherID(n), h)
		}
	}
}

// testNames checks that every name is Russian and that surname and
// patronymic agree in gender (Иванова Анна Сергеевна, Иванов Иван Сергеевич).
func testNames(t *testing.T, db *dynamo.DB) {
	for _, s := range schools {
		d := read(t, db, s.id)
		people := slices.Collect(func(yield func(*ejournal.Person) bool) {
			for _, p := range d.staff {
				yield(p)
			}
			for _, ps := range d.students {
				for _, p := range ps {
					yield(p)
				}
			}
			for _, p := range d.parents {
				yield(p)
			}
		})
		full := map[string]bool{}
		for _, p := range people {
			name := p.FullName()
			if full[name] {
				t.Errorf("%s: two people named %s", s.id, name)
			}
			full[name] = true
			if strings.ContainsFunc(name, func(r rune) bool { return r < 'А' && r != ' ' && r != '-' }) {
				t.Errorf("%s: %q is not written in Cyrillic", s.id, name)
			}
			female := strings.HasSuffix(p.MiddleName, "вна") || strings.HasSuffix(p.MiddleName, "ична")
			male := strings.HasSuffix(p.MiddleName, "вич") || strings.HasSuffix(p.MiddleName, "ич")
			switch {
			case female == male:
				t.Errorf("%s: patronymic of %s", s.id, name)
			case female && hasAnySuffix(p.LastName, "ов", "ев", "ёв", "ин", "ский", "цкий"):
				t.Errorf("%s: %s has a masculine surname", s.id, name)
			case male && hasAnySuffix(p.LastName, "ова", "ева", "ёва", "ина", "ская", "цкая"):
				t.Errorf("%s: %s has a feminine surname", s.id, name)
			}
		}
	}
}

func hasAnySuffix(s string, suffixes ...string) bool {
	return slices.ContainsFunc(suffixes, func(x string) bool { return strings.HasSuffix(s, x) })
}

// testSchoolsApart checks that the small school, which reuses the demo
// school's ids, keeps its own records under them.
func testSchoolsApart(t *testing.T, db *dynamo.DB) {
	big, small := read(t, db, demo.SchoolID), read(t, db, demo.SmallSchoolID)
	id := demo.ClassID(1, "А")
	if big.classes[id] == nil || small.classes[id] == nil {
		t.Fatalf("class %s missing in one of the schools", id)
	}
	if big.classes[id].SchoolID != demo.SchoolID || small.classes[id].SchoolID != demo.SmallSchoolID {
		t.Errorf("class %s: school ids %q and %q", id, big.classes[id].SchoolID, small.classes[id].SchoolID)
	}
	if n := len(small.students[id]); n != 4 {
		t.Errorf("small school 1А has %d students, want 4", n)
	}
	if big.staff[demo.TeacherID(1)].FullName() == small.staff[demo.TeacherID(1)].FullName() {
		t.Errorf("teacher-01 is the same person in both schools")
	}
}

func TestIDs(t *testing.T) {
	tests := []struct{ got, want string }{
		{demo.ClassID(5, "Б"), "2026-5b"},
		{demo.GroupID(demo.ClassID(2, "А"), 1), "2026-2a-g1"},
		{demo.TeacherID(7), "teacher-07"},
		{demo.StudentID(123), "student-123"},
		{demo.ParentID(123, 2), "parent-123-2"},
		{demo.Name(demo.SchoolID), "МКОУ «Талицкая ООШ № 8»"},
		{demo.Name("nowhere"), ""},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
