package api_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"testing"

	"ejournal/internal/apitest"
	"ejournal/internal/ejournal"
)

// The people of the records world. Ids are fixed so that the principals
// can name their relations before the records are written.
const (
	rClass1, rClass2, rSubject = "a-5a", "a-5b", "a-math"
	rStudent1, rStudent2       = "a-s1", "a-s2"
	rParent1, rParent2         = "a-p1", "a-p2"
	rTeacher, rClassTeacher    = "a-t1", "a-ct1"
	rBClass, rBStudent         = "b-5a", "b-s1"
	rBParent, rBStaff          = "b-p1", "b-t1"
)

var recordTokens = apitest.Tokens{
	"admin":        {PersonID: "a-admin", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Administrator}},
	"clerk":        {PersonID: "a-clerk", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Clerk}},
	"hr":           {PersonID: "a-hr", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.HR}},
	"director":     {PersonID: "a-director", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Director}},
	"teacher":      {PersonID: rTeacher, SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher}, Teaches: []ejournal.Teaching{{ClassID: rClass1, SubjectID: rSubject}}},
	"classteacher": {PersonID: rClassTeacher, SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher, ejournal.ClassTeacher}, ClassTeacherOf: []string{rClass1}},
	"parent":       {PersonID: rParent1, SchoolID: schoolA, Roles: []ejournal.Role{ejournal.ParentRole}, Children: map[string]string{rStudent1: rClass1}},
	"student":      {PersonID: rStudent1, SchoolID: schoolA, Roles: []ejournal.Role{ejournal.StudentRole}, ClassID: rClass1},
	"adminB":       {PersonID: "b-admin", SchoolID: schoolB, Roles: []ejournal.Role{ejournal.Administrator}},
}

// newRecords starts the API with schools A and B: in A two classes of 5th
// grade, a teacher of the first, its class teacher, a student in each class
// with a parent each; in B one of each.
func newRecords(t *testing.T) *apitest.Env {
	t.Helper()
	env := apitest.New(t, recordTokens)
	ctx := context.Background()
	db := env.DB
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	person := func(school, id string, kind ejournal.PersonKind, last, class string, personal *ejournal.Personal) {
		t.Helper()
		must(db.CreatePerson(ctx, &ejournal.Person{ID: id, SchoolID: school, Kind: kind, LastName: last, FirstName: "Анна", ClassID: class, Personal: personal}))
	}
	for _, sc := range []struct{ id, class string }{{schoolA, rClass1}, {schoolB, rBClass}} {
		must(db.CreateSchool(ctx, &ejournal.School{ID: sc.id, Name: "Школа " + sc.id, TimeZone: "Asia/Yekaterinburg"}))
		must(db.CreateYear(ctx, &ejournal.SchoolYear{ID: sc.id + "-y", SchoolID: sc.id, Name: "2025/2026", Start: "2025-09-01", End: "2026-08-31", TermKind: ejournal.Halves,
			Terms: []ejournal.Term{{ID: "h1", Name: "I", Start: "2025-09-01", End: "2025-12-31"}, {ID: "h2", Name: "II", Start: "2026-01-09", End: "2026-05-31"}}}))
	}
	person(schoolA, rTeacher, ejournal.Staff, "Учителева", "", nil)
	person(schoolA, rClassTeacher, ejournal.Staff, "Классная", "", &ejournal.Personal{Phone: "+79120000001"})
	must(db.CreateClass(ctx, &ejournal.Class{ID: rClass1, SchoolID: schoolA, YearID: schoolA + "-y", Grade: 5, Letter: "А", ClassTeacherID: rClassTeacher}))
	must(db.CreateClass(ctx, &ejournal.Class{ID: rClass2, SchoolID: schoolA, YearID: schoolA + "-y", Grade: 5, Letter: "Б"}))
	must(db.CreateClass(ctx, &ejournal.Class{ID: rBClass, SchoolID: schoolB, YearID: schoolB + "-y", Grade: 5, Letter: "А"}))
	person(schoolA, rStudent1, ejournal.Student, "Первая", rClass1, &ejournal.Personal{BirthDate: "2014-03-01", Phone: "+79120000011"})
	person(schoolA, rStudent2, ejournal.Student, "Вторая", rClass2, &ejournal.Personal{BirthDate: "2014-04-01"})
	person(schoolA, rParent1, ejournal.Parent, "Первая", "", &ejournal.Personal{Phone: "+79120000021", SMSConsent: true})
	person(schoolA, rParent2, ejournal.Parent, "Вторая", "", nil)
	person(schoolB, rBStudent, ejournal.Student, "Чужая", rBClass, nil)
	person(schoolB, rBParent, ejournal.Parent, "Чужая", "", nil)
	person(schoolB, rBStaff, ejournal.Staff, "Чужая", "", nil)
	for _, l := range []ejournal.Link{{SchoolID: schoolA, ParentID: rParent1, ChildID: rStudent1, Relation: ejournal.Mother}, {SchoolID: schoolA, ParentID: rParent2, ChildID: rStudent2, Relation: ejournal.Father}} {
		must(db.Link(ctx, &l))
	}
	return env
}

// reads returns who filed reads of a person's card.
func reads(t *testing.T, env *apitest.Env, school, id string) []string {
	t.Helper()
	entries, err := env.DB.AuditTrail(context.Background(), school, "person", id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Action == "read" {
			out = append(out, e.ActorID)
		}
	}
	return out
}

func TestPersonalFieldsOnlyToThoseAllowed(t *testing.T) {
	t.Parallel()
	env := newRecords(t)
	c := env.Client
	for _, tc := range []struct {
		token, path string
		status      int
		personal    bool
	}{
		{"teacher", "/v1/students/" + rStudent1, 200, false},
		{"clerk", "/v1/students/" + rStudent1, 200, true},
		{"classteacher", "/v1/students/" + rStudent1, 200, true},
		{"parent", "/v1/students/" + rStudent1, 200, true},
		{"student", "/v1/students/" + rStudent1, 200, false},
		{"parent", "/v1/students/" + rStudent2, 403, false},
		{"student", "/v1/students/" + rStudent2, 403, false},
		{"teacher", "/v1/students/" + rStudent2, 403, false},
		{"classteacher", "/v1/students/" + rStudent2, 403, false},
		{"parent", "/v1/parents/" + rParent1, 200, true},
		{"parent", "/v1/parents/" + rParent2, 403, false},
		{"teacher", "/v1/parents/" + rParent1, 403, false},
		{"clerk", "/v1/parents/" + rParent2, 200, true},
		{"hr", "/v1/staff/" + rClassTeacher, 200, true},
		{"director", "/v1/staff/" + rClassTeacher, 200, true},
		{"clerk", "/v1/staff/" + rClassTeacher, 200, false},
		{"teacher", "/v1/staff/" + rClassTeacher, 403, false},
		{"hr", "/v1/students/" + rStudent1, 200, false},
	} {
		res := c.As(tc.token).Get(t, tc.path).Want(t, tc.status)
		if tc.status != 200 {
			continue
		}
		card := res.Object(t)
		if _, has := card["personal"]; has != tc.personal {
			t.Errorf("%s %s: personal shown %v, want %v: %s", tc.token, tc.path, has, tc.personal, res.Body)
		}
	}
	card := c.As("clerk").Get(t, "/v1/students/"+rStudent1).Want(t, 200).Object(t)
	if p := card["personal"].(map[string]any); p["phone"] != "+79120000011" || p["birth_date"] != "2014-03-01" {
		t.Errorf("the clerk sees %v", p)
	}
	if got := reads(t, env, schoolA, rStudent1); !slices.Equal(got, []string{"a-clerk", rClassTeacher, rParent1, "a-clerk"}) {
		t.Errorf("reads of the student's card by %v; the teacher's and the student's own (without personal fields) must leave none", got)
	}
	if got := reads(t, env, schoolA, rClassTeacher); !slices.Equal(got, []string{"a-hr", "a-director"}) {
		t.Errorf("reads of the staff card by %v", got)
	}
	staff := c.As("clerk").Get(t, "/v1/staff/"+rClassTeacher).Object(t)
	if _, ok := staff["employment"]; ok {
		t.Error("the clerk sees employment")
	}
}

func TestRosterByClass(t *testing.T) {
	t.Parallel()
	env := newRecords(t)
	roster := func(token, class string, status int) []map[string]any {
		t.Helper()
		res := env.Client.As(token).Get(t, "/v1/classes/"+class+"/students").Want(t, status)
		var l struct {
			Items []map[string]any `json:"items"`
		}
		if status == 200 {
			res.Decode(t, &l)
		}
		return l.Items
	}
	for _, token := range []string{"classteacher", "teacher", "clerk"} {
		items := roster(token, rClass1, 200)
		if len(items) != 1 || items[0]["id"] != rStudent1 || items[0]["class_id"] != rClass1 {
			t.Fatalf("%s: roster %v", token, items)
		}
		if _, has := items[0]["personal"]; has != (token != "teacher") {
			t.Errorf("%s: personal shown %v", token, has)
		}
	}
	roster("classteacher", rClass2, 403)
	roster("teacher", rClass2, 403)
	roster("parent", rClass2, 403)
	roster("hr", rClass1, 403)
	roster("clerk", rBClass, 404)
	roster("clerk", "no-such-class", 404)
	if got := reads(t, env, schoolA, rStudent1); !slices.Equal(got, []string{rClassTeacher, "a-clerk"}) {
		t.Errorf("roster reads by %v", got)
	}

	// Lists show only whom the caller may see, never personal fields.
	list := func(token, path string) []string {
		t.Helper()
		var l struct {
			Items []map[string]any `json:"items"`
		}
		env.Client.As(token).Get(t, path).Want(t, 200).Decode(t, &l)
		var ids []string
		for _, it := range l.Items {
			if _, has := it["personal"]; has {
				t.Errorf("%s %s lists personal fields", token, path)
			}
			ids = append(ids, it["id"].(string))
		}
		return ids
	}
	for _, tc := range []struct {
		token, path string
		want        []string
	}{
		{"clerk", "/v1/students", []string{rStudent2, rStudent1}},
		{"clerk", "/v1/students?class_id=" + rClass2, []string{rStudent2}},
		{"teacher", "/v1/students", []string{rStudent1}},
		{"parent", "/v1/students", []string{rStudent1}},
		{"parent", "/v1/parents", []string{rParent1}},
		{"hr", "/v1/staff", []string{rClassTeacher, rTeacher}},
		{"teacher", "/v1/staff", nil},
		{"adminB", "/v1/students", []string{rBStudent}},
	} {
		if got := list(tc.token, tc.path); !slices.Equal(got, tc.want) {
			t.Errorf("%s %s: %v, want %v", tc.token, tc.path, got, tc.want)
		}
	}
	wantError(t, env.Client.As("clerk").Get(t, "/v1/students?class_id=bad%23"), 400, "class_id")
}

func TestOtherSchoolsRecordsAreNotFound(t *testing.T) {
	t.Parallel()
	env := newRecords(t)
	b := env.Client.As("adminB")
	patch := map[string]any{"version": 1, "last_name": "Захватова"}
	for _, tc := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/v1/students/" + rStudent1, nil},
		{"GET", "/v1/parents/" + rParent1, nil},
		{"GET", "/v1/staff/" + rTeacher, nil},
		{"GET", "/v1/classes/" + rClass1 + "/students", nil},
		{"GET", "/v1/students/" + rStudent1 + "/parents", nil},
		{"GET", "/v1/students/" + rStudent1 + "/movements", nil},
		{"PATCH", "/v1/students/" + rStudent1, patch},
		{"PATCH", "/v1/parents/" + rParent1, patch},
		{"PATCH", "/v1/staff/" + rTeacher, patch},
		{"POST", "/v1/staff/" + rTeacher + "/dismiss", map[string]any{"date": "2026-01-01", "order_no": "1"}},
		{"POST", "/v1/students/" + rStudent1 + "/parents", map[string]any{"parent_id": rBParent, "relation": "mother"}},
		{"DELETE", "/v1/students/" + rStudent1 + "/parents/" + rParent1, nil},
		// A person of another kind is not found either.
		{"GET", "/v1/students/" + rBParent, nil},
		{"GET", "/v1/staff/" + rBStudent, nil},
	} {
		wantError(t, b.Do(t, tc.method, tc.path, tc.body), http.StatusNotFound, "")
	}
	// A's student named in B's writes is an unknown reference.
	wantError(t, b.Post(t, "/v1/movements", map[string]any{"kind": "leave", "student_id": rStudent1, "date": "2026-01-01", "order_no": "1"}), 400, "student_id")
	wantError(t, b.Post(t, "/v1/students/"+rBStudent+"/parents", map[string]any{"parent_id": rParent1, "relation": "mother"}), 400, "parent_id")
	var trail struct{ Items []any }
	b.Get(t, "/v1/audit?entity=person&id="+rStudent1).Want(t, 200).Decode(t, &trail)
	if len(trail.Items) != 0 {
		t.Errorf("school B reads school A's audit trail: %v", trail.Items)
	}
	if got, _ := env.DB.Person(context.Background(), schoolA, rStudent1); got.Version != 1 {
		t.Error("school B changed school A's student")
	}
}

// auditTrail reads a record's trail through the API as the director.
func auditTrail(t *testing.T, env *apitest.Env, entity, id string) []ejournal.AuditEntry {
	t.Helper()
	var l struct{ Items []ejournal.AuditEntry }
	env.Client.As("director").Get(t, "/v1/audit?entity="+entity+"&id="+id).Want(t, 200).Decode(t, &l)
	return l.Items
}

// field returns a top-level field of an audit value.
func field(t *testing.T, raw json.RawMessage, name string) any {
	t.Helper()
	if raw == nil {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m[name]
}

func TestRecordChangesAreAudited(t *testing.T) {
	t.Parallel()
	env := newRecords(t)
	clerk, hr := env.Client.As("clerk"), env.Client.As("hr")

	created := clerk.Post(t, "/v1/students", map[string]any{"id": "new-s", "last_name": "Новая", "first_name": "Вера", "personal": map[string]any{"phone": "8 (912) 345-67-89", "sms_consent": true}}).Want(t, 201).Object(t)
	if created["personal"].(map[string]any)["phone"] != "+79123456789" {
		t.Errorf("phone not normalised: %v", created["personal"])
	}
	wantError(t, clerk.Post(t, "/v1/students", map[string]any{"last_name": "Б", "first_name": "В", "personal": map[string]any{"phone": "12"}}), 400, "personal.phone")
	wantError(t, clerk.Post(t, "/v1/students", map[string]any{"last_name": "Б", "first_name": "В", "class_id": rBClass}), 400, "class_id")
	wantError(t, clerk.Post(t, "/v1/parents", map[string]any{"last_name": "Б", "first_name": "В", "class_id": rClass1}), 400, "class_id")
	wantError(t, env.Client.As("teacher").Post(t, "/v1/students", map[string]any{"last_name": "Б", "first_name": "В"}), 403, "")
	wantError(t, hr.Post(t, "/v1/students", map[string]any{"last_name": "Б", "first_name": "В"}), 403, "")

	updated := clerk.Patch(t, "/v1/students/new-s", map[string]any{"version": 1, "last_name": "Новикова", "personal": map[string]any{"address": "ул. Ленина, 1"}}).Want(t, 200).Object(t)
	if p := updated["personal"].(map[string]any); p["phone"] != "+79123456789" || p["address"] != "ул. Ленина, 1" || updated["version"] != 2.0 {
		t.Errorf("patched %v: the phone must stay, the address come", updated)
	}
	clerk.Post(t, "/v1/students/new-s/parents", map[string]any{"parent_id": rParent2, "relation": "guardian"}).Want(t, 201)
	wantError(t, clerk.Post(t, "/v1/students/new-s/parents", map[string]any{"parent_id": rParent2, "relation": "guardian"}), 409, "")
	wantError(t, clerk.Post(t, "/v1/students/new-s/parents", map[string]any{"parent_id": rStudent1, "relation": "guardian"}), 400, "parent_id")
	wantError(t, clerk.Post(t, "/v1/students/new-s/parents", map[string]any{"parent_id": rParent1, "relation": "aunt"}), 400, "relation")
	var parents struct{ Items []map[string]any }
	env.Client.As("teacher").Get(t, "/v1/students/"+rStudent1+"/parents").Want(t, 200).Decode(t, &parents)
	if len(parents.Items) != 1 || parents.Items[0]["parent_full_name"] != "Первая Анна" {
		t.Errorf("the student's parents %v", parents.Items)
	}
	clerk.Do(t, "DELETE", "/v1/students/new-s/parents/"+rParent2, nil).Want(t, 200)
	wantError(t, clerk.Do(t, "DELETE", "/v1/students/new-s/parents/"+rParent2, nil), 404, "")
	clerk.Post(t, "/v1/movements", map[string]any{"kind": "enrol", "student_id": "new-s", "to_class_id": rClass2, "date": "2025-09-01", "order_no": "1-у"}).Want(t, 201)

	trail := auditTrail(t, env, "person", "new-s")
	var actions []string
	for _, e := range trail {
		actions = append(actions, e.Action)
		if e.ActorID != "a-clerk" && e.Action != "read" {
			t.Errorf("%s by %s", e.Action, e.ActorID)
		}
	}
	want := []string{"create", "read", "update", "read", "create", "delete", "update"}
	if !slices.Equal(actions, want) {
		t.Fatalf("the student's trail %v, want %v", actions, want)
	}
	for i, tc := range []struct {
		name     string
		old, new any
	}{
		{"last_name", nil, "Новая"}, {}, {"last_name", "Новая", "Новикова"}, {},
		{"parent_id", nil, rParent2}, {"parent_id", rParent2, nil}, {"class_id", nil, rClass2},
	} {
		if tc.name == "" {
			continue
		}
		if o, n := field(t, trail[i].Old, tc.name), field(t, trail[i].New, tc.name); o != tc.old || n != tc.new {
			t.Errorf("entry %d (%s) %s: %v → %v, want %v → %v", i, trail[i].Action, tc.name, o, n, tc.old, tc.new)
		}
	}

	hired := hr.Post(t, "/v1/staff", map[string]any{"last_name": "Кадрова", "first_name": "Ольга", "employment": map[string]any{"position": "учитель", "hired_on": "2025-08-25", "hire_order": "15-к"}}).Want(t, 201).Object(t)
	id := hired["id"].(string)
	wantError(t, hr.Post(t, "/v1/staff", map[string]any{"last_name": "Кадрова", "first_name": "Ольга"}), 400, "employment")
	wantError(t, clerk.Post(t, "/v1/staff", map[string]any{"last_name": "К", "first_name": "О", "employment": map[string]any{"position": "учитель", "hired_on": "2025-08-25"}}), 403, "")
	hr.Patch(t, "/v1/staff/"+id, map[string]any{"version": 1, "employment": map[string]any{"position": "завуч"}}).Want(t, 200)
	wantError(t, hr.Post(t, "/v1/staff/"+id+"/dismiss", map[string]any{"date": "2025-08-01", "order_no": "20-к"}), 400, "date")
	dismissed := hr.Post(t, "/v1/staff/"+id+"/dismiss", map[string]any{"date": "2026-01-31", "order_no": "20-к"}).Want(t, 200).Object(t)
	if e := dismissed["employment"].(map[string]any); e["dismissed_on"] != "2026-01-31" || e["position"] != "завуч" {
		t.Errorf("dismissed %v", e)
	}
	wantError(t, hr.Post(t, "/v1/staff/"+id+"/dismiss", map[string]any{"date": "2026-02-01", "order_no": "21-к"}), 409, "")
	hr.Get(t, "/v1/staff/"+id).Want(t, 200)

	var changes []string
	for _, e := range auditTrail(t, env, "person", id) {
		if e.Action != "read" {
			emp, _ := field(t, e.New, "employment").(map[string]any)
			changes = append(changes, e.Action+" "+emp["position"].(string)+" "+stringOr(emp["dismissed_on"]))
		}
	}
	if want := []string{"create учитель -", "update завуч -", "update завуч 2026-01-31"}; !slices.Equal(changes, want) {
		t.Errorf("the staff trail %q, want %q", changes, want)
	}

	wantError(t, env.Client.As("clerk").Get(t, "/v1/audit?entity=person&id=new-s"), 403, "")
	wantError(t, env.Client.As("director").Get(t, "/v1/audit?entity=person"), 400, "id")
	var day struct{ Items []ejournal.AuditEntry }
	today := ejournal.DateOf(trail[0].At.UTC())
	env.Client.As("director").Get(t, "/v1/audit/log?date="+string(today)+"&limit=5").Want(t, 200).Decode(t, &day)
	if len(day.Items) != 5 {
		t.Errorf("the day's log has %d entries, want the limit 5", len(day.Items))
	}
	wantError(t, env.Client.As("director").Get(t, "/v1/audit/log?date=2026-02-30"), 400, "date")
	wantError(t, env.Client.As("director").Get(t, "/v1/audit/log?date=2026-02-03&limit=0"), 400, "limit")
	wantError(t, env.Client.As("teacher").Get(t, "/v1/audit/log?date=2026-02-03"), 403, "")
}

func stringOr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return "-"
}

func TestStalePatchChangesNothing(t *testing.T) {
	t.Parallel()
	env := newRecords(t)
	clerk := env.Client.As("clerk")
	path := "/v1/parents/" + rParent1
	clerk.Patch(t, path, map[string]any{"version": 1, "first_name": "Ирина"}).Want(t, 200)
	before := clerk.Get(t, path).Want(t, 200).Object(t)
	wantError(t, clerk.Patch(t, path, map[string]any{"version": 1, "first_name": "Ольга"}), 409, "")
	wantError(t, clerk.Patch(t, path, map[string]any{"first_name": "Ольга"}), 400, "version")
	wantError(t, clerk.Patch(t, path, map[string]any{"version": 2, "class_id": rClass1}), 400, "class_id")
	wantError(t, clerk.Patch(t, path, map[string]any{"version": 2, "personal": map[string]any{"sms_consent": true, "phone": ""}}), 400, "personal.sms_consent")
	wantError(t, env.Client.As("parent").Patch(t, path, map[string]any{"version": 2, "first_name": "Ольга"}), 403, "")
	after := clerk.Get(t, path).Want(t, 200).Object(t)
	delete(before, "personal")
	delete(after, "personal")
	if b, a := asJSON(t, before), asJSON(t, after); a != b || after["first_name"] != "Ирина" {
		t.Errorf("the record changed: %s → %s", b, a)
	}
	var updates int
	for _, e := range auditTrail(t, env, "person", rParent1) {
		if e.Action == "update" {
			updates++
		}
	}
	if updates != 1 {
		t.Errorf("%d updates audited, want 1", updates)
	}
}

func TestMovementsKeepHistoryAndReport(t *testing.T) {
	t.Parallel()
	env := newRecords(t)
	clerk := env.Client.As("clerk")
	move := func(kind, student, to, date, order string) *apitest.Response {
		body := map[string]any{"kind": kind, "student_id": student, "date": date, "order_no": order, "order_date": date, "reason": "заявление родителей"}
		if to != "" {
			body["to_class_id"] = to
		}
		return clerk.Post(t, "/v1/movements", body)
	}
	move("transfer", rStudent1, rClass2, "2025-10-01", "5-у").Want(t, 201)
	move("leave", rStudent2, "", "2025-11-15", "6-у").Want(t, 201)
	move("enrol", rStudent2, rClass1, "2026-01-12", "7-у").Want(t, 201)
	move("leave", rStudent1, "", "2026-03-01", "8-у").Want(t, 201)

	wantError(t, move("transfer", rStudent1, rClass1, "2026-03-02", "9-у"), 400, "kind")
	wantError(t, move("enrol", rStudent2, rClass2, "2026-03-02", "9-у"), 400, "kind")
	wantError(t, move("transfer", rStudent2, rClass2, "2026-01-01", "9-у"), 400, "date")
	wantError(t, move("transfer", rStudent2, rBClass, "2026-03-02", "9-у"), 400, "to_class_id")
	wantError(t, move("enrol", rStudent2, "", "2026-03-02", ""), 400, "order_no")
	wantError(t, move("enrol", rParent1, rClass1, "2026-03-02", "9-у"), 400, "student_id")
	wantError(t, env.Client.As("classteacher").Post(t, "/v1/movements", map[string]any{"kind": "leave", "student_id": rStudent2, "date": "2026-03-02", "order_no": "9"}), 403, "")

	// The student who left keeps their record and history.
	gone := clerk.Get(t, "/v1/students/"+rStudent1).Want(t, 200).Object(t)
	if gone["left"] != true || gone["class_id"] != rClass2 {
		t.Errorf("the student who left: %v", gone)
	}
	var history struct{ Items []ejournal.Movement }
	env.Client.As("director").Get(t, "/v1/students/"+rStudent1+"/movements").Want(t, 200).Decode(t, &history)
	if len(history.Items) != 2 || history.Items[0].FromClassID != rClass1 || history.Items[1].Kind != ejournal.Leave || history.Items[1].ActorID != "a-clerk" {
		t.Errorf("history %+v", history.Items)
	}
	wantError(t, env.Client.As("teacher").Get(t, "/v1/students/"+rStudent1+"/movements"), 403, "")

	var period struct {
		Movements []ejournal.Movement
		Report    ejournal.MovementReport
	}
	env.Client.As("director").Get(t, "/v1/movements?from=2025-10-01&to=2026-01-12").Want(t, 200).Decode(t, &period)
	if len(period.Movements) != 3 {
		t.Errorf("%d movements in the period, want 3", len(period.Movements))
	}
	r := period.Report
	lines := map[string]ejournal.MovementCounts{}
	for _, l := range r.Classes {
		lines[l.ClassName] = l.MovementCounts
	}
	want := map[string]ejournal.MovementCounts{
		"5А": {AtStart: 1, TransferredOut: 1, Arrived: 1, AtEnd: 1},
		"5Б": {AtStart: 1, TransferredIn: 1, Left: 1, AtEnd: 1},
	}
	if !maps.Equal(lines, want) || r.Total != (ejournal.MovementCounts{AtStart: 2, Arrived: 1, Left: 1, TransferredIn: 1, TransferredOut: 1, AtEnd: 2}) || len(r.Orders) != 3 {
		t.Errorf("report %+v, total %+v, %d orders", lines, r.Total, len(r.Orders))
	}
	for _, q := range []string{"from=2026-01-01", "from=2026-01-02&to=2026-01-01", "from=x&to=2026-01-01"} {
		res := env.Client.As("director").Get(t, "/v1/movements?"+q).Want(t, 400)
		if e := res.Error(t); e.Fields["to"] == "" && e.Fields["from"] == "" {
			t.Errorf("%s: %+v", q, e)
		}
	}
	wantError(t, env.Client.As("teacher").Get(t, "/v1/movements?from=2025-10-01&to=2026-01-12"), 403, "")
}
