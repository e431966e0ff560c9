package access_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

// me is a principal with a relation for every scope: a student of 5a
// (self), the parent of kid in 6b (children), the class teacher of 7c
// (class) and the teacher of mathematics in 8d and of English to group g1
// of 9e (lessons).
func me(grants access.Permissions) *ejournal.Principal {
	return &ejournal.Principal{
		PersonID: "me", SchoolID: "s1", Roles: []ejournal.Role{ejournal.Teacher},
		Grants:         grants,
		ClassID:        "5a",
		Children:       map[string]string{"kid": "6b", "kid2": "6b"},
		ClassTeacherOf: []string{"7c"},
		Teaches: []ejournal.Teaching{
			{ClassID: "8d", SubjectID: "math"},
			{ClassID: "9e", GroupID: "g1", SubjectID: "eng"},
		},
	}
}

func lesson(class, group, subject, teacher string) access.Target {
	return access.Target{SchoolID: "s1", ClassID: class, GroupID: group, SubjectID: subject, TeacherID: teacher}
}

// TestScopes checks every scope against targets inside and outside it.
// allow lists the scopes that reach the target.
func TestScopes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		target access.Target
		allow  string
	}{
		{"myself", access.Person("s1", "me", "5a"), "self school"},
		{"myself without a class", access.Person("s1", "me", ""), "self school"},
		{"a classmate", access.Person("s1", "mate", "5a"), "school"},
		{"my class", access.ClassTarget("s1", "5a", ""), "self school"},
		{"my class, a subject", access.ClassTarget("s1", "5a", "math"), "self school"},
		{"my child", access.Person("s1", "kid", "6b"), "children school"},
		{"my child, class not given", access.Person("s1", "kid", ""), "children school"},
		{"my child's classmate", access.Person("s1", "other", "6b"), "school"},
		{"my child's class", access.ClassTarget("s1", "6b", ""), "children school"},
		{"a student of my class", access.Person("s1", "st7", "7c"), "class school"},
		{"my class as class teacher", access.ClassTarget("s1", "7c", ""), "class school"},
		{"my class as class teacher, a subject", access.ClassTarget("s1", "7c", "math"), "class school"},
		{"a student I teach", access.Person("s1", "st8", "8d"), "lessons school"},
		{"a class I teach", access.ClassTarget("s1", "8d", ""), "lessons school"},
		{"my subject in it", access.ClassTarget("s1", "8d", "math"), "lessons school"},
		{"another subject in it", access.ClassTarget("s1", "8d", "eng"), "school"},
		{"my group's class", access.ClassTarget("s1", "9e", ""), "lessons school"},
		{"my group's subject", access.ClassTarget("s1", "9e", "eng"), "lessons school"},
		{"my group", lesson("9e", "g1", "eng", ""), "lessons school"},
		{"the other group", lesson("9e", "g2", "eng", ""), "school"},
		{"another subject of my group's class", lesson("9e", "g1", "math", ""), "school"},
		{"a group of a class I teach whole", lesson("8d", "g3", "math", ""), "lessons school"},
		{"a lesson I substitute", lesson("10f", "", "chem", "me"), "lessons school"},
		{"a lesson of another teacher", lesson("10f", "", "chem", "other"), "school"},
		{"a lesson of another teacher in my class", lesson("8d", "", "math", "other"), "lessons school"},
		{"a class unrelated to me", access.ClassTarget("s1", "11g", ""), "school"},
		{"a stranger without a class", access.Person("s1", "stranger", ""), "school"},
		{"the school", access.SchoolTarget("s1"), "school"},
		{"myself in another school", access.Person("s2", "me", "5a"), ""},
		{"my child in another school", access.Person("s2", "kid", "6b"), ""},
		{"my class in another school", access.ClassTarget("s2", "7c", ""), ""},
		{"my lesson in another school", access.Target{SchoolID: "s2", ClassID: "8d", SubjectID: "math", TeacherID: "me"}, ""},
		{"another school", access.SchoolTarget("s2"), ""},
		{"no school", access.Target{PersonID: "me", ClassID: "5a"}, ""},
	}
	for _, tt := range tests {
		for _, scope := range access.Scopes {
			want := slices.Contains(strings.Fields(tt.allow), scope)
			p := me(access.Permissions{access.JournalRead: {scope}})
			if got := access.Can(p, access.JournalRead, tt.target); got != want {
				t.Errorf("%s in scope %s: Can = %v, want %v", tt.name, scope, got, want)
			}
			if got := access.Can(p, access.MarksWrite, tt.target); got {
				t.Errorf("%s in scope %s: Can allows a capability the principal lacks", tt.name, scope)
			}
		}
		all := me(access.Permissions{access.JournalRead: access.Scopes})
		if got, want := access.Can(all, access.JournalRead, tt.target), tt.allow != ""; got != want {
			t.Errorf("%s in every scope: Can = %v, want %v", tt.name, got, want)
		}
	}
}

// TestRoles checks the default permissions of real roles against targets.
func TestRoles(t *testing.T) {
	t.Parallel()
	type check struct {
		c      access.Capability
		target access.Target
		want   bool
	}
	person := func(id, class string) access.Target { return access.Person("s1", id, class) }
	class := func(id, subject string) access.Target { return access.ClassTarget("s1", id, subject) }
	school := access.SchoolTarget("s1")
	tests := []struct {
		roles     []ejournal.Role
		overrides map[ejournal.Role]access.Permissions
		checks    []check
	}{
		{roles: []ejournal.Role{ejournal.Administrator}, checks: []check{
			{access.RolesManage, school, true}, {access.PersonalRead, person("any", "6b"), true}, {access.MarksWrite, class("11g", "chem"), true},
			{access.RolesManage, access.SchoolTarget("s2"), false}, {access.PersonalRead, access.Person("s2", "any", "6b"), false},
		}},
		{roles: []ejournal.Role{ejournal.Teacher}, checks: []check{
			{access.MarksWrite, class("8d", "math"), true}, {access.MarksWrite, class("8d", "eng"), false}, {access.MarksWrite, class("5a", "math"), false},
			{access.MarksWrite, lesson("10f", "", "chem", "me"), true}, {access.RosterRead, class("8d", ""), true}, {access.RosterRead, class("7c", ""), false},
			{access.PersonalRead, person("st8", "8d"), false}, {access.TimetableRead, school, true}, {access.MarksLateEdit, class("8d", "math"), false},
			{access.RolesManage, school, false}, {access.DirectoryWrite, school, false},
		}},
		{roles: []ejournal.Role{ejournal.ClassTeacher}, checks: []check{
			{access.PersonalRead, person("st7", "7c"), true}, {access.PersonalRead, person("st8", "8d"), false},
			{access.JournalRead, class("7c", "chem"), true}, {access.MarksWrite, class("7c", "chem"), false}, {access.AbsenceJustify, person("st7", "7c"), true},
		}},
		{roles: []ejournal.Role{ejournal.Teacher, ejournal.ClassTeacher}, checks: []check{
			{access.JournalRead, class("7c", ""), true}, {access.JournalRead, class("8d", "math"), true}, {access.JournalRead, class("5a", ""), false},
			{access.PersonalRead, person("st7", "7c"), true}, {access.PersonalRead, person("st8", "8d"), false}, {access.MarksWrite, class("8d", "math"), true},
		}},
		{roles: []ejournal.Role{ejournal.ParentRole}, checks: []check{
			{access.DiaryRead, person("kid", "6b"), true}, {access.DiaryRead, person("other", "6b"), false}, {access.PersonalRead, person("kid", "6b"), true},
			{access.PersonalRead, person("me", ""), true}, {access.PersonalRead, person("other", "6b"), false}, {access.DirectoryRead, class("6b", ""), true},
			{access.DirectoryRead, class("11g", ""), false}, {access.JournalRead, class("6b", ""), false}, {access.DiaryRead, access.Person("s2", "kid", "6b"), false},
		}},
		{roles: []ejournal.Role{ejournal.StudentRole}, checks: []check{
			{access.DiaryRead, person("me", "5a"), true}, {access.DiaryRead, person("mate", "5a"), false}, {access.PeopleRead, person("kid", "6b"), false},
			{access.TimetableRead, class("5a", ""), true}, {access.TimetableRead, class("6b", ""), false}, {access.TimetableRead, school, false},
		}},
		{roles: []ejournal.Role{ejournal.Clerk}, checks: []check{
			{access.PersonalRead, person("any", "11g"), true}, {access.StudentsWrite, school, true}, {access.StaffWrite, school, false}, {access.StaffRead, person("t", ""), false},
		}},
		{roles: []ejournal.Role{ejournal.HR}, checks: []check{
			{access.StaffWrite, school, true}, {access.StaffRead, person("t", ""), true}, {access.PersonalRead, person("any", "5a"), false}, {access.StudentsWrite, school, false},
		}},
		{roles: []ejournal.Role{ejournal.Director}, checks: []check{
			{access.AuditRead, school, true}, {access.ReportsRead, school, true}, {access.MarksWrite, class("8d", "math"), false}, {access.RolesManage, school, false},
		}},
		{roles: []ejournal.Role{ejournal.HeadTeacher}, checks: []check{
			{access.MarksLateEdit, class("11g", "chem"), true}, {access.TimetableWrite, school, true}, {access.PersonalRead, person("any", "5a"), false},
		}},
		{roles: []ejournal.Role{ejournal.AssistantAdmin}, checks: []check{
			{access.AccountsManage, school, true}, {access.StudentsWrite, school, true}, {access.RolesManage, school, false}, {access.StaffWrite, school, false},
		}},
		{roles: []ejournal.Role{ejournal.Teacher}, overrides: map[ejournal.Role]access.Permissions{ejournal.Teacher: {access.JournalRead: {access.School}}}, checks: []check{
			{access.JournalRead, class("11g", ""), true}, {access.MarksWrite, class("8d", "math"), false}, {access.DirectoryRead, school, false},
		}},
		{roles: []ejournal.Role{ejournal.Clerk, ejournal.Teacher}, overrides: map[ejournal.Role]access.Permissions{ejournal.Clerk: {access.RolesManage: {access.School}}}, checks: []check{
			{access.RolesManage, school, true}, {access.PersonalRead, person("any", "5a"), false}, {access.MarksWrite, class("8d", "math"), true},
		}},
		{roles: nil, checks: []check{
			{access.DirectoryRead, school, false}, {access.DiaryRead, person("me", "5a"), false},
		}},
	}
	for _, tt := range tests {
		p := me(access.Effective(tt.roles, tt.overrides))
		p.Roles = tt.roles
		name := fmt.Sprint(tt.roles)
		if tt.overrides != nil {
			name += " with overrides"
		}
		for _, c := range tt.checks {
			if got := access.Can(p, c.c, c.target); got != c.want {
				t.Errorf("%s: Can(%s, %+v) = %v, want %v", name, c.c, c.target, got, c.want)
			}
			err := access.Require(p, c.c, c.target)
			if c.want != (err == nil) || err != nil && ejournal.ErrorCode(err) != ejournal.EFORBIDDEN {
				t.Errorf("%s: Require(%s, %+v) = %v, want allowed %v", name, c.c, c.target, err, c.want)
			}
		}
	}
}

func TestNobodyAndOperator(t *testing.T) {
	t.Parallel()
	operator := &ejournal.Principal{PersonID: "op", Operator: true, Grants: access.Effective([]ejournal.Role{ejournal.Administrator}, nil)}
	for _, target := range []access.Target{access.SchoolTarget("s1"), access.SchoolTarget(""), {}} {
		if access.Can(nil, access.DirectoryRead, target) {
			t.Errorf("an anonymous request may read the directory of %+v", target)
		}
		if access.Can(operator, access.DirectoryRead, target) {
			t.Errorf("an operator without a school may read the directory of %+v", target)
		}
	}
	if ejournal.ErrorCode(access.Require(nil, access.DirectoryRead, access.SchoolTarget("s1"))) != ejournal.EFORBIDDEN {
		t.Error("Require allows an anonymous request")
	}
	e, ok := access.Forbidden().(*ejournal.Error)
	if !ok || e.Code != ejournal.EFORBIDDEN || e.Message.RU == "" || e.Message.EN == "" {
		t.Errorf("Forbidden() = %v, want EFORBIDDEN in Russian and English", access.Forbidden())
	}
}

func TestCanAny(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    *ejournal.Principal
		want bool
	}{
		{nil, false},
		{me(nil), false},
		{me(access.Permissions{access.DiaryRead: {}}), false},
		{me(access.Permissions{access.DiaryRead: {access.Self}}), true},
		{me(access.Permissions{access.DiaryRead: {access.School}}), true},
		{me(access.Permissions{access.JournalRead: {access.School}}), false},
	}
	for i, tt := range tests {
		if got := access.CanAny(tt.p, access.DiaryRead); got != tt.want {
			t.Errorf("case %d: CanAny = %v, want %v", i, got, tt.want)
		}
	}
}

func TestCanWholeClass(t *testing.T) {
	grants := func(scopes ...access.Scope) map[string][]string {
		return map[string][]string{access.JournalRead: scopes}
	}
	for _, tc := range []struct {
		name string
		p    *ejournal.Principal
		want bool
	}{
		{"administration", &ejournal.Principal{SchoolID: "a", Grants: grants(access.School)}, true},
		{"class teacher of the class", &ejournal.Principal{SchoolID: "a", ClassTeacherOf: []string{"c1"}, Grants: grants(access.Class)}, true},
		{"class teacher of another class", &ejournal.Principal{SchoolID: "a", ClassTeacherOf: []string{"c2"}, Grants: grants(access.Class)}, false},
		{"teacher of a subject in the class", &ejournal.Principal{SchoolID: "a", Teaches: []ejournal.Teaching{{ClassID: "c1", SubjectID: "math"}}, Grants: grants(access.Lessons)}, false},
		{"another school", &ejournal.Principal{SchoolID: "b", Grants: grants(access.School)}, false},
		{"anonymous", nil, false},
	} {
		if got := access.CanWholeClass(tc.p, access.JournalRead, "a", "c1"); got != tc.want {
			t.Errorf("%s: CanWholeClass = %v, want %v", tc.name, got, tc.want)
		}
	}
}
