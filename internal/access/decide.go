package access

import (
	"slices"

	"ejournal/internal/ejournal"
)

// Target is what a request touches. A person target names the person the
// data is about (PersonID, with ClassID the class of a student); a class
// target names a class (ClassID, optionally GroupID and SubjectID) and no
// person. School-wide data has neither.
type Target struct {
	SchoolID  string
	PersonID  string
	ClassID   string
	GroupID   string
	SubjectID string
	// TeacherID is the teacher of a lesson, who may act on it whatever
	// their assignments say (a substitute, for example).
	TeacherID string
}

// Person returns the target of one person's data.
func Person(school, person, class string) Target {
	return Target{SchoolID: school, PersonID: person, ClassID: class}
}

// ClassTarget returns the target of a class's data, optionally narrowed to
// a subject (and a group).
func ClassTarget(school, class, subject string) Target {
	return Target{SchoolID: school, ClassID: class, SubjectID: subject}
}

// SchoolTarget returns the target of school-wide data.
func SchoolTarget(school string) Target { return Target{SchoolID: school} }

// Can reports whether p may use capability c on t. A principal never reaches
// another school, whatever its permissions.
func Can(p *ejournal.Principal, c Capability, t Target) bool {
	if p == nil || t.SchoolID == "" || t.SchoolID != p.SchoolID {
		return false
	}
	for _, s := range p.Grants[c] {
		if inScope(p, s, t) {
			return true
		}
	}
	return false
}

// CanAny reports whether p has capability c in any scope, for listings that
// are then narrowed item by item.
func CanAny(p *ejournal.Principal, c Capability) bool {
	return p != nil && len(p.Grants[c]) > 0
}

func inScope(p *ejournal.Principal, s Scope, t Target) bool {
	switch s {
	case School:
		return true
	case Self:
		if t.PersonID != "" {
			return t.PersonID == p.PersonID
		}
		return t.ClassID != "" && t.ClassID == p.ClassID
	case Children:
		if t.PersonID != "" {
			_, ok := p.Children[t.PersonID]
			return ok
		}
		if t.ClassID == "" {
			return false
		}
		for _, class := range p.Children {
			if class == t.ClassID {
				return true
			}
		}
		return false
	case Class:
		return t.ClassID != "" && slices.Contains(p.ClassTeacherOf, t.ClassID)
	case Lessons:
		if t.TeacherID != "" && t.TeacherID == p.PersonID {
			return true
		}
		if t.ClassID == "" {
			return false
		}
		for _, a := range p.Teaches {
			if a.ClassID != t.ClassID {
				continue
			}
			if t.SubjectID != "" && a.SubjectID != t.SubjectID {
				continue
			}
			if t.GroupID != "" && a.GroupID != "" && a.GroupID != t.GroupID {
				continue
			}
			return true
		}
	}
	return false
}

// Forbidden is the error of a denied request.
func Forbidden() error {
	return ejournal.Errorf(ejournal.EFORBIDDEN, ejournal.T("Недостаточно прав для этого действия.", "You do not have permission to do this."))
}

// Require returns Forbidden unless p may use c on t.
func Require(p *ejournal.Principal, c Capability, t Target) error {
	if Can(p, c, t) {
		return nil
	}
	return Forbidden()
}

// Covers reports whether p holds every permission of perms, apart from
// self-scoped ones (those reach only their holder's own data). Managing a
// person's account or sign-in lets the manager act as that person, so it
// is allowed only when the person's permissions give nothing the manager
// lacks.
func Covers(p *ejournal.Principal, perms Permissions) bool {
	if p == nil {
		return false
	}
	for c, scopes := range perms {
		held := p.Grants[c]
		for _, s := range scopes {
			if s != Self && !slices.Contains(held, School) && !slices.Contains(held, s) {
				return false
			}
		}
	}
	return true
}

// CanWholeClass reports whether p may use c on all of a class's data across
// every subject (e.g. attendance totals): whole-school or class-teacher
// scope. A teacher of some of its subjects (lessons scope) may not.
func CanWholeClass(p *ejournal.Principal, c Capability, school, class string) bool {
	if p == nil || school == "" || school != p.SchoolID {
		return false
	}
	for _, s := range p.Grants[c] {
		if s == School || (s == Class && slices.Contains(p.ClassTeacherOf, class)) {
			return true
		}
	}
	return false
}
