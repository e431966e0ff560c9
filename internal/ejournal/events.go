package ejournal

import (
	"fmt"
	"slices"
)

// Limits of an event.
const (
	// MaxEventDays is the longest an event may last, first and last day
	// included; a range read of events starts this many days early.
	MaxEventDays = 31
	// MaxEventClasses bounds the classes of one event (each is checked
	// in the write's transaction).
	MaxEventClasses = 40
)

// Valid reports whether a is one of the audiences.
func (a EventAudience) Valid() bool {
	return a == AudienceSchool || a == AudienceClasses || a == AudienceStaff
}

// LastDay is the event's last day: EndDate, or Date for a one-day event.
func (e *Event) LastDay() Date {
	if e.EndDate != "" {
		return e.EndDate
	}
	return e.Date
}

// Touches reports whether the event runs on any day of from..to.
func (e *Event) Touches(from, to Date) bool {
	return e.Date <= to && e.LastDay() >= from
}

// Validate checks the event's own fields: a title, a date, an end date
// not before it and at most MaxEventDays days long, "HH:MM" times (a start
// before the end on a one-day event), a known audience, and the classes
// of a class event (none for the other audiences).
func (e *Event) Validate() error {
	p := Problems{}
	checkOptionalID(p, "id", e.ID)
	checkName(p, "title", e.Title, 200)
	switch {
	case !e.Date.Valid():
		p.Add("date", dateText)
	case e.EndDate == "":
	case !e.EndDate.Valid():
		p.Add("end_date", dateText)
	case e.EndDate < e.Date:
		p.Add("end_date", T("Конец события раньше его начала.", "The event ends before it starts."))
	case e.EndDate > DateOf(e.Date.Time().AddDate(0, 0, MaxEventDays-1)):
		p.Add("end_date", Text{RU: fmt.Sprintf("Событие длится не больше %d дней.", MaxEventDays), EN: fmt.Sprintf("An event lasts at most %d days.", MaxEventDays)})
	}
	start, okStart := calClock(e.Start)
	end, okEnd := calClock(e.End)
	switch {
	case e.Start != "" && !okStart:
		p.Add("start", calClockText)
	case e.End != "" && !okEnd:
		p.Add("end", calClockText)
	case e.End != "" && e.Start == "":
		p.Add("start", T("Укажите время начала.", "Give the start time."))
	case okStart && okEnd && e.LastDay() == e.Date && end <= start:
		p.Add("end", T("Событие должно заканчиваться позже, чем начинается.", "The event must end after it starts."))
	}
	checkText(p, "place", e.Place, 200, false)
	checkText(p, "description", e.Description, 2000, true)
	switch {
	case !e.Audience.Valid():
		p.Add("audience", T("Кому адресовано событие: school (вся школа), classes (классы) или staff (сотрудники).", "The audience must be school, classes or staff."))
	case e.Audience == AudienceClasses && len(e.ClassIDs) == 0:
		p.Add("class_ids", T("Укажите хотя бы один класс.", "Give at least one class."))
	case e.Audience != AudienceClasses && len(e.ClassIDs) > 0:
		p.Add("class_ids", T("Классы указываются только для событий классов (audience = classes).", "Classes are given only for class events (audience = classes)."))
	case len(e.ClassIDs) > MaxEventClasses:
		p.Add("class_ids", calCountText(MaxEventClasses))
	}
	for i, id := range e.ClassIDs {
		f := fmt.Sprintf("class_ids[%d]", i)
		if !ValidID(id) {
			p.Add(f, idText)
		} else if slices.Contains(e.ClassIDs[:i], id) {
			p.Add(f, T("Класс повторяется.", "The class is repeated."))
		}
	}
	return p.Err()
}

// VisibleTo reports whether the event concerns p, a person of its school.
// A school event concerns everyone; a staff event concerns staff only
// (anyone holding a role other than student and parent). A class event
// concerns the students of its classes, the parents of those students and
// every member of staff: besides its class teachers and the teachers of
// its classes, who need it most, any teacher may take a lesson in the
// class as a substitute, and the administration oversees all classes.
func (e *Event) VisibleTo(p *Principal) bool {
	if p == nil || p.SchoolID == "" || p.SchoolID != e.SchoolID {
		return false
	}
	switch e.Audience {
	case AudienceSchool:
		return true
	case AudienceStaff:
		return eventStaff(p)
	case AudienceClasses:
		return eventStaff(p) || slices.ContainsFunc(e.ClassIDs, func(c string) bool { return eventConcernsClass(p, c) })
	}
	return false
}

// eventStaff reports whether p holds a staff role, any role but student
// and parent.
func eventStaff(p *Principal) bool {
	return slices.ContainsFunc(p.Roles, func(r Role) bool { return r != StudentRole && r != ParentRole })
}

// eventConcernsClass reports whether class is p's own (a student), a child's
// (a parent), one p is the class teacher of or one p teaches.
func eventConcernsClass(p *Principal, class string) bool {
	if p.ClassID == class || slices.Contains(p.ClassTeacherOf, class) {
		return true
	}
	for _, c := range p.Children {
		if c == class {
			return true
		}
	}
	return slices.ContainsFunc(p.Teaches, func(t Teaching) bool { return t.ClassID == class })
}
