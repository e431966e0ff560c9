package ejournal_test

import (
	"strings"
	"testing"

	"ejournal/internal/ejournal"
)

func eventFixture() *ejournal.Event {
	return &ejournal.Event{
		SchoolID: "s1", Title: "Экскурсия в музей", Date: "2025-10-10", Start: "10:00", End: "13:00",
		Place: "Краеведческий музей", Audience: ejournal.AudienceClasses, ClassIDs: []string{"5a", "5b"},
	}
}

func TestEventValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*ejournal.Event)
		fields []string
	}{
		{"valid", func(*ejournal.Event) {}, nil},
		{"school event without times", func(e *ejournal.Event) {
			e.Audience, e.ClassIDs, e.Start, e.End = ejournal.AudienceSchool, nil, "", ""
		}, nil},
		{"31 days", func(e *ejournal.Event) { e.EndDate = "2025-11-09" }, nil},
		{"32 days", func(e *ejournal.Event) { e.EndDate = "2025-11-10" }, []string{"end_date"}},
		{"several days, end time before start", func(e *ejournal.Event) { e.EndDate = "2025-10-11"; e.End = "09:00" }, nil},
		{"no title", func(e *ejournal.Event) { e.Title = "" }, []string{"title"}},
		{"long title", func(e *ejournal.Event) { e.Title = strings.Repeat("я", 201) }, []string{"title"}},
		{"bad date", func(e *ejournal.Event) { e.Date = "10.10.2025" }, []string{"date"}},
		{"end before date", func(e *ejournal.Event) { e.EndDate = "2025-10-09" }, []string{"end_date"}},
		{"bad start", func(e *ejournal.Event) { e.Start = "10:60" }, []string{"start"}},
		{"end without start", func(e *ejournal.Event) { e.Start = "" }, []string{"start"}},
		{"end before start", func(e *ejournal.Event) { e.End = "09:30" }, []string{"end"}},
		{"unknown audience", func(e *ejournal.Event) { e.Audience = "parents" }, []string{"audience"}},
		{"class event without classes", func(e *ejournal.Event) { e.ClassIDs = nil }, []string{"class_ids"}},
		{"staff event with classes", func(e *ejournal.Event) { e.Audience = ejournal.AudienceStaff }, []string{"class_ids"}},
		{"bad class id", func(e *ejournal.Event) { e.ClassIDs[1] = "5#b" }, []string{"class_ids[1]"}},
		{"repeated class", func(e *ejournal.Event) { e.ClassIDs[1] = "5a" }, []string{"class_ids[1]"}},
		{"control character in place", func(e *ejournal.Event) { e.Place = "a\x00b" }, []string{"place"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := eventFixture()
			tt.edit(e)
			checkValidate(t, e, tt.fields...)
		})
	}
}

func TestEventTouches(t *testing.T) {
	e := &ejournal.Event{Date: "2025-10-01", EndDate: "2025-10-20"}
	one := &ejournal.Event{Date: "2025-10-10"}
	tests := []struct {
		e        *ejournal.Event
		from, to ejournal.Date
		want     bool
	}{
		{e, "2025-10-13", "2025-10-19", true},
		{e, "2025-10-20", "2025-10-26", true},
		{e, "2025-10-21", "2025-10-27", false},
		{e, "2025-09-20", "2025-10-01", true},
		{e, "2025-09-20", "2025-09-30", false},
		{one, "2025-10-10", "2025-10-10", true},
		{one, "2025-10-11", "2025-10-12", false},
	}
	for _, tt := range tests {
		if got := tt.e.Touches(tt.from, tt.to); got != tt.want {
			t.Errorf("%s..%s Touches(%s, %s) = %v, want %v", tt.e.Date, tt.e.LastDay(), tt.from, tt.to, got, tt.want)
		}
	}
}

func TestEventVisibleTo(t *testing.T) {
	student := &ejournal.Principal{PersonID: "st", SchoolID: "s1", Roles: []ejournal.Role{ejournal.StudentRole}, ClassID: "5a"}
	otherStudent := &ejournal.Principal{PersonID: "st2", SchoolID: "s1", Roles: []ejournal.Role{ejournal.StudentRole}, ClassID: "6b"}
	parent := &ejournal.Principal{PersonID: "pa", SchoolID: "s1", Roles: []ejournal.Role{ejournal.ParentRole}, Children: map[string]string{"st": "5a"}}
	otherParent := &ejournal.Principal{PersonID: "pa2", SchoolID: "s1", Roles: []ejournal.Role{ejournal.ParentRole}, Children: map[string]string{"st2": "6b"}}
	teacher := &ejournal.Principal{PersonID: "te", SchoolID: "s1", Roles: []ejournal.Role{ejournal.Teacher}, Teaches: []ejournal.Teaching{{ClassID: "6b", SubjectID: "math"}}}
	director := &ejournal.Principal{PersonID: "di", SchoolID: "s1", Roles: []ejournal.Role{ejournal.Director}}
	// A teacher who is also a parent is staff.
	teacherParent := &ejournal.Principal{PersonID: "tp", SchoolID: "s1", Roles: []ejournal.Role{ejournal.ParentRole, ejournal.Teacher}, Children: map[string]string{"x": "7c"}}
	stranger := &ejournal.Principal{PersonID: "zz", SchoolID: "s2", Roles: []ejournal.Role{ejournal.Director}}

	school := &ejournal.Event{SchoolID: "s1", Audience: ejournal.AudienceSchool}
	staff := &ejournal.Event{SchoolID: "s1", Audience: ejournal.AudienceStaff}
	class5a := &ejournal.Event{SchoolID: "s1", Audience: ejournal.AudienceClasses, ClassIDs: []string{"5a", "5b"}}
	tests := []struct {
		name string
		e    *ejournal.Event
		p    *ejournal.Principal
		want bool
	}{
		{"student, school event", school, student, true},
		{"student, staff event", staff, student, false},
		{"student, own class", class5a, student, true},
		{"student, another class", class5a, otherStudent, false},
		{"parent, school event", school, parent, true},
		{"parent, staff event", staff, parent, false},
		{"parent, child's class", class5a, parent, true},
		{"parent, another class", class5a, otherParent, false},
		{"teacher, staff event", staff, teacher, true},
		{"teacher, a class not taught", class5a, teacher, true},
		{"director, class event", class5a, director, true},
		{"teacher and parent, staff event", staff, teacherParent, true},
		{"another school", school, stranger, false},
		{"nobody", school, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.VisibleTo(tt.p); got != tt.want {
				t.Errorf("VisibleTo = %v, want %v", got, tt.want)
			}
		})
	}
}
