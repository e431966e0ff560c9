package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"ejournal/internal/apitest"
	"ejournal/internal/ejournal"
)

// The people of the message and notification tests, in school A's tree
// (see seed) plus the family seeded by newMessageWorld: student1 and
// student2 in class, student3 in class2; parent1 of student1, parent2 (with
// a phone and SMS consent) of student2, parent3 of student3. The tree's own
// student is in no class.
const (
	mTeacher      = "m-teacher"       // school-a-teacher: teaches the subject in class
	mClassTeacher = "m-class-teacher" // school-a-teacher2: class teacher of class2, teaches nothing
	mAdmin        = "m-admin"         // school A's administrator
	mDirector     = "m-director"      // reads reports, sends messages school-wide
	mStudent      = "m-student"       // student1
	mParent1      = "m-parent1"
	mParent2      = "m-parent2"
	mParent3      = "m-parent3"
	mAdminB       = "m-admin-b"
)

var messageTokens = apitest.Tokens{
	mTeacher: {PersonID: "school-a-teacher", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher},
		Teaches: []ejournal.Teaching{{ClassID: "school-a-class", SubjectID: "school-a-subject"}}},
	mClassTeacher: {PersonID: "school-a-teacher2", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Teacher, ejournal.ClassTeacher}, ClassTeacherOf: []string{"school-a-class2"}},
	mAdmin:        {PersonID: "p-admin-a", SchoolID: schoolA, FullName: "Админова Ольга", Roles: []ejournal.Role{ejournal.Administrator}},
	mDirector:     {PersonID: "p-director-a", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.Director}},
	mStudent:      {PersonID: "student1", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.StudentRole}, ClassID: "school-a-class"},
	mParent1:      {PersonID: "parent1", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.ParentRole}, Children: map[string]string{"student1": "school-a-class"}},
	mParent2:      {PersonID: "parent2", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.ParentRole}, Children: map[string]string{"student2": "school-a-class"}},
	mParent3:      {PersonID: "parent3", SchoolID: schoolA, Roles: []ejournal.Role{ejournal.ParentRole}, Children: map[string]string{"student3": "school-a-class2"}},
	mAdminB:       {PersonID: "p-admin-b", SchoolID: schoolB, Roles: []ejournal.Role{ejournal.Administrator}},
}

func newMessageWorld(tb testing.TB) *world {
	tb.Helper()
	w := &world{Env: apitest.New(tb, messageTokens)}
	w.Server.Notify, w.Server.Messages = w.DB, w.DB
	w.a = w.seed(tb, schoolA, "Школа № 1")
	w.b = w.seed(tb, schoolB, "Школа № 2")
	ctx := tb.Context()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	for _, p := range []*ejournal.Person{
		{ID: "student1", Kind: ejournal.Student, ClassID: w.a["class"], LastName: "Иванова", FirstName: "Мария"},
		{ID: "student2", Kind: ejournal.Student, ClassID: w.a["class"], LastName: "Петров", FirstName: "Пётр"},
		{ID: "student3", Kind: ejournal.Student, ClassID: w.a["class2"], LastName: "Сидорова", FirstName: "Анна"},
		{ID: "parent1", Kind: ejournal.Parent, LastName: "Иванов", FirstName: "Иван"},
		{ID: "parent2", Kind: ejournal.Parent, LastName: "Петрова", FirstName: "Ольга", Personal: &ejournal.Personal{Phone: "+79120000002", SMSConsent: true}},
		{ID: "parent3", Kind: ejournal.Parent, LastName: "Сидоров", FirstName: "Олег", Personal: &ejournal.Personal{Phone: "+79120000003", SMSConsent: true}},
	} {
		p.SchoolID = schoolA
		must(w.DB.CreatePerson(ctx, p))
	}
	for parent, child := range map[string]string{"parent1": "student1", "parent2": "student2", "parent3": "student3"} {
		must(w.DB.Link(ctx, &ejournal.Link{SchoolID: schoolA, ParentID: parent, ChildID: child, Relation: ejournal.Mother}))
	}
	return w
}

func messageBody(audience map[string]any, over map[string]any) map[string]any {
	b := map[string]any{"title": "Собрание", "body": "Родительское собрание в четверг в 18:00, каб. 12.", "audience": audience}
	for k, v := range over {
		b[k] = v
	}
	return b
}

// sendMessage posts a message as token and returns it.
func (w *world) sendMessage(t *testing.T, token string, audience map[string]any) ejournal.Message {
	t.Helper()
	var m ejournal.Message
	w.as(token).Post(t, "/v1/messages", messageBody(audience, nil)).Want(t, http.StatusCreated).Decode(t, &m)
	return m
}

// inboxOf reads token's inbox.
func (w *world) inboxOf(t *testing.T, token string) ejournal.InboxPage {
	t.Helper()
	var page ejournal.InboxPage
	w.as(token).Get(t, "/v1/messages").Want(t, http.StatusOK).Decode(t, &page)
	return page
}

func TestMessageAudiencesAndRights(t *testing.T) {
	t.Parallel()
	w := newMessageWorld(t)
	classParents := map[string]any{"class_id": w.a["class"], "to_parents": true}

	m := w.sendMessage(t, mTeacher, classParents)
	if m.Parents != 2 || m.Students != 0 || m.State != ejournal.MessageSent || m.SenderID != w.a["teacher"] {
		t.Fatalf("teacher's message to the parents of class: %+v", m)
	}
	for _, token := range []string{mParent1, mParent2} {
		in := w.inboxOf(t, token)
		if len(in.Items) != 1 || in.Items[0].MessageID != m.ID || in.Unread != 1 {
			t.Fatalf("%s: inbox %+v, want the message once", token, in)
		}
	}
	for _, token := range []string{mParent3, mStudent} {
		if in := w.inboxOf(t, token); len(in.Items) != 0 {
			t.Fatalf("%s got %+v", token, in.Items)
		}
	}
	// A group goes to its whole class; one student, to them and their parents.
	if g := w.sendMessage(t, mTeacher, map[string]any{"group_id": w.a["group"], "to_students": true}); g.Students != 2 || g.ClassID != w.a["class"] {
		t.Fatalf("group message %+v, want the whole class", g)
	}
	if s := w.sendMessage(t, mTeacher, map[string]any{"student_id": "student2", "to_students": true, "to_parents": true}); s.Students != 1 || s.Parents != 1 {
		t.Fatalf("message to one student %+v", s)
	}
	if c := w.sendMessage(t, mClassTeacher, map[string]any{"class_id": w.a["class2"], "to_parents": true, "to_students": true}); c.Recipients != 2 {
		t.Fatalf("class teacher's message %+v, want student3 and parent3", c)
	}
	if len(w.inboxOf(t, mParent3).Items) != 1 {
		t.Fatal("parent3 did not get the class teacher's message")
	}
	if s := w.sendMessage(t, mAdmin, map[string]any{"school": true, "to_parents": true, "to_students": true}); s.Students != 3 || s.Parents != 3 || s.ClassID != "" {
		t.Fatalf("whole-school message %+v, want the 3 students and 3 parents of school A", s)
	}
	if in := w.inboxOf(t, mParent1); len(in.Items) != 2 || in.Items[0].SenderName != "Админова Ольга" {
		t.Fatalf("parent1's inbox %+v: the admin's message first", in.Items)
	}

	for _, tc := range []struct {
		name, token string
		audience    map[string]any
	}{
		{"a class the teacher does not teach", mTeacher, map[string]any{"class_id": w.a["class2"], "to_parents": true}},
		{"a subject the teacher does not teach", mTeacher, map[string]any{"class_id": w.a["class"], "subject_id": "art", "to_parents": true}},
		{"a student of a class the teacher does not teach", mTeacher, map[string]any{"student_id": "student3", "to_parents": true}},
		{"the whole school as a teacher", mTeacher, map[string]any{"school": true, "to_parents": true}},
		{"a class teacher to another class", mClassTeacher, map[string]any{"class_id": w.a["class"], "to_parents": true}},
		{"a student", mStudent, classParents},
		{"a parent", mParent1, classParents},
	} {
		wantError(t, w.as(tc.token).Post(t, "/v1/messages", messageBody(tc.audience, nil)), http.StatusForbidden, "")
	}
	wantError(t, w.as(mAdminB).Post(t, "/v1/messages", messageBody(classParents, nil)), http.StatusBadRequest, "audience.class_id")
	if in := w.inboxOf(t, mParent1); len(in.Items) != 2 {
		t.Fatalf("refused messages reached parent1: %+v", in.Items)
	}
}

func TestMessageValidation(t *testing.T) {
	t.Parallel()
	w := newMessageWorld(t)
	teacher := w.as(mTeacher)
	class := map[string]any{"class_id": w.a["class"], "to_parents": true}
	for _, tc := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"no text", messageBody(class, map[string]any{"body": " "}), "body"},
		{"body too long", messageBody(class, map[string]any{"body": strings.Repeat("я", 4001)}), "body"},
		{"title too long", messageBody(class, map[string]any{"title": strings.Repeat("я", 201)}), "title"},
		{"no audience", messageBody(map[string]any{"to_parents": true}, nil), "audience"},
		{"two audiences", messageBody(map[string]any{"school": true, "class_id": w.a["class"], "to_parents": true}, nil), "audience"},
		{"nobody to write to", messageBody(map[string]any{"class_id": w.a["class"]}, nil), "audience.to_parents"},
		{"a bad class id", messageBody(map[string]any{"class_id": "no#such", "to_parents": true}, nil), "audience.class_id"},
		{"an unknown group", messageBody(map[string]any{"group_id": "nogroup", "to_parents": true}, nil), "audience.group_id"},
		{"a parent as the student", messageBody(map[string]any{"student_id": "parent1", "to_parents": true}, nil), "audience.student_id"},
		{"an unknown field", messageBody(class, map[string]any{"urgent": true}), "urgent"},
	} {
		e := wantError(t, teacher.Post(t, "/v1/messages", tc.body), http.StatusBadRequest, tc.field)
		if tc.name == "no text" && !strings.Contains(e.Fields["body"], "текст") {
			t.Errorf("%s: message %q, want Russian by default", tc.name, e.Fields["body"])
		}
	}
	e := wantError(t, teacher.With("Accept-Language", "en").Post(t, "/v1/messages", messageBody(class, map[string]any{"title": strings.Repeat("x", 201)})), http.StatusBadRequest, "title")
	if !strings.Contains(e.Fields["title"], "200 characters") {
		t.Errorf("English message %q", e.Fields["title"])
	}
	if page := w.inboxOf(t, mParent1); len(page.Items) != 0 {
		t.Fatalf("invalid messages reached parent1: %+v", page.Items)
	}
}

func TestMessagePreview(t *testing.T) {
	t.Parallel()
	w := newMessageWorld(t)
	var pv ejournal.MessagePreview
	w.as(mTeacher).Post(t, "/v1/messages/preview", messageBody(map[string]any{"class_id": w.a["class"], "to_parents": true, "to_students": true}, map[string]any{"sms": true})).Want(t, http.StatusOK).Decode(t, &pv)
	segments, ucs2 := ejournal.SMSSegments(pv.SMSText)
	if pv.Students != 2 || pv.Parents != 2 || pv.Recipients != 4 || pv.SMSRecipients != 1 || pv.Segments != segments || segments < 1 || !ucs2 || !pv.UCS2 {
		t.Fatalf("preview %+v: 2 students, 2 parents, 1 with consent and a phone", pv)
	}
	if !strings.HasPrefix(pv.SMSText, "Сообщение") || !strings.Contains(pv.SMSText, ": Родительское собрание") {
		t.Fatalf("SMS text %q", pv.SMSText)
	}
	if want := ejournal.DefaultSegmentCost * ejournal.Hundredths(segments); pv.Cost != want {
		t.Fatalf("cost %d, want %d", pv.Cost, want)
	}
	// The school's segment cost applies.
	w.as(mAdmin).Do(t, http.MethodPut, "/v1/notify/settings", settingsBody(map[string]any{"segment_cost": 1})).Want(t, http.StatusOK)
	w.as(mTeacher).Post(t, "/v1/messages/preview", messageBody(map[string]any{"class_id": w.a["class"], "to_parents": true}, nil)).Want(t, http.StatusOK).Decode(t, &pv)
	if pv.Cost != ejournal.Hundredths(100*pv.Segments) {
		t.Fatalf("cost %d at 1 ₽ a segment, %d segments", pv.Cost, pv.Segments)
	}
	if len(w.inboxOf(t, mParent2).Items) != 0 {
		t.Fatal("a preview sent the message")
	}
	wantError(t, w.as(mTeacher).Post(t, "/v1/messages/preview", messageBody(map[string]any{"class_id": w.a["class2"], "to_parents": true}, nil)), http.StatusForbidden, "")
}

func TestMessageReadState(t *testing.T) {
	t.Parallel()
	w := newMessageWorld(t)
	m := w.sendMessage(t, mTeacher, map[string]any{"class_id": w.a["class"], "to_parents": true})
	in := w.inboxOf(t, mParent1)
	item := in.Items[0]

	wantError(t, w.as(mParent2).Post(t, "/v1/messages/inbox/"+item.ID+"/read", nil), http.StatusNotFound, "")
	var read ejournal.InboxItem
	w.as(mParent1).Post(t, "/v1/messages/inbox/"+item.ID+"/read", nil).Want(t, http.StatusOK).Decode(t, &read)
	if read.ReadAt == nil || read.ID != item.ID {
		t.Fatalf("read item %+v", read)
	}
	if in := w.inboxOf(t, mParent1); in.Unread != 0 || in.Items[0].ReadAt == nil {
		t.Fatalf("inbox after reading %+v", in)
	}
	if in := w.inboxOf(t, mParent2); in.Unread != 1 {
		t.Fatalf("parent2's unread %d, want 1", in.Unread)
	}

	var readers ejournal.MessageReaders
	w.as(mTeacher).Get(t, "/v1/messages/"+m.ID+"/readers").Want(t, http.StatusOK).Decode(t, &readers)
	if len(readers.Read) != 1 || readers.Read[0].PersonID != "parent1" || readers.Read[0].Name != "Иванов Иван" || len(readers.Unread) != 1 || readers.Unread[0].PersonID != "parent2" {
		t.Fatalf("readers %+v", readers)
	}
	w.as(mAdmin).Get(t, "/v1/messages/"+m.ID+"/readers").Want(t, http.StatusOK)
	wantError(t, w.as(mParent1).Get(t, "/v1/messages/"+m.ID+"/readers"), http.StatusForbidden, "")
	wantError(t, w.as(mParent3).Get(t, "/v1/messages/"+m.ID+"/readers"), http.StatusNotFound, "")

	var got ejournal.Message
	w.as(mParent1).Get(t, "/v1/messages/"+m.ID).Want(t, http.StatusOK).Decode(t, &got)
	if got.Body != m.Body {
		t.Fatalf("recipient read %+v", got)
	}
	w.as(mTeacher).Get(t, "/v1/messages/"+m.ID).Want(t, http.StatusOK)
	for _, token := range []string{mParent3, mStudent, mClassTeacher, mAdminB} {
		wantError(t, w.as(token).Get(t, "/v1/messages/"+m.ID), http.StatusNotFound, "")
	}

	var sent ejournal.SentPage
	w.as(mTeacher).Get(t, "/v1/messages/sent").Want(t, http.StatusOK).Decode(t, &sent)
	if len(sent.Items) != 1 || sent.Items[0].ID != m.ID {
		t.Fatalf("sent %+v", sent)
	}
	w.as(mParent1).Get(t, "/v1/messages/sent").Want(t, http.StatusOK).Decode(t, &sent)
	if len(sent.Items) != 0 {
		t.Fatalf("parent1 sent %+v", sent)
	}
}

func TestInboxPaging(t *testing.T) {
	t.Parallel()
	w := newMessageWorld(t)
	var ids []string
	for range 3 {
		ids = append(ids, w.sendMessage(t, mTeacher, map[string]any{"student_id": "student1", "to_parents": true}).ID)
	}
	var got []string
	cursor := ""
	for range 4 {
		var page ejournal.InboxPage
		w.as(mParent1).Get(t, "/v1/messages?limit=2&cursor="+cursor).Want(t, http.StatusOK).Decode(t, &page)
		for _, it := range page.Items {
			got = append(got, it.MessageID)
		}
		if cursor = page.Cursor; cursor == "" {
			break
		}
	}
	slices.Reverse(ids)
	if !slices.Equal(got, ids) {
		t.Fatalf("pages %v, want newest first %v", got, ids)
	}
	wantError(t, w.as(mParent1).Get(t, "/v1/messages?limit=0"), http.StatusBadRequest, "limit")
	wantError(t, w.as(mParent1).Get(t, "/v1/messages?cursor=xyz"), http.StatusBadRequest, "cursor")
}

func TestMessageRetryDoesNotDuplicate(t *testing.T) {
	t.Parallel()
	w := newMessageWorld(t)
	teacher := w.as(mTeacher).With("Idempotency-Key", "send-1")
	body := messageBody(map[string]any{"class_id": w.a["class"], "to_parents": true}, map[string]any{"sms": true})
	var first, second ejournal.Message
	teacher.Post(t, "/v1/messages", body).Want(t, http.StatusCreated).Decode(t, &first)
	teacher.Post(t, "/v1/messages", body).Want(t, http.StatusCreated).Decode(t, &second)
	if first.ID != second.ID || !first.CreatedAt.Equal(second.CreatedAt) || second.SMSRecipients != 1 {
		t.Fatalf("retry gave %+v after %+v", second, first)
	}
	for _, token := range []string{mParent1, mParent2} {
		if in := w.inboxOf(t, token); len(in.Items) != 1 {
			t.Fatalf("%s has %d items after a retried send, want 1", token, len(in.Items))
		}
	}
	if in := w.inboxOf(t, mParent2); !in.Items[0].SMS {
		t.Fatalf("parent2's item %+v does not ask for an SMS copy", in.Items[0])
	}
	body["body"] = "Другое сообщение"
	wantError(t, teacher.Post(t, "/v1/messages", body), http.StatusConflict, "")
	// Another sender's key is another message.
	w.as(mAdmin).With("Idempotency-Key", "send-1").Post(t, "/v1/messages", body).Want(t, http.StatusCreated)
}
