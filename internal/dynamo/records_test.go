package dynamo_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

func personID(p *ejournal.Person) string { return p.ID }

// trail returns the actions of a record's audit trail and the decoded old
// and new values of its last entry.
func trail(t *testing.T, db *dynamo.DB, sid, kind, id string) (actions []string, old, new map[string]any) {
	t.Helper()
	entries, err := db.AuditTrail(t.Context(), sid, kind, id)
	must(t, err)
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	if len(entries) > 0 {
		last := entries[len(entries)-1]
		if last.Old != nil {
			must(t, json.Unmarshal(last.Old, &old))
		}
		if last.New != nil {
			must(t, json.Unmarshal(last.New, &new))
		}
	}
	return actions, old, new
}

func TestPeopleByKindAndClass(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := dynamotest.MustOpen(t)
	a := mustSchool(t, db, "a")
	b := mustSchool(t, db, "b")
	parent := newPerson("a", ejournal.Parent, "Родителева", "")
	must(t, db.CreatePerson(ctx, parent))

	for _, tc := range []struct {
		f    ejournal.PersonFilter
		want []string
	}{
		{ejournal.PersonFilter{Kind: ejournal.Staff}, []string{a.Teacher.ID}},
		{ejournal.PersonFilter{Kind: ejournal.Student}, []string{a.Student.ID}},
		{ejournal.PersonFilter{Kind: ejournal.Parent}, []string{parent.ID}},
		{ejournal.PersonFilter{Kind: ejournal.Student, ClassID: a.Class.ID}, []string{a.Student.ID}},
		{ejournal.PersonFilter{Kind: ejournal.Student, ClassID: b.Class.ID}, nil},
	} {
		got, err := db.People(ctx, "a", tc.f)
		must(t, err)
		if !slices.Equal(ids(got, personID), tc.want) {
			t.Errorf("%+v: %v, want %v", tc.f, ids(got, personID), tc.want)
		}
	}
	_, err := db.People(ctx, "a", ejournal.PersonFilter{Kind: "alien"})
	wantError(t, err, ejournal.EINVALID, "kind")
}

func TestUpdatePersonKeepsWhatOnlyMovementsChange(t *testing.T) {
	t.Parallel()
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "clerk", SchoolID: "a"})
	db := dynamotest.MustOpen(t)
	a := mustSchool(t, db, "a")
	s := a.Student
	s.LastName, s.ClassID, s.Left, s.Roles = "Новикова", "", true, []ejournal.Role{ejournal.Administrator}
	s.Personal = &ejournal.Personal{Phone: "8 (912) 345-67-89", SMSConsent: true}
	stale := *s
	must(t, db.UpdatePerson(ctx, s))
	got, err := db.Person(ctx, "a", s.ID)
	must(t, err)
	if got.LastName != "Новикова" || got.ClassID != a.Class.ID || got.Left || len(got.Roles) != 0 || got.Personal.Phone != "+79123456789" || got.Version != 2 {
		t.Fatalf("stored %+v: want the new name and phone, the old class and no roles", got)
	}
	wantError(t, db.UpdatePerson(ctx, &stale), ejournal.ECONFLICT)
	bad := *got
	bad.Personal = &ejournal.Personal{Phone: "12"}
	wantError(t, db.UpdatePerson(ctx, &bad), ejournal.EINVALID, "personal.phone")
	actions, old, new := trail(t, db, "a", "person", s.ID)
	if !slices.Equal(actions, []string{"create", "update"}) || old["last_name"] != "Ученикова" || new["last_name"] != "Новикова" {
		t.Fatalf("trail %v, last old %v new %v", actions, old["last_name"], new["last_name"])
	}
}

func TestStaffHireChangeDismiss(t *testing.T) {
	t.Parallel()
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "hr", SchoolID: "a"})
	db := dynamotest.MustOpen(t)
	mustSchool(t, db, "a")
	p := &ejournal.Person{SchoolID: "a", LastName: "Кадрова", FirstName: "Ольга", Employment: &ejournal.Employment{Position: "учитель", HiredOn: "2025-08-25", HireOrder: "15-к"}}
	wantError(t, db.Hire(ctx, &ejournal.Person{SchoolID: "a", LastName: "Без", FirstName: "Работы"}), ejournal.EINVALID, "employment")
	must(t, db.Hire(ctx, p))
	if p.Kind != ejournal.Staff || p.Version != 1 {
		t.Fatalf("hired %+v", p)
	}
	p.Employment.Position = "завуч"
	p.Employment.DismissedOn = "2025-09-01" // only Dismiss sets it
	must(t, db.UpdatePerson(ctx, p))
	if p.Employment.Dismissed() {
		t.Fatal("an update dismissed the employee")
	}
	_, err := db.Dismiss(ctx, "a", p.ID, "2025-08-01", "20-к")
	wantError(t, err, ejournal.EINVALID, "date")
	_, err = db.Dismiss(ctx, "a", p.ID, "2026-01-31", " ")
	wantError(t, err, ejournal.EINVALID, "order_no")
	d, err := db.Dismiss(ctx, "a", p.ID, "2026-01-31", "20-к")
	must(t, err)
	if !d.Employment.Dismissed() || d.Employment.DismissOrder != "20-к" || d.Employment.Position != "завуч" || d.Version != 3 {
		t.Fatalf("dismissed %+v", d.Employment)
	}
	_, err = db.Dismiss(ctx, "a", p.ID, "2026-02-01", "21-к")
	wantError(t, err, ejournal.ECONFLICT)
	_, err = db.Dismiss(ctx, "b", p.ID, "2026-02-01", "21-к")
	wantError(t, err, ejournal.ENOTFOUND)
	staff, err := db.People(ctx, "a", ejournal.PersonFilter{Kind: ejournal.Staff})
	must(t, err)
	if !slices.Contains(ids(staff, personID), p.ID) {
		t.Fatal("a dismissed employee left the staff list")
	}
	actions, old, new := trail(t, db, "a", "person", p.ID)
	if !slices.Equal(actions, []string{"create", "update", "update"}) {
		t.Fatalf("trail %v", actions)
	}
	if oe, ne := old["employment"].(map[string]any), new["employment"].(map[string]any); oe["dismissed_on"] != nil || ne["dismissed_on"] != "2026-01-31" {
		t.Fatalf("dismissal audit old %v new %v", oe, ne)
	}
}

func TestFamilyLinks(t *testing.T) {
	t.Parallel()
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "clerk", SchoolID: "a"})
	db := dynamotest.MustOpen(t)
	a := mustSchool(t, db, "a")
	b := mustSchool(t, db, "b")
	mother := newPerson("a", ejournal.Parent, "Мамина", "")
	must(t, db.CreatePerson(ctx, mother))
	link := func(parent, child string) *ejournal.Link {
		return &ejournal.Link{SchoolID: "a", ParentID: parent, ChildID: child, Relation: ejournal.Mother}
	}
	for _, tc := range []struct {
		l     *ejournal.Link
		field string
	}{
		{link(a.Teacher.ID, a.Student.ID), "parent_id"},
		{link(mother.ID, a.Teacher.ID), "child_id"},
		{link(mother.ID, b.Student.ID), "child_id"},
		{link("nobody", a.Student.ID), "parent_id"},
		{&ejournal.Link{SchoolID: "a", ParentID: mother.ID, ChildID: a.Student.ID, Relation: "aunt"}, "relation"},
	} {
		wantError(t, db.Link(ctx, tc.l), ejournal.EINVALID, tc.field)
	}
	must(t, db.Link(ctx, link(mother.ID, a.Student.ID)))
	wantError(t, db.Link(ctx, link(mother.ID, a.Student.ID)), ejournal.ECONFLICT)

	children, err := db.Children(ctx, "a", mother.ID)
	must(t, err)
	parents, err := db.Parents(ctx, "a", a.Student.ID)
	must(t, err)
	if len(children) != 1 || children[0].ChildID != a.Student.ID || len(parents) != 1 || parents[0].ParentID != mother.ID || parents[0].Relation != ejournal.Mother {
		t.Fatalf("children %+v, parents %+v", children, parents)
	}
	if other, _ := db.Parents(ctx, "b", a.Student.ID); len(other) != 0 {
		t.Fatal("school b sees school a's links")
	}
	_, err = db.Unlink(ctx, "b", mother.ID, a.Student.ID)
	wantError(t, err, ejournal.ENOTFOUND)
	l, err := db.Unlink(ctx, "a", mother.ID, a.Student.ID)
	must(t, err)
	if l.Relation != ejournal.Mother {
		t.Fatalf("unlinked %+v", l)
	}
	if parents, _ := db.Parents(ctx, "a", a.Student.ID); len(parents) != 0 {
		t.Fatalf("parents after unlink: %+v", parents)
	}
	actions, old, _ := trail(t, db, "a", "person", a.Student.ID)
	if !slices.Equal(actions, []string{"create", "create", "delete"}) || old["parent_id"] != mother.ID {
		t.Fatalf("the child's trail %v, last old %v", actions, old)
	}
}

func TestMovementsKeepHistory(t *testing.T) {
	t.Parallel()
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "clerk", SchoolID: "a"})
	db := dynamotest.MustOpen(t)
	a := mustSchool(t, db, "a")
	b := mustSchool(t, db, "b")
	class2 := &ejournal.Class{SchoolID: "a", YearID: a.Year.ID, Grade: 5, Letter: "Б"}
	must(t, db.CreateClass(ctx, class2))
	s := newPerson("a", ejournal.Student, "Новенькая", "")
	must(t, db.CreatePerson(ctx, s))

	move := func(kind ejournal.MovementKind, to string, date ejournal.Date, order string) (*ejournal.Person, error) {
		return db.Move(ctx, &ejournal.Movement{SchoolID: "a", StudentID: s.ID, Kind: kind, ToClassID: to, Date: date, OrderNo: order})
	}
	roster := func(class string) []string {
		got, err := db.ClassStudents(ctx, "a", class)
		must(t, err)
		return ids(got, personID)
	}
	_, err := move(ejournal.Enrol, b.Class.ID, "2025-09-01", "1")
	wantError(t, err, ejournal.EINVALID, "to_class_id")
	_, err = db.Move(ctx, &ejournal.Movement{SchoolID: "a", StudentID: b.Student.ID, Kind: ejournal.Leave, Date: "2025-09-01", OrderNo: "1"})
	wantError(t, err, ejournal.EINVALID, "student_id")
	if h, _ := db.StudentMovements(ctx, "a", s.ID); len(h) != 0 {
		t.Fatalf("a refused movement was written: %+v", h)
	}

	steps := []struct {
		kind   ejournal.MovementKind
		to     string
		date   ejournal.Date
		class  string
		left   bool
		roster map[string]bool // in a.Class, in class2
	}{
		{ejournal.Enrol, a.Class.ID, "2025-09-01", a.Class.ID, false, map[string]bool{a.Class.ID: true}},
		{ejournal.Transfer, class2.ID, "2025-10-15", class2.ID, false, map[string]bool{class2.ID: true}},
		{ejournal.Leave, "", "2025-12-30", class2.ID, true, nil},
		{ejournal.Enrol, a.Class.ID, "2026-01-12", a.Class.ID, false, map[string]bool{a.Class.ID: true}},
	}
	for i, st := range steps {
		p, err := move(st.kind, st.to, st.date, fmt.Sprint(10+i))
		must(t, err)
		if p.ClassID != st.class || p.Left != st.left || p.Version != int64(2+i) {
			t.Fatalf("after %s: class %s left %v version %d", st.kind, p.ClassID, p.Left, p.Version)
		}
		for _, c := range []string{a.Class.ID, class2.ID} {
			if in := slices.Contains(roster(c), s.ID); in != st.roster[c] {
				t.Errorf("after %s: in %s = %v", st.kind, c, in)
			}
		}
	}
	_, err = move(ejournal.Transfer, class2.ID, "2026-01-11", "99")
	wantError(t, err, ejournal.EINVALID, "date")

	history, err := db.StudentMovements(ctx, "a", s.ID)
	must(t, err)
	var got []string
	for _, m := range history {
		got = append(got, fmt.Sprintf("%s %s>%s %s", m.Kind, m.FromClassID, m.ToClassID, m.ActorID))
	}
	want := []string{
		"enrol >" + a.Class.ID + " clerk",
		"transfer " + a.Class.ID + ">" + class2.ID + " clerk",
		"leave " + class2.ID + "> clerk",
		"enrol >" + a.Class.ID + " clerk",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("history %q, want %q", got, want)
	}
	autumn, err := db.Movements(ctx, "a", "2025-09-01", "2025-12-30")
	must(t, err)
	if len(autumn) != 3 || autumn[2].Kind != ejournal.Leave {
		t.Fatalf("movements of the autumn: %d", len(autumn))
	}
	_, err = db.Movements(ctx, "a", "2025-09-31", "x")
	wantError(t, err, ejournal.EINVALID, "from", "to")
	if other, _ := db.Movements(ctx, "b", "2000-01-01", "2100-01-01"); len(other) != 0 {
		t.Fatal("school b sees school a's movements")
	}

	actions, old, new := trail(t, db, "a", "person", s.ID)
	if len(actions) != 5 || old["class_id"] != class2.ID || old["left"] != true || new["class_id"] != a.Class.ID || new["left"] != nil {
		t.Fatalf("the student's trail %v; last old %v new %v", actions, old, new)
	}
	if actions, _, new := trail(t, db, "a", "movement", history[1].ID); !slices.Equal(actions, []string{"create"}) || new["order_no"] != "11" {
		t.Fatalf("the movement's trail %v %v", actions, new)
	}
}

func TestImportPeople(t *testing.T) {
	t.Parallel()
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "clerk", SchoolID: "a"})
	db := dynamotest.MustOpen(t)
	a := mustSchool(t, db, "a")
	mustSchool(t, db, "b")
	existingParent := newPerson("a", ejournal.Parent, "Давняя", "")
	must(t, db.CreatePerson(ctx, existingParent))

	// 60 students, each with a new parent: 240 items with audit entries,
	// so more than two transactions.
	childID := func(s *ejournal.Person) string {
		return ejournal.DerivedPersonID(&ejournal.Person{SchoolID: "a", Kind: s.Kind, LastName: s.LastName, FirstName: s.FirstName, ClassID: s.ClassID, Personal: s.Personal})
	}
	batch := func() ([]*ejournal.Person, []ejournal.Link) {
		var people []*ejournal.Person
		var links []ejournal.Link
		for i := range 60 {
			s := newPerson("", ejournal.Student, fmt.Sprintf("Ученик%02d", i), a.Class.ID)
			s.Personal = &ejournal.Personal{BirthDate: "2014-05-01"}
			p := newPerson("", ejournal.Parent, fmt.Sprintf("Родитель%02d", i), "")
			p.ID = fmt.Sprintf("parent-%02d", i)
			p.Personal = &ejournal.Personal{Phone: "+7 912 000 00 " + fmt.Sprintf("%02d", i), SMSConsent: true}
			people = append(people, s, p)
			// The student gets the id the store derives.
			links = append(links, ejournal.Link{ParentID: p.ID, ChildID: childID(s), Relation: ejournal.Father})
		}
		links = append(links, ejournal.Link{ParentID: existingParent.ID, ChildID: childID(people[0]), Relation: ejournal.Guardian})
		return people, links
	}
	count := func() int {
		got, err := db.People(ctx, "a", ejournal.PersonFilter{Kind: ejournal.Student})
		must(t, err)
		return len(got)
	}

	t.Run("one bad row writes nothing", func(t *testing.T) {
		people, links := batch()
		people[7].LastName = ""
		people[9].ClassID = "no-such-class"
		links[3].ParentID = a.Teacher.ID
		links = append(links, ejournal.Link{ParentID: "parent-01", ChildID: childID(people[2]), Relation: ejournal.Father})
		people = append(people, people[1])
		err := db.ImportPeople(ctx, "a", people, links)
		wantError(t, err, ejournal.EINVALID, "people[7].last_name", "people[9].class_id", "people[120].id", "links[3].parent_id", "links[61]")
		if n := count(); n != 1 {
			t.Fatalf("%d students after a refused import, want 1", n)
		}
	})

	people, links := batch()
	must(t, db.ImportPeople(ctx, "a", people, links))
	if n := count(); n != 61 {
		t.Fatalf("%d students after the import, want 61", n)
	}
	first := people[0]
	if got, _ := db.Person(ctx, "a", first.ID); got == nil || got.Version != 1 || got.ClassID != a.Class.ID {
		t.Fatalf("imported student %+v", got)
	}
	if parents, _ := db.Parents(ctx, "a", first.ID); len(parents) != 2 {
		t.Fatalf("the first student has %d parents, want 2", len(parents))
	}
	roster, err := db.ClassStudents(ctx, "a", a.Class.ID)
	must(t, err)
	if len(roster) != 61 {
		t.Fatalf("class roster %d", len(roster))
	}
	if actions, _, new := trail(t, db, "a", "person", first.ID); len(actions) != 3 || new["relation"] == nil {
		t.Fatalf("the imported student's trail %v", actions)
	}

	// The same file again writes nothing.
	again, againLinks := batch()
	must(t, db.ImportPeople(ctx, "a", again, againLinks))
	if n := count(); n != 61 {
		t.Fatalf("%d students after a repeated import, want 61", n)
	}
	if actions, _, _ := trail(t, db, "a", "person", first.ID); len(actions) != 3 {
		t.Fatalf("a repeated import added audit entries: %v", actions)
	}
}

func TestRecordReads(t *testing.T) {
	t.Parallel()
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "director", SchoolID: "a"})
	db := dynamotest.MustOpen(t)
	var people []string
	for i := range 30 {
		people = append(people, fmt.Sprint("p", i))
	}
	must(t, db.RecordReads(ctx, "a", "person", people))
	for _, id := range []string{"p0", "p29"} {
		if actions, _, _ := trail(t, db, "a", "person", id); !slices.Equal(actions, []string{"read"}) {
			t.Errorf("%s: %v", id, actions)
		}
	}
}
