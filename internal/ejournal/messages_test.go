package ejournal_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"ejournal/internal/ejournal"
)

func TestMessageValidate(t *testing.T) {
	t.Parallel()
	valid := func() *ejournal.Message {
		return &ejournal.Message{ID: "m1", Title: "Собрание", Body: "В четверг в 18:00.", Audience: ejournal.Audience{ClassID: "c1", ToParents: true}}
	}
	tests := []struct {
		name   string
		change func(m *ejournal.Message)
		fields []string
	}{
		{"valid", func(*ejournal.Message) {}, nil},
		{"whole school to students", func(m *ejournal.Message) { m.Audience = ejournal.Audience{School: true, ToStudents: true} }, nil},
		{"group with a subject", func(m *ejournal.Message) {
			m.Audience = ejournal.Audience{GroupID: "g1", SubjectID: "math", ToParents: true, ToStudents: true}
		}, nil},
		{"limits exactly", func(m *ejournal.Message) {
			m.Title, m.Body = strings.Repeat("я", ejournal.MaxMessageTitle), strings.Repeat("я", ejournal.MaxMessageBody)
		}, nil},
		{"no title is fine", func(m *ejournal.Message) { m.Title = "" }, nil},
		{"title too long", func(m *ejournal.Message) { m.Title = strings.Repeat("я", ejournal.MaxMessageTitle+1) }, []string{"title"}},
		{"body too long", func(m *ejournal.Message) { m.Body = strings.Repeat("я", ejournal.MaxMessageBody+1) }, []string{"body"}},
		{"blank body", func(m *ejournal.Message) { m.Body = " \n" }, []string{"body"}},
		{"bad id", func(m *ejournal.Message) { m.ID = "a#b" }, []string{"id"}},
		{"no audience", func(m *ejournal.Message) { m.Audience.ClassID = "" }, []string{"audience"}},
		{"two audiences", func(m *ejournal.Message) { m.Audience.StudentID = "s1" }, []string{"audience"}},
		{"school and a class", func(m *ejournal.Message) { m.Audience.School = true }, []string{"audience"}},
		{"nobody", func(m *ejournal.Message) { m.Audience.ToParents = false }, []string{"audience.to_parents"}},
		{"bad ids", func(m *ejournal.Message) {
			m.Audience = ejournal.Audience{GroupID: "g#1", SubjectID: "S#x", ToStudents: true}
		}, []string{"audience.group_id", "audience.subject_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := valid()
			tt.change(m)
			err := m.Validate()
			if len(tt.fields) == 0 {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var e *ejournal.Error
			if !errors.As(err, &e) || e.Code != ejournal.EINVALID {
				t.Fatalf("Validate = %v, want EINVALID", err)
			}
			if got := slices.Sorted(maps.Keys(e.Fields)); !slices.Equal(got, tt.fields) {
				t.Fatalf("fields %v, want %v", got, tt.fields)
			}
			for f, msg := range e.Fields {
				if msg.RU == "" || msg.EN == "" {
					t.Errorf("%s: message %+v, want Russian and English", f, msg)
				}
			}
		})
	}
}

func TestMessageRecipients(t *testing.T) {
	t.Parallel()
	student := func(id, class string, left bool) *ejournal.Person {
		return &ejournal.Person{ID: id, Kind: ejournal.Student, ClassID: class, Left: left}
	}
	students := []*ejournal.Person{student("s2", "c1", false), student("s1", "c1", false), student("gone", "c1", true), student("s1", "c1", false)}
	links := []*ejournal.Link{
		{ParentID: "mum", ChildID: "s1"}, {ParentID: "mum", ChildID: "s2"}, // two children: one item
		{ParentID: "dad", ChildID: "s2"},
		{ParentID: "other", ChildID: "elsewhere"}, // a child not in the audience
		{ParentID: "left", ChildID: "gone"},       // a child who left
	}
	tests := []struct {
		name              string
		aud               ejournal.Audience
		students, parents []string
	}{
		{"parents", ejournal.Audience{ToParents: true}, nil, []string{"dad", "mum"}},
		{"students", ejournal.Audience{ToStudents: true}, []string{"s1", "s2"}, nil},
		{"both", ejournal.Audience{ToParents: true, ToStudents: true}, []string{"s1", "s2"}, []string{"dad", "mum"}},
	}
	for _, tt := range tests {
		r := ejournal.MessageRecipients(tt.aud, students, links)
		if !slices.Equal(r.Students, tt.students) || !slices.Equal(r.Parents, tt.parents) {
			t.Errorf("%s: %+v, want students %v, parents %v", tt.name, r, tt.students, tt.parents)
		}
	}
}

func TestMessageIDs(t *testing.T) {
	t.Parallel()
	a := ejournal.MessageIDFor("s1", "t1", "key")
	for _, other := range []string{ejournal.MessageIDFor("s1", "t2", "key"), ejournal.MessageIDFor("s2", "t1", "key"), ejournal.MessageIDFor("s1", "t1", "key2")} {
		if other == a {
			t.Fatalf("message id %s repeats for another sender, school or key", a)
		}
	}
	if ejournal.MessageIDFor("s1", "t1", "key") != a || !ejournal.ValidID(a) {
		t.Fatalf("message id %s: not stable or not a valid id", a)
	}
	i := ejournal.MessageInboxID(a, "p1")
	if i == ejournal.MessageInboxID(a, "p2") || i != ejournal.MessageInboxID(a, "p1") || !ejournal.ValidID(i) {
		t.Fatalf("inbox id %s", i)
	}
}

func TestMessageSMSText(t *testing.T) {
	t.Parallel()
	p := &ejournal.Person{LastName: "Петрова", FirstName: "Анна", MiddleName: "Сергеевна"}
	m := &ejournal.Message{SenderName: ejournal.Signature(p), Body: "Завтра собрание в 18:00."}
	if got := m.SMSText(); !strings.HasPrefix(got, "Сообщение от Анны Сергеевны: Завтра собрание") || strings.Contains(got, "Петрова") {
		t.Fatalf("SMS text %q", got)
	}
	if n, ucs2 := ejournal.SMSSegments(m.SMSText()); n != 1 || !ucs2 {
		t.Fatalf("%d segments (ucs2 %v), want 1", n, ucs2)
	}
}
