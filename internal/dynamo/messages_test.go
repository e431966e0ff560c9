package dynamo_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// family is a school with a class of three students and their parents:
// Mother has two children in the class, Child3 has two parents (one of
// them with SMS consent and a phone), and a student of another class with
// a parent of their own.
type family struct {
	*school
	Other                     *ejournal.Class
	Child2, Child3, OtherKid  *ejournal.Person
	Mother, Father, Aunt, Far *ejournal.Person
}

func mustFamily(t *testing.T, db *dynamo.DB, sid string) *family {
	t.Helper()
	ctx := t.Context()
	f := &family{school: mustSchool(t, db, sid)}
	f.Other = &ejournal.Class{SchoolID: sid, YearID: f.Year.ID, Grade: 6, Letter: "Б"}
	must(t, db.CreateClass(ctx, f.Other))
	f.Child2 = newPerson(sid, ejournal.Student, "Второва", f.Class.ID)
	f.Child3 = newPerson(sid, ejournal.Student, "Третьева", f.Class.ID)
	f.OtherKid = newPerson(sid, ejournal.Student, "Чужова", f.Other.ID)
	f.Mother = newPerson(sid, ejournal.Parent, "Мамина", "")
	f.Father = newPerson(sid, ejournal.Parent, "Папин", "")
	f.Father.Personal = &ejournal.Personal{Phone: "+79120000001", SMSConsent: true}
	f.Aunt = newPerson(sid, ejournal.Parent, "Тётина", "")
	f.Aunt.Personal = &ejournal.Personal{Phone: "+79120000002"}
	f.Far = newPerson(sid, ejournal.Parent, "Дальняя", "")
	f.Far.Personal = &ejournal.Personal{Phone: "+79120000003", SMSConsent: true}
	for _, p := range []*ejournal.Person{f.Child2, f.Child3, f.OtherKid, f.Mother, f.Father, f.Aunt, f.Far} {
		must(t, db.CreatePerson(ctx, p))
	}
	for _, l := range []ejournal.Link{
		{ParentID: f.Mother.ID, ChildID: f.Student.ID, Relation: ejournal.Mother},
		{ParentID: f.Mother.ID, ChildID: f.Child2.ID, Relation: ejournal.Mother},
		{ParentID: f.Father.ID, ChildID: f.Child3.ID, Relation: ejournal.Father},
		{ParentID: f.Aunt.ID, ChildID: f.Child3.ID, Relation: ejournal.Guardian},
		{ParentID: f.Far.ID, ChildID: f.OtherKid.ID, Relation: ejournal.Mother},
	} {
		l.SchoolID = sid
		must(t, db.Link(ctx, &l))
	}
	return f
}

func (f *family) message(aud ejournal.Audience) *ejournal.Message {
	return &ejournal.Message{SchoolID: f.ID, SenderID: f.Teacher.ID, SenderName: "Учителева Анна", Title: "Собрание", Body: "Родительское собрание в четверг в 18:00.", Audience: aud}
}

// inboxOf returns the whole inbox of a person.
func inboxOf(t *testing.T, db *dynamo.DB, sid, person string) *ejournal.InboxPage {
	t.Helper()
	page, err := db.Inbox(t.Context(), sid, person, "", ejournal.MaxPageSize)
	must(t, err)
	return page
}

func TestSendMessageToClassParents(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	f := mustFamily(t, db, "s1")
	ctx := t.Context()
	m := f.message(ejournal.Audience{ClassID: f.Class.ID, ToParents: true})
	m.SMS = true
	pv, err := db.PreviewMessage(ctx, m)
	must(t, err)
	if pv.Parents != 3 || pv.Students != 0 || pv.Recipients != 3 || pv.SMSRecipients != 1 || pv.Segments < 1 || !pv.UCS2 {
		t.Fatalf("preview %+v: 3 parents, 1 of them with consent and a phone", pv)
	}
	if want := ejournal.DefaultNotifySettings("s1").Cost(pv.Segments); pv.Cost != want {
		t.Fatalf("preview cost %d, want %d", pv.Cost, want)
	}
	if inboxOf(t, db, "s1", f.Mother.ID).Unread != 0 {
		t.Fatal("a preview wrote inbox items")
	}

	must(t, db.SendMessage(ctx, m))
	if m.State != ejournal.MessageSent || m.Parents != 3 || m.Recipients != 3 || m.SMSRecipients != 1 || m.Cost != pv.Cost || m.ClassID != f.Class.ID || m.SenderName != "Анна" {
		t.Fatalf("sent %+v", m)
	}
	for _, p := range []*ejournal.Person{f.Mother, f.Father, f.Aunt} {
		in := inboxOf(t, db, "s1", p.ID)
		if len(in.Items) != 1 || in.Unread != 1 {
			t.Fatalf("%s: inbox %+v, want one unread item", p.LastName, in)
		}
		it := in.Items[0]
		if it.MessageID != m.ID || it.Kind != ejournal.NoticeMessage || !it.SMS || it.Body != m.Body || it.ID != ejournal.MessageInboxID(m.ID, p.ID) {
			t.Fatalf("%s: item %+v", p.LastName, it)
		}
	}
	for _, p := range []*ejournal.Person{f.Far, f.Student, f.Teacher} {
		if in := inboxOf(t, db, "s1", p.ID); len(in.Items) != 0 {
			t.Fatalf("%s got %+v", p.LastName, in.Items)
		}
	}
	sent, err := db.SentMessages(ctx, "s1", f.Teacher.ID, "", 0)
	must(t, err)
	if len(sent.Items) != 1 || sent.Items[0].ID != m.ID {
		t.Fatalf("sent list %+v", sent)
	}
}

func TestSendMessageAudiences(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	f := mustFamily(t, db, "s1")
	other := mustSchool(t, db, "s2")
	ctx := t.Context()
	tests := []struct {
		name     string
		aud      ejournal.Audience
		students int
		parents  int
		class    string
	}{
		{"whole school, students and parents", ejournal.Audience{School: true, ToStudents: true, ToParents: true}, 4, 4, ""},
		{"group: the whole class", ejournal.Audience{GroupID: f.Group.ID, ToStudents: true}, 3, 0, f.Class.ID},
		{"one student and their parents", ejournal.Audience{StudentID: f.Child3.ID, ToStudents: true, ToParents: true}, 1, 2, f.Class.ID},
		{"another class", ejournal.Audience{ClassID: f.Other.ID, ToParents: true}, 0, 1, f.Other.ID},
	}
	for _, tt := range tests {
		m := f.message(tt.aud)
		must(t, db.SendMessage(ctx, m))
		if m.Students != tt.students || m.Parents != tt.parents || m.ClassID != tt.class || m.SMSRecipients != 0 || m.Cost != 0 {
			t.Errorf("%s: sent %+v, want %d students, %d parents, class %q", tt.name, m, tt.students, tt.parents, tt.class)
		}
	}
	for _, tt := range []struct {
		name  string
		aud   ejournal.Audience
		field string
	}{
		{"class of another school", ejournal.Audience{ClassID: other.Class.ID, ToParents: true}, "audience.class_id"},
		{"group of another school", ejournal.Audience{GroupID: other.Group.ID, ToParents: true}, "audience.group_id"},
		{"a parent as the student", ejournal.Audience{StudentID: f.Mother.ID, ToParents: true}, "audience.student_id"},
		{"two audiences", ejournal.Audience{School: true, ClassID: f.Class.ID, ToParents: true}, "audience"},
		{"nobody", ejournal.Audience{ClassID: f.Class.ID}, "audience.to_parents"},
	} {
		m := f.message(tt.aud)
		err := db.SendMessage(ctx, m)
		wantError(t, err, ejournal.EINVALID, tt.field)
	}
}

// failingSent fails the write that marks a message sent, once.
type failingSent struct {
	dynamo.API
	failed bool
}

func (f *failingSent) PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	if s, ok := in.Item["state"].(*types.AttributeValueMemberS); ok && s.Value == string(ejournal.MessageSent) && !f.failed {
		f.failed = true
		return nil, errors.New("injected failure")
	}
	return f.API.PutItem(ctx, in, opts...)
}

func TestSendMessageRetry(t *testing.T) {
	t.Parallel()
	c := dynamotest.Client(t)
	table := dynamotest.NewTable(t, c)
	faulty := &failingSent{API: c}
	db := dynamo.New(faulty, table)
	f := mustFamily(t, dynamo.New(c, table), "s1")
	ctx := t.Context()
	id := ejournal.MessageIDFor("s1", f.Teacher.ID, "key-1")
	m := f.message(ejournal.Audience{ClassID: f.Class.ID, ToParents: true, ToStudents: true})
	m.ID = id
	if err := db.SendMessage(ctx, m); err == nil {
		t.Fatal("the injected failure did not fail the send")
	}
	stored, err := db.Message(ctx, "s1", id)
	must(t, err)
	if stored.State != ejournal.MessageSending {
		t.Fatalf("after a failure the message is %s, want sending", stored.State)
	}
	read, err := db.MarkRead(ctx, "s1", f.Mother.ID, ejournal.MessageInboxID(id, f.Mother.ID))
	must(t, err)

	for range 2 {
		again := f.message(ejournal.Audience{ClassID: f.Class.ID, ToParents: true, ToStudents: true})
		again.ID = id
		must(t, db.SendMessage(ctx, again))
		if again.State != ejournal.MessageSent || again.Recipients != 6 || !again.CreatedAt.Equal(stored.CreatedAt) {
			t.Fatalf("retried send %+v", again)
		}
	}
	in := inboxOf(t, db, "s1", f.Mother.ID)
	if len(in.Items) != 1 || in.Items[0].ReadAt == nil || !in.Items[0].ReadAt.Equal(*read.ReadAt) || in.Unread != 0 {
		t.Fatalf("mother's inbox after retries %+v, want the one item, still read", in)
	}
	readers, err := db.MessageReaders(ctx, "s1", id)
	must(t, err)
	if len(readers.Read) != 1 || len(readers.Unread) != 5 {
		t.Fatalf("readers %+v, want 1 read and 5 unread", readers)
	}

	changed := f.message(ejournal.Audience{ClassID: f.Class.ID, ToParents: true, ToStudents: true})
	changed.ID, changed.Body = id, "Другой текст"
	wantError(t, db.SendMessage(ctx, changed), ejournal.ECONFLICT)
}

func TestInboxPagesAndReadState(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := t.Context()
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	var items []*ejournal.InboxItem
	for i := range 5 {
		items = append(items, &ejournal.InboxItem{SchoolID: "s1", RecipientID: "p1", Kind: ejournal.NoticeMark, ChildID: "c1", Body: "Маша: оценка 5", CreatedAt: now.Add(time.Duration(i) * time.Minute)})
	}
	items = append(items, &ejournal.InboxItem{SchoolID: "s1", RecipientID: "p2", Kind: ejournal.NoticeMark, Body: "другому"})
	must(t, db.PutInboxItems(ctx, items))

	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		page, err := db.Inbox(ctx, "s1", "p1", cursor, 2)
		must(t, err)
		if page.Unread != 5 {
			t.Fatalf("unread %d, want 5", page.Unread)
		}
		for _, it := range page.Items {
			got = append(got, it.ID)
		}
		if cursor = page.Cursor; cursor == "" || pages > 5 {
			break
		}
	}
	var want []string
	for i := len(items) - 2; i >= 0; i-- {
		want = append(want, items[i].ID)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("inbox pages %v, want newest first %v", got, want)
	}

	first, err := db.MarkRead(ctx, "s1", "p1", items[0].ID)
	must(t, err)
	now = now.Add(time.Hour)
	second, err := db.MarkRead(ctx, "s1", "p1", items[0].ID)
	must(t, err)
	if first.ReadAt == nil || !second.ReadAt.Equal(*first.ReadAt) {
		t.Fatalf("read at %v then %v: a second read keeps the first time", first.ReadAt, second.ReadAt)
	}
	if in := inboxOf(t, db, "s1", "p1"); in.Unread != 4 {
		t.Fatalf("unread %d after one read, want 4", in.Unread)
	}
	_, err = db.MarkRead(ctx, "s1", "p2", items[0].ID)
	wantError(t, err, ejournal.ENOTFOUND)
	_, err = db.InboxItem(ctx, "s1", "p2", items[0].ID)
	wantError(t, err, ejournal.ENOTFOUND)

	page, err := db.Inbox(ctx, "s1", "p1", "", 1)
	must(t, err)
	_, err = db.Inbox(ctx, "s1", "p2", page.Cursor, 1)
	wantError(t, err, ejournal.EINVALID, "cursor")
	_, err = db.Inbox(ctx, "s1", "p1", "not a cursor", 1)
	wantError(t, err, ejournal.EINVALID, "cursor")
}
