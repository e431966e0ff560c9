// Package access makes every authorization decision of the e-journal. It is
// pure: given a principal (who, with which permissions and relations) and a
// target (whose data, in which class), it answers allow or deny. Handlers
// ask it and never decide on their own.
//
// A permission is a named capability with a scope. The ten roles have
// default permissions (Defaults); a school's administrator may replace a
// role's permissions for that school, and a person may hold several roles:
// their effective permissions are the union (Effective).
package access

import (
	"fmt"
	"maps"
	"slices"
	"sort"

	"ejournal/internal/ejournal"
)

// Capability is a named thing a person may do.
type Capability = string

// Capabilities.
const (
	DirectoryRead  Capability = "directory.read"  // school structure: years, classes, groups, subjects, assignments
	DirectoryWrite Capability = "directory.write" // change the school structure
	PeopleRead     Capability = "people.read"     // names, kind, class and family links of a person
	RosterRead     Capability = "roster.read"     // the list of students of a class
	PersonalRead   Capability = "personal.read"   // personal fields of students and parents (152-FZ)
	StudentsWrite  Capability = "students.write"  // records of students and parents, links, movement, import
	StaffRead      Capability = "staff.read"      // staff personal cards (HR)
	StaffWrite     Capability = "staff.write"     // hire, change, dismiss staff; staff import
	MovementRead   Capability = "movement.read"   // the student movement list
	AccountsManage Capability = "accounts.manage" // accounts, one-time passwords, external identity links
	RolesManage    Capability = "roles.manage"    // role permissions and people's roles
	AuditRead      Capability = "audit.read"      // the audit trail
	SchoolWrite    Capability = "school.write"    // the school's own settings

	// Journal capabilities (Step 3 onwards).
	JournalRead     Capability = "journal.read"     // lessons, marks, attendance of a class
	LessonsWrite    Capability = "lessons.write"    // lessons: topic, homework
	MarksWrite      Capability = "marks.write"      // marks and term marks
	MarksLateEdit   Capability = "marks.late_edit"  // edits past the school's edit window
	AttendanceWrite Capability = "attendance.write" // attendance codes
	AbsenceJustify  Capability = "absence.justify"  // turn н into у with a reason
	DiaryRead       Capability = "diary.read"       // a student's diary and summary
	TimetableRead   Capability = "timetable.read"   // timetable and events
	TimetableWrite  Capability = "timetable.write"  // timetable, bells, events
	PlansWrite      Capability = "plans.write"      // calendar-thematic plans
	ReportsRead     Capability = "reports.read"     // performance and attendance reports
	MessagesSend    Capability = "messages.send"    // messages to parents and students
	NotifySettings  Capability = "notify.settings"  // own notification settings
)

// Capabilities lists every capability in a stable order.
var Capabilities = []Capability{
	DirectoryRead, DirectoryWrite, PeopleRead, RosterRead, PersonalRead, StudentsWrite, StaffRead, StaffWrite,
	MovementRead, AccountsManage, RolesManage, AuditRead, SchoolWrite,
	JournalRead, LessonsWrite, MarksWrite, MarksLateEdit, AttendanceWrite, AbsenceJustify, DiaryRead,
	TimetableRead, TimetableWrite, PlansWrite, ReportsRead, MessagesSend, NotifySettings,
}

// Scope is how far a permission reaches.
type Scope = string

// Scopes, from the narrowest.
const (
	Self     Scope = "self"     // the person themself (a student: also their own class)
	Children Scope = "children" // a parent's own children (and their classes)
	Lessons  Scope = "lessons"  // the classes, groups and subjects a teacher teaches
	Class    Scope = "class"    // the class whose class teacher the person is
	School   Scope = "school"   // the whole school
)

// Scopes lists every scope.
var Scopes = []Scope{Self, Children, Lessons, Class, School}

// Permissions map capabilities to the scopes they are granted in.
type Permissions map[Capability][]Scope

func grant(scope Scope, caps ...Capability) Permissions {
	p := Permissions{}
	for _, c := range caps {
		p[c] = []Scope{scope}
	}
	return p
}

func merge(ps ...Permissions) Permissions {
	out := Permissions{}
	for _, p := range ps {
		for c, scopes := range p {
			// A capability without scopes grants nothing and is left out.
			if len(scopes) > 0 {
				out[c] = union(out[c], scopes)
			}
		}
	}
	return out
}

func union(a, b []Scope) []Scope {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return slices.Index(Scopes, out[i]) < slices.Index(Scopes, out[j]) })
	return out
}

// Defaults are the permissions each role has until a school changes them.
func Defaults() map[ejournal.Role]Permissions {
	everyone := grant(School, DirectoryRead)
	return map[ejournal.Role]Permissions{
		ejournal.Administrator: grant(School, Capabilities...),
		ejournal.AssistantAdmin: merge(everyone, grant(School, PeopleRead, RosterRead, PersonalRead, StudentsWrite,
			MovementRead, AccountsManage, JournalRead, TimetableRead, DiaryRead)),
		ejournal.Director: merge(everyone, grant(School, PeopleRead, RosterRead, PersonalRead, StaffRead, MovementRead,
			JournalRead, DiaryRead, TimetableRead, ReportsRead, MessagesSend, AuditRead)),
		ejournal.HeadTeacher: merge(everyone, grant(School, PeopleRead, RosterRead, MovementRead, JournalRead, DiaryRead,
			TimetableRead, TimetableWrite, ReportsRead, MarksLateEdit, MessagesSend, PlansWrite)),
		ejournal.Teacher: merge(everyone, grant(School, TimetableRead), grant(Lessons, PeopleRead, RosterRead, JournalRead,
			LessonsWrite, MarksWrite, AttendanceWrite, DiaryRead, PlansWrite, MessagesSend)),
		ejournal.ClassTeacher: merge(everyone, grant(School, TimetableRead), grant(Class, PeopleRead, RosterRead, PersonalRead,
			JournalRead, DiaryRead, AbsenceJustify, ReportsRead, MessagesSend)),
		ejournal.HR:          merge(everyone, grant(School, PeopleRead, StaffRead, StaffWrite)),
		ejournal.Clerk:       merge(everyone, grant(School, PeopleRead, RosterRead, PersonalRead, StudentsWrite, MovementRead)),
		ejournal.StudentRole: grant(Self, DirectoryRead, PeopleRead, DiaryRead, TimetableRead, NotifySettings),
		ejournal.ParentRole: merge(grant(Children, DirectoryRead, PeopleRead, PersonalRead, DiaryRead, TimetableRead),
			grant(Self, PeopleRead, PersonalRead, NotifySettings)),
	}
}

// Effective returns the union of the permissions of roles, taking a
// school's overrides (role → permissions) before the defaults.
func Effective(roles []ejournal.Role, overrides map[ejournal.Role]Permissions) Permissions {
	defaults := Defaults()
	var ps []Permissions
	for _, r := range roles {
		if p, ok := overrides[r]; ok {
			ps = append(ps, p)
		} else {
			ps = append(ps, defaults[r])
		}
	}
	return merge(ps...)
}

// Validate checks a role's permissions as an administrator set them.
func (p Permissions) Validate() error {
	pr := ejournal.Problems{}
	for c, scopes := range p {
		if !slices.Contains(Capabilities, c) {
			pr.Add(c, ejournal.T(fmt.Sprintf("Неизвестное право «%s».", c), fmt.Sprintf("Unknown permission %q.", c)))
			continue
		}
		for _, s := range scopes {
			if !slices.Contains(Scopes, s) {
				pr.Add(c, ejournal.T(
					fmt.Sprintf("Неизвестная область действия «%s»: self, children, lessons, class или school.", s),
					fmt.Sprintf("Unknown scope %q: self, children, lessons, class or school.", s)))
			}
		}
	}
	return pr.Err()
}

// Clone returns a deep copy.
func (p Permissions) Clone() Permissions {
	out := maps.Clone(p)
	for c, s := range out {
		out[c] = slices.Clone(s)
	}
	return out
}
