package api_test

import (
	"context"
	"regexp"
	"testing"

	"ejournal/internal/apitest"
	"ejournal/internal/ejournal"
)

// The two schools of every test world and the tokens of their people.
const (
	schoolA = "school-a"
	schoolB = "school-b"

	adminA   = "admin-a"   // the administrator of school A
	teacherA = "teacher-a" // a staff member of school A without the admin role
	adminB   = "admin-b"   // the administrator of school B
	operator = "operator"  // the deployment operator
)

var tokens = apitest.Tokens{
	adminA:   {PersonID: "p-admin-a", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Administrator}},
	teacherA: {PersonID: "p-teacher-a", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher}},
	adminB:   {PersonID: "p-admin-b", SchoolID: schoolB, Roles: []ejournal.Role{ejournal.Administrator}},
	operator: {PersonID: "p-operator", Operator: true},
}

// tree names the records of one school by role: school, year, year2,
// class, class2 (in year), group (of class), group2 (of class2), subject,
// teacher, teacher2, student and assignment. A record's id is the school's
// and its role's, e.g. school-a-class2, so fuzz corpora stay meaningful.
type tree map[string]string

// world is the API on a fresh table with schools A and B, each holding a
// tree of records written straight to the store.
type world struct {
	*apitest.Env
	a, b tree
}

func newWorld(tb testing.TB) *world {
	tb.Helper()
	w := &world{Env: apitest.New(tb, tokens)}
	w.a = w.seed(tb, schoolA, "Школа № 1")
	w.b = w.seed(tb, schoolB, "Школа № 2")
	return w
}

// seed writes a school and its tree to the store.
func (w *world) seed(tb testing.TB, school, name string) tree {
	tb.Helper()
	ctx := context.Background()
	db := w.DB
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatalf("seed %s: %v", school, err)
		}
	}
	must(db.CreateSchool(ctx, &ejournal.School{ID: school, Name: name, TimeZone: "Asia/Yekaterinburg"}))
	t := tree{"school": school}
	id := func(key string) string {
		t[key] = school + "-" + key
		return t[key]
	}
	for i, key := range []string{"year", "year2"} {
		start := []string{"2025", "2026"}[i]
		end := []string{"2026", "2027"}[i]
		y := &ejournal.SchoolYear{ID: id(key), SchoolID: school, Name: start + "/" + end, Start: ejournal.Date(start + "-09-01"), End: ejournal.Date(end + "-08-31"), TermKind: ejournal.Halves,
			Terms: []ejournal.Term{
				{ID: "h1", Name: "I полугодие", Start: ejournal.Date(start + "-09-01"), End: ejournal.Date(start + "-12-31")},
				{ID: "h2", Name: "II полугодие", Start: ejournal.Date(end + "-01-09"), End: ejournal.Date(end + "-05-31")},
			}}
		must(db.CreateYear(ctx, y))
	}
	for key, kind := range map[string]ejournal.PersonKind{"teacher": ejournal.Staff, "teacher2": ejournal.Staff, "student": ejournal.Student} {
		p := &ejournal.Person{ID: id(key), SchoolID: school, Kind: kind, LastName: "Иванова", FirstName: "Мария"}
		must(db.CreatePerson(ctx, p))
	}
	for key, letter := range map[string]string{"class": "А", "class2": "Б"} {
		c := &ejournal.Class{ID: id(key), SchoolID: school, YearID: t["year"], Grade: 5, Letter: letter, ClassTeacherID: t["teacher"]}
		must(db.CreateClass(ctx, c))
	}
	for key, class := range map[string]string{"group": "class", "group2": "class2"} {
		g := &ejournal.Group{ID: id(key), SchoolID: school, ClassID: t[class], Name: "Английский язык, 1 группа"}
		must(db.CreateGroup(ctx, g))
	}
	must(db.CreateSubject(ctx, &ejournal.Subject{ID: id("subject"), SchoolID: school, Name: "Математика", ShortName: "Матем"}))
	must(db.CreateAssignment(ctx, &ejournal.Assignment{ID: id("assignment"), SchoolID: school, YearID: t["year"], TeacherID: t["teacher"], ClassID: t["class"], SubjectID: t["subject"], HoursPerWeek: 5}))
	return t
}

var placeholder = regexp.MustCompile(`\$([ab])\.([a-z0-9]+)`)

// expand replaces "$a.key" and "$b.key" in s by the ids of the trees.
func (w *world) expand(s string) string {
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		sub := placeholder.FindStringSubmatch(m)
		t := w.a
		if sub[1] == "b" {
			t = w.b
		}
		if id, ok := t[sub[2]]; ok {
			return id
		}
		panic("no record " + m)
	})
}

// body copies base with over applied (a nil value deletes the key) and its
// "$a.key" strings expanded.
func (w *world) body(base, over map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range []map[string]any{base, over} {
		for k, v := range m {
			if s, ok := v.(string); ok {
				v = w.expand(s)
			}
			out[k] = v
			if v == nil {
				delete(out, k)
			}
		}
	}
	return out
}

// as is the world's client acting as the principal of token.
func (w *world) as(token string) apitest.Client { return w.Client.As(token) }
