package access_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"ejournal/internal/access"
	"ejournal/internal/ejournal"
)

func TestDefaultsCoverEveryRole(t *testing.T) {
	t.Parallel()
	defaults := access.Defaults()
	if len(defaults) != len(ejournal.Roles) {
		t.Fatalf("defaults for %d roles, want the %d roles", len(defaults), len(ejournal.Roles))
	}
	for _, r := range ejournal.Roles {
		p, ok := defaults[r]
		if !ok {
			t.Errorf("role %s has no default permissions", r)
			continue
		}
		if err := p.Validate(); err != nil {
			t.Errorf("defaults of %s do not validate: %v", r, err)
		}
		if len(p[access.DirectoryRead]) == 0 {
			t.Errorf("role %s cannot read the school's structure", r)
		}
		if r != ejournal.Administrator && len(p[access.RolesManage]) > 0 {
			t.Errorf("role %s manages roles by default; only the administrator does", r)
		}
		if r == ejournal.StudentRole || r == ejournal.ParentRole {
			for c, scopes := range p {
				if slices.Contains(scopes, access.School) {
					t.Errorf("role %s has %s in the whole school", r, c)
				}
			}
		}
	}
	for _, c := range access.Capabilities {
		if !slices.Equal(defaults[ejournal.Administrator][c], []access.Scope{access.School}) {
			t.Errorf("administrator: %s = %v, want [school]", c, defaults[ejournal.Administrator][c])
		}
	}
}

func TestDefaultsAreFreshCopies(t *testing.T) {
	t.Parallel()
	d := access.Defaults()
	d[ejournal.Teacher][access.MarksWrite] = []access.Scope{access.School}
	delete(d, ejournal.Clerk)
	again := access.Defaults()
	if !slices.Equal(again[ejournal.Teacher][access.MarksWrite], []access.Scope{access.Lessons}) || again[ejournal.Clerk] == nil {
		t.Fatal("changing the result of Defaults changed the defaults")
	}
}

func TestEffective(t *testing.T) {
	t.Parallel()
	overrides := map[ejournal.Role]access.Permissions{
		ejournal.Teacher: {access.MarksWrite: {access.School, access.Lessons, access.School}, access.DirectoryRead: {access.School}},
		ejournal.Clerk:   {},
		ejournal.HR:      {access.StaffRead: {}},
	}
	tests := []struct {
		name      string
		roles     []ejournal.Role
		overrides map[ejournal.Role]access.Permissions
		// want lists the scopes of some capabilities; a capability given
		// as nil must be absent.
		want access.Permissions
		// exact, when set, is the whole expected result.
		exact bool
	}{
		{name: "no roles", exact: true, want: access.Permissions{}},
		{name: "unknown role", roles: []ejournal.Role{"janitor"}, exact: true, want: access.Permissions{}},
		{name: "teacher", roles: []ejournal.Role{ejournal.Teacher}, want: access.Permissions{
			access.MarksWrite: {access.Lessons}, access.TimetableRead: {access.School}, access.PersonalRead: nil, access.RolesManage: nil,
		}},
		{name: "parent", roles: []ejournal.Role{ejournal.ParentRole}, want: access.Permissions{
			access.PeopleRead: {access.Self, access.Children}, access.DiaryRead: {access.Children}, access.NotifySettings: {access.Self},
		}},
		{name: "union of teacher and class teacher", roles: []ejournal.Role{ejournal.ClassTeacher, ejournal.Teacher}, want: access.Permissions{
			access.PeopleRead: {access.Lessons, access.Class}, access.PersonalRead: {access.Class}, access.MarksWrite: {access.Lessons},
			access.AbsenceJustify: {access.Class}, access.TimetableRead: {access.School}, access.DirectoryRead: {access.School},
		}},
		{name: "union of three roles", roles: []ejournal.Role{ejournal.Teacher, ejournal.ParentRole, ejournal.HeadTeacher}, want: access.Permissions{
			access.PeopleRead: {access.Self, access.Children, access.Lessons, access.School}, access.MarksLateEdit: {access.School},
			access.DiaryRead: {access.Children, access.Lessons, access.School}, access.NotifySettings: {access.Self},
		}},
		{name: "a role twice", roles: []ejournal.Role{ejournal.HR, ejournal.HR}, exact: true, want: access.Defaults()[ejournal.HR]},
		{name: "override replaces the defaults", roles: []ejournal.Role{ejournal.Teacher}, overrides: overrides, exact: true, want: access.Permissions{
			access.MarksWrite: {access.Lessons, access.School}, access.DirectoryRead: {access.School},
		}},
		{name: "override and another role's defaults", roles: []ejournal.Role{ejournal.Teacher, ejournal.ClassTeacher}, overrides: overrides, want: access.Permissions{
			access.MarksWrite: {access.Lessons, access.School}, access.JournalRead: {access.Class}, access.LessonsWrite: nil, access.PersonalRead: {access.Class},
		}},
		{name: "empty override takes everything away", roles: []ejournal.Role{ejournal.Clerk}, overrides: overrides, exact: true, want: access.Permissions{}},
		{name: "a capability without scopes is left out", roles: []ejournal.Role{ejournal.HR}, overrides: overrides, exact: true, want: access.Permissions{}},
		{name: "another role's override changes nothing", roles: []ejournal.Role{ejournal.Director}, overrides: overrides, exact: true, want: access.Defaults()[ejournal.Director]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := access.Effective(tt.roles, tt.overrides)
			if tt.exact && !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Effective = %v, want %v", got, tt.want)
			}
			for c, want := range tt.want {
				if scopes, ok := got[c]; want == nil && ok || !slices.Equal(scopes, want) {
					t.Errorf("%s = %v (present %v), want %v", c, scopes, ok, want)
				}
			}
		})
	}
}

func TestEffectiveDoesNotShareOverrides(t *testing.T) {
	t.Parallel()
	overrides := map[ejournal.Role]access.Permissions{ejournal.Teacher: {access.MarksWrite: {access.Lessons}}}
	got := access.Effective([]ejournal.Role{ejournal.Teacher}, overrides)
	got[access.MarksWrite][0] = access.School
	got[access.RolesManage] = []access.Scope{access.School}
	if !reflect.DeepEqual(overrides[ejournal.Teacher], access.Permissions{access.MarksWrite: {access.Lessons}}) {
		t.Fatalf("changing the effective permissions changed the override: %v", overrides[ejournal.Teacher])
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		p      access.Permissions
		fields []string
		// named maps a field to the name its message must quote.
		named map[string]string
	}{
		{name: "nothing", p: access.Permissions{}},
		{name: "nil", p: nil},
		{name: "every capability in every scope", p: func() access.Permissions {
			p := access.Permissions{}
			for _, c := range access.Capabilities {
				p[c] = access.Scopes
			}
			return p
		}()},
		{name: "no scopes", p: access.Permissions{access.MarksWrite: {}}},
		{name: "unknown capability", p: access.Permissions{"marks.delete": {access.School}, access.MarksWrite: {access.Lessons}}, fields: []string{"marks.delete"}, named: map[string]string{"marks.delete": "marks.delete"}},
		{name: "capability in another case", p: access.Permissions{"Marks.Write": {access.School}}, fields: []string{"Marks.Write"}},
		{name: "unknown scope", p: access.Permissions{access.MarksWrite: {access.Lessons, "district"}}, fields: []string{access.MarksWrite}, named: map[string]string{access.MarksWrite: "district"}},
		{name: "empty scope", p: access.Permissions{access.DiaryRead: {""}}, fields: []string{access.DiaryRead}},
		{name: "several", p: access.Permissions{"x": {access.School}, access.DiaryRead: {"everyone"}, access.AuditRead: {access.School}}, fields: []string{access.DiaryRead, "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.p.Validate()
			if len(tt.fields) == 0 {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			e, ok := err.(*ejournal.Error)
			if !ok || e.Code != ejournal.EINVALID {
				t.Fatalf("Validate = %v, want an EINVALID error", err)
			}
			var got []string
			for f, msg := range e.Fields {
				got = append(got, f)
				if msg.RU == "" || msg.EN == "" {
					t.Errorf("field %s: message %+v, want Russian and English", f, msg)
				}
				if !strings.Contains(msg.EN, tt.named[f]) || !strings.Contains(msg.RU, tt.named[f]) {
					t.Errorf("field %s: message %+v does not name %q", f, msg, tt.named[f])
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.fields) {
				t.Fatalf("fields %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestClone(t *testing.T) {
	t.Parallel()
	p := access.Permissions{access.MarksWrite: {access.Lessons}}
	c := p.Clone()
	c[access.MarksWrite][0] = access.School
	c[access.AuditRead] = []access.Scope{access.School}
	if !reflect.DeepEqual(p, access.Permissions{access.MarksWrite: {access.Lessons}}) {
		t.Fatalf("changing a clone changed the original: %v", p)
	}
}
