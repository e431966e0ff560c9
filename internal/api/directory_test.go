package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"ejournal/internal/apitest"
)

// badInput is a create body that must be refused with 400.
type badInput struct {
	// field is the field error.fields must name; "" when none is named.
	field string
	// over changes the valid body (a nil value deletes the key).
	over map[string]any
	// raw, when set, is sent instead of a body; "$valid" in it stands for
	// the valid body.
	raw string
	// createOnly marks a field that a PATCH cannot change or remove.
	createOnly bool
}

// String names the input in failure messages.
func (b badInput) String() string {
	s := b.raw
	if b.over != nil {
		j, _ := json.Marshal(b.over)
		s = string(j)
	}
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return fmt.Sprintf("%s %q", b.field, s)
}

// listCase is a list query and whether it lists the new record.
type listCase struct {
	query string
	has   bool
}

// resourceCase describes one school-scoped directory resource.
type resourceCase struct {
	path string
	// kind is the key of this resource's record in a tree.
	kind string
	// create is a valid create body; change a valid PATCH body without version.
	create, change map[string]any
	bad            []badInput
	lists          []listCase
	// filters are the list's query parameters.
	filters []string
}

// commonBad are refused by every create route.
var commonBad = []badInput{
	{field: "nickname", over: map[string]any{"nickname": "x"}},
	{field: "school_id", over: map[string]any{"school_id": "$b.school"}},
	{field: "id", over: map[string]any{"id": "no spaces"}},
	{field: "id", over: map[string]any{"id": strings.Repeat("x", 65)}},
	{field: "id", over: map[string]any{"id": 5}},
	{raw: ""},
	{raw: "[]"},
	{raw: `"text"`},
	{raw: "{"},
	{raw: "$valid]"},
	{raw: "$valid {}"},
}

var resources = []resourceCase{
	{
		path: "/v1/years", kind: "year",
		create: map[string]any{"name": "2027/2028", "start": "2027-09-01", "end": "2028-08-31", "term_kind": "halves", "terms": []any{
			map[string]any{"id": "h1", "name": "I полугодие", "start": "2027-09-01", "end": "2027-12-31"},
			map[string]any{"id": "h2", "name": "II полугодие", "start": "2028-01-09", "end": "2028-05-31"},
		}},
		change: map[string]any{"name": "2027–2028"},
		bad: []badInput{
			{field: "name", over: map[string]any{"name": ""}},
			{field: "name", over: map[string]any{"name": 2027}},
			{field: "name", over: map[string]any{"name": strings.Repeat(" ", 500_000) + "2027"}},
			{field: "term_kind", over: map[string]any{"term_kind": "weeks"}},
			{field: "start", over: map[string]any{"start": "2027-02-30"}},
			{field: "end", over: map[string]any{"end": "2027-08-31"}},
			{field: "terms", over: map[string]any{"terms": []any{}}},
			{field: "terms.start", over: map[string]any{"terms": []any{map[string]any{"id": "h1", "name": "I", "start": 1, "end": "2027-12-31"}}}},
		},
	},
	{
		path: "/v1/classes", kind: "class",
		create: map[string]any{"year_id": "$a.year", "grade": 7, "letter": "В", "class_teacher_id": "$a.teacher2"},
		change: map[string]any{"letter": "Г", "class_teacher_id": "$a.teacher"},
		bad: []badInput{
			{field: "grade", over: map[string]any{"grade": 12}},
			{field: "grade", over: map[string]any{"grade": 0}},
			{field: "grade", over: map[string]any{"grade": "7"}},
			{field: "grade", over: map[string]any{"grade": 7.5}},
			{field: "letter", over: map[string]any{"letter": "в"}},
			{field: "letter", over: map[string]any{"letter": "ВГД"}},
			{field: "year_id", over: map[string]any{"year_id": nil}, createOnly: true},
			{field: "year_id", over: map[string]any{"year_id": "no-such-year"}, createOnly: true},
			{field: "year_id", over: map[string]any{"year_id": "$b.year"}, createOnly: true},
			{field: "class_teacher_id", over: map[string]any{"class_teacher_id": "$a.student"}},
			{field: "class_teacher_id", over: map[string]any{"class_teacher_id": "$b.teacher"}},
		},
		lists:   []listCase{{"year_id=$a.year", true}, {"year_id=$a.year2", false}},
		filters: []string{"year_id"},
	},
	{
		path: "/v1/groups", kind: "group",
		create: map[string]any{"class_id": "$a.class", "name": "Немецкий язык"},
		change: map[string]any{"name": "Немецкий язык, 2 группа"},
		bad: []badInput{
			{field: "class_id", over: map[string]any{"class_id": nil}, createOnly: true},
			{field: "class_id", over: map[string]any{"class_id": "$b.class"}, createOnly: true},
			{field: "name", over: map[string]any{"name": " "}},
			{field: "name", over: map[string]any{"name": strings.Repeat("я", 61)}},
		},
		lists:   []listCase{{"class_id=$a.class", true}, {"class_id=$a.class2", false}},
		filters: []string{"class_id"},
	},
	{
		path: "/v1/subjects", kind: "subject",
		create: map[string]any{"name": "Физика", "short_name": "Физ", "grades": []int{7, 8, 9}},
		change: map[string]any{"short_name": "Физика", "grades": []int{7, 8, 9, 10, 11}},
		bad: []badInput{
			{field: "name", over: map[string]any{"name": ""}},
			{field: "short_name", over: map[string]any{"short_name": "Физика и астрономия"}},
			{field: "short_name", over: map[string]any{"short_name": "Ф\u0000"}},
			{field: "grades", over: map[string]any{"grades": []int{12}}},
			{field: "grades", over: map[string]any{"grades": "7"}},
			{field: "grades", over: map[string]any{"grades": []int{5, 6, 5}}},
		},
	},
	{
		path: "/v1/assignments", kind: "assignment",
		create: map[string]any{"year_id": "$a.year", "teacher_id": "$a.teacher2", "class_id": "$a.class", "group_id": "$a.group", "subject_id": "$a.subject", "hours_per_week": 3},
		change: map[string]any{"hours_per_week": 4, "teacher_id": "$a.teacher"},
		bad: []badInput{
			{field: "teacher_id", over: map[string]any{"teacher_id": "$a.student"}},
			{field: "teacher_id", over: map[string]any{"teacher_id": "$b.teacher"}},
			{field: "group_id", over: map[string]any{"group_id": "$a.group2"}},
			{field: "subject_id", over: map[string]any{"subject_id": nil}, createOnly: true},
			{field: "class_id", over: map[string]any{"class_id": 5}},
			{field: "hours_per_week", over: map[string]any{"hours_per_week": 41}},
			{field: "hours_per_week", over: map[string]any{"hours_per_week": -1}},
		},
		lists: []listCase{
			{"year_id=$a.year", true}, {"year_id=$a.year2", false},
			{"teacher_id=$a.teacher2", true}, {"teacher_id=$a.teacher", false},
			{"class_id=$a.class", true}, {"class_id=$a.class2", false},
			{"year_id=$a.year&teacher_id=$a.teacher2&class_id=$a.class", true},
			{"teacher_id=$a.teacher2&year_id=$a.year2", false},
			{"teacher_id=$a.teacher2&class_id=$a.class2", false},
		},
		filters: []string{"year_id", "teacher_id", "class_id"},
	},
}

func TestDirectoryResources(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, rc := range resources {
		t.Run(strings.TrimPrefix(rc.path, "/v1/"), func(t *testing.T) {
			t.Parallel()
			testResource(t, w, rc)
		})
	}
}

// testResource drives one resource through create, get, list and update,
// and through every way they must fail.
func testResource(t *testing.T, w *world, rc resourceCase) {
	admin := w.as(adminA)
	valid := w.body(rc.create, nil)
	before := listIDs(t, admin, rc.path)

	t.Run("create refused", func(t *testing.T) {
		wantError(t, w.Client.Post(t, rc.path, valid), http.StatusUnauthorized, "")
		wantError(t, w.as(teacherA).Post(t, rc.path, valid), http.StatusForbidden, "")
		validJSON, _ := json.Marshal(valid)
		for _, b := range append(rc.bad, commonBad...) {
			var body any = w.body(valid, b.over)
			if b.raw != "" || b.over == nil {
				body = strings.ReplaceAll(b.raw, "$valid", string(validJSON))
			}
			res := admin.Post(t, rc.path, body)
			if res.Status != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400; body: %.300s", b, res.Status, res.Body)
				continue
			}
			if e := res.Error(t); b.field != "" && e.Fields[b.field] == "" {
				t.Errorf("%s: error.fields does not name %q: %+v", b, b.field, e)
			}
		}
		if after := listIDs(t, admin, rc.path); !reflect.DeepEqual(after, before) {
			t.Errorf("a refused create wrote a record: %v, before %v", after, before)
		}
	})

	// Create with a chosen id, then again: a conflict.
	id := "new-" + rc.kind
	res := admin.Post(t, rc.path, w.body(valid, map[string]any{"id": id})).Want(t, http.StatusCreated)
	if loc := res.Header.Get("Location"); loc != rc.path+"/"+id {
		t.Errorf("Location %q, want %q", loc, rc.path+"/"+id)
	}
	created := res.Object(t)
	wantFields(t, created, map[string]any{"id": id, "school_id": schoolA, "version": 1})
	wantFields(t, created, valid)
	wantError(t, admin.Post(t, rc.path, w.body(valid, map[string]any{"id": id})), http.StatusConflict, "")

	// Create with a generated id.
	gen := admin.Post(t, rc.path, valid).Want(t, http.StatusCreated).Object(t)
	if genID, _ := gen["id"].(string); genID == "" || genID == id || res.Header.Get("Location") == "" {
		t.Errorf("generated id %q", genID)
	}

	t.Run("get", func(t *testing.T) {
		for _, token := range []string{adminA, teacherA} {
			if got := w.as(token).Get(t, rc.path+"/"+id).Want(t, http.StatusOK).Object(t); !reflect.DeepEqual(got, created) {
				t.Errorf("%s got %v, created %v", token, got, created)
			}
		}
		wantError(t, w.Client.Get(t, rc.path+"/"+id), http.StatusUnauthorized, "")
		wantError(t, admin.Get(t, rc.path+"/no-such-id"), http.StatusNotFound, "")
		wantError(t, admin.Get(t, rc.path+"/bad%23id"), http.StatusNotFound, "")
		// Another school's records do not exist for school A, and school
		// A's do not exist for school B.
		wantError(t, admin.Get(t, rc.path+"/"+w.b[rc.kind]), http.StatusNotFound, "")
		wantError(t, w.as(adminB).Get(t, rc.path+"/"+id), http.StatusNotFound, "")
	})

	t.Run("list", func(t *testing.T) {
		for _, lc := range append([]listCase{{"", true}}, rc.lists...) {
			target := rc.path + "?" + w.expand(lc.query)
			ids := listIDs(t, admin, target)
			if ids[id] != lc.has {
				t.Errorf("%s lists %s: %v, want %v", lc.query, id, ids[id], lc.has)
			}
			if ids[w.b[rc.kind]] {
				t.Errorf("%s lists school B's record", lc.query)
			}
		}
		if ids := listIDs(t, w.as(teacherA), rc.path); !ids[id] {
			t.Errorf("a teacher's list lacks %s", id)
		}
		if ids := listIDs(t, w.as(adminB), rc.path); ids[id] || !ids[w.b[rc.kind]] {
			t.Errorf("school B's list %v", ids)
		}
		for _, f := range rc.filters {
			wantError(t, admin.Get(t, rc.path+"?"+f+"=bad%23id"), http.StatusBadRequest, f)
		}
		wantError(t, w.Client.Get(t, rc.path), http.StatusUnauthorized, "")
	})

	// Update, then the same update again: its version is stale.
	patch := w.body(rc.change, map[string]any{"version": 1})
	updated := admin.Patch(t, rc.path+"/"+id, patch).Want(t, http.StatusOK).Object(t)
	wantFields(t, updated, map[string]any{"id": id, "school_id": schoolA, "version": 2, "created_at": created["created_at"]})
	wantFields(t, updated, w.body(rc.change, nil))
	if updated["updated_at"] == created["updated_at"] {
		t.Errorf("updated_at did not change: %v", updated["updated_at"])
	}
	unchanged := func(t *testing.T) {
		t.Helper()
		if got := admin.Get(t, rc.path+"/"+id).Want(t, http.StatusOK).Object(t); !reflect.DeepEqual(got, updated) {
			t.Errorf("the record changed: %v, want %v", got, updated)
		}
	}
	t.Run("update refused", func(t *testing.T) {
		wantError(t, admin.Patch(t, rc.path+"/"+id, patch), http.StatusConflict, "")
		wantError(t, admin.Patch(t, rc.path+"/"+id, w.body(rc.change, nil)), http.StatusBadRequest, "version")
		wantError(t, admin.Patch(t, rc.path+"/"+id, w.body(rc.change, map[string]any{"version": 0})), http.StatusBadRequest, "version")
		wantError(t, admin.Patch(t, rc.path+"/"+id, w.body(rc.change, map[string]any{"version": "2"})), http.StatusBadRequest, "version")
		wantError(t, admin.Patch(t, rc.path+"/"+id, map[string]any{"version": 2, "nickname": "x"}), http.StatusBadRequest, "nickname")
		wantError(t, admin.Patch(t, rc.path+"/"+id, "[]"), http.StatusBadRequest, "")
		wantError(t, admin.Patch(t, rc.path+"/"+id, ""), http.StatusBadRequest, "")
		wantError(t, w.as(teacherA).Patch(t, rc.path+"/"+id, w.body(rc.change, map[string]any{"version": 2})), http.StatusForbidden, "")
		wantError(t, w.Client.Patch(t, rc.path+"/"+id, w.body(rc.change, map[string]any{"version": 2})), http.StatusUnauthorized, "")
		wantError(t, w.as(adminB).Patch(t, rc.path+"/"+id, w.body(rc.change, map[string]any{"version": 2})), http.StatusNotFound, "")
		wantError(t, admin.Patch(t, rc.path+"/no-such-id", patch), http.StatusNotFound, "")
		unchanged(t)

		// School B's record cannot be changed through school A.
		wantError(t, admin.Patch(t, rc.path+"/"+w.b[rc.kind], patch), http.StatusNotFound, "")
		b := w.as(adminB).Get(t, rc.path+"/"+w.b[rc.kind]).Want(t, http.StatusOK).Object(t)
		wantFields(t, b, map[string]any{"version": 1, "school_id": schoolB})
	})
	t.Run("update invalid", func(t *testing.T) {
		for _, b := range rc.bad {
			if b.over == nil || b.createOnly {
				continue
			}
			res := admin.Patch(t, rc.path+"/"+id, w.body(b.over, map[string]any{"version": 2}))
			if res.Status != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400; body: %.300s", b, res.Status, res.Body)
			}
		}
		unchanged(t)
	})
}

// listIDs lists target and returns the set of listed ids. Every item must
// belong to the caller's school.
func listIDs(t *testing.T, c apitest.Client, target string) map[string]bool {
	t.Helper()
	var l struct {
		Items []map[string]any `json:"items"`
	}
	c.Get(t, target).Want(t, http.StatusOK).Decode(t, &l)
	ids := map[string]bool{}
	for _, it := range l.Items {
		ids[fmt.Sprint(it["id"])] = true
	}
	return ids
}

// wantError checks a failed response: its status and, when field is given,
// that error.fields names it. Its envelope is checked by the client.
func wantError(t *testing.T, res *apitest.Response, status int, field string) apitest.ErrorBody {
	t.Helper()
	res.Want(t, status)
	e := res.Error(t)
	if field != "" && e.Fields[field] == "" {
		t.Errorf("error.fields does not name %q: %+v", field, e)
	}
	return e
}

// wantFields checks that obj has each of want's members, compared as JSON.
func wantFields(t *testing.T, obj, want map[string]any) {
	t.Helper()
	for k, v := range want {
		if g, w := asJSON(t, obj[k]), asJSON(t, v); g != w {
			t.Errorf("%s is %s, want %s", k, g, w)
		}
	}
}

func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSchools(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	op, admin := w.as(operator), w.as(adminA)
	newSchool := map[string]any{"id": "school-c", "name": "Гимназия № 3", "short_name": "Гимназия 3", "time_zone": "Europe/Moscow"}

	t.Run("operator only", func(t *testing.T) {
		for _, token := range []string{adminA, teacherA, adminB} {
			wantError(t, w.as(token).Get(t, "/v1/schools"), http.StatusForbidden, "")
			wantError(t, w.as(token).Post(t, "/v1/schools", newSchool), http.StatusForbidden, "")
		}
		wantError(t, w.Client.Get(t, "/v1/schools"), http.StatusUnauthorized, "")
		wantError(t, w.Client.Post(t, "/v1/schools", newSchool), http.StatusUnauthorized, "")
		wantError(t, w.as("no-such-token").Get(t, "/v1/schools"), http.StatusUnauthorized, "")
	})

	res := op.Post(t, "/v1/schools", newSchool).Want(t, http.StatusCreated)
	if loc := res.Header.Get("Location"); loc != "/v1/schools/school-c" {
		t.Errorf("Location %q", loc)
	}
	wantFields(t, res.Object(t), newSchool)
	wantError(t, op.Post(t, "/v1/schools", newSchool), http.StatusConflict, "")
	for field, bad := range map[string]any{"name": "", "time_zone": "Mars/Olympus", "short_name": strings.Repeat("Ш", 61), "id": "bad id", "nickname": 1} {
		wantError(t, op.Post(t, "/v1/schools", w.body(newSchool, map[string]any{"id": "school-d", field: bad})), http.StatusBadRequest, field)
	}
	var l struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	op.Get(t, "/v1/schools").Want(t, http.StatusOK).Decode(t, &l)
	if got := fmt.Sprint(l.Items); got != "[{school-c} {school-a} {school-b}]" {
		t.Errorf("schools by name: %s", got)
	}

	// A school's people see their own school only.
	school := admin.Get(t, "/v1/schools/"+schoolA).Want(t, http.StatusOK).Object(t)
	w.as(teacherA).Get(t, "/v1/schools/"+schoolA).Want(t, http.StatusOK)
	for _, id := range []string{schoolB, "school-c", "no-such-school"} {
		wantError(t, admin.Get(t, "/v1/schools/"+id), http.StatusNotFound, "")
	}
	op.Get(t, "/v1/schools/"+schoolB).Want(t, http.StatusOK)
	wantError(t, op.Get(t, "/v1/schools/no-such-school"), http.StatusNotFound, "")
	wantError(t, w.Client.Get(t, "/v1/schools/"+schoolA), http.StatusUnauthorized, "")

	patch := map[string]any{"version": 1, "short_name": "Школа 1"}
	updated := admin.Patch(t, "/v1/schools/"+schoolA, patch).Want(t, http.StatusOK).Object(t)
	wantFields(t, updated, map[string]any{"id": schoolA, "name": school["name"], "short_name": "Школа 1", "version": 2, "created_at": school["created_at"]})
	wantError(t, admin.Patch(t, "/v1/schools/"+schoolA, patch), http.StatusConflict, "")
	wantError(t, admin.Patch(t, "/v1/schools/"+schoolA, map[string]any{"short_name": "Школа"}), http.StatusBadRequest, "version")
	wantError(t, admin.Patch(t, "/v1/schools/"+schoolA, map[string]any{"version": 2, "time_zone": "Mars/Olympus"}), http.StatusBadRequest, "time_zone")
	wantError(t, w.as(teacherA).Patch(t, "/v1/schools/"+schoolA, map[string]any{"version": 2, "name": "Другая"}), http.StatusForbidden, "")
	wantError(t, admin.Patch(t, "/v1/schools/"+schoolB, map[string]any{"version": 1, "name": "Другая"}), http.StatusNotFound, "")
	if got := admin.Get(t, "/v1/schools/"+schoolA).Want(t, http.StatusOK).Object(t); !reflect.DeepEqual(got, updated) {
		t.Errorf("school A changed: %v, want %v", got, updated)
	}
	wantFields(t, op.Get(t, "/v1/schools/"+schoolB).Object(t), map[string]any{"version": 1})
	op.Patch(t, "/v1/schools/"+schoolB, map[string]any{"version": 1, "name": "Школа № 2 имени Пушкина"}).Want(t, http.StatusOK)
}
