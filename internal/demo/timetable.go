package demo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"ejournal/internal/ejournal"
)

// The demo timetable: each class's assignments laid out over a five-day
// week, every subject for its weekly hours, spread over the days, with no
// teacher, room or class in two places at once. The two groups of a class
// learn their subject at the same time with their two teachers (in their
// two rooms); a teacher who has both groups teaches them one after the
// other. Each teacher has a room of their own.

// Longest school days, in lessons: primary grades (1–4) and the rest.
const (
	primaryPeriods = 5
	basicPeriods   = 7
	// extraPeriods is how far a day may grow when a lesson fits nowhere else.
	extraPeriods = 1
)

// Timetable returns the demo timetable of a demo school for YearID, in a
// fixed order; nil for another school.
func Timetable(schoolID string) ([]*ejournal.TimetableEntry, error) {
	ps, err := plans()
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.school.ID == schoolID {
			return p.timetable()
		}
	}
	return nil, nil
}

// Room returns the room of a teacher of a demo school, e.g. "каб. 107".
func Room(teacherID string) string {
	var n int
	if _, err := fmt.Sscanf(teacherID, "teacher-%d", &n); err != nil {
		return ""
	}
	return fmt.Sprintf("каб. %d", 100+n)
}

// ttUnit is what one lesson of the week places: the assignments taught at
// the same time (one, or the two groups of a class), hours times a week.
type ttUnit struct {
	class   *ejournal.Class
	assigns []*ejournal.Assignment
	hours   int
}

// ttGrid keeps who is busy when: [day][period] for classes and teachers.
type ttGrid struct {
	class   map[string]*[6][10]bool
	teacher map[string]*[6][10]bool
	// load counts a class's lessons per day; subject its lessons of a
	// subject per day.
	load    map[string]*[6]int
	subject map[string]*[6]int
}

func busy(m map[string]*[6][10]bool, id string) *[6][10]bool {
	if m[id] == nil {
		m[id] = new([6][10]bool)
	}
	return m[id]
}

func counts(m map[string]*[6]int, id string) *[6]int {
	if m[id] == nil {
		m[id] = new([6]int)
	}
	return m[id]
}

// ttPlaced is one lesson of a unit placed in the week.
type ttPlaced struct {
	unit        *ttUnit
	day, period int
}

// timetable lays out the plan's assignments (see the comment at the top).
func (p *plan) timetable() ([]*ejournal.TimetableEntry, error) {
	units := p.ttUnits()
	g := &ttGrid{class: map[string]*[6][10]bool{}, teacher: map[string]*[6][10]bool{}, load: map[string]*[6]int{}, subject: map[string]*[6]int{}}
	var placed []*ttPlaced
	for i := range units {
		u := &units[i]
		for range u.hours {
			day, period, ok := g.place(u)
			if !ok {
				return nil, fmt.Errorf("demo %s: no free period for %s in %s", p.school.ID, u.assigns[0].SubjectID, u.class.Name())
			}
			placed = append(placed, &ttPlaced{u, day, period})
		}
	}
	g.compact(placed)
	var out []*ejournal.TimetableEntry
	for _, pl := range placed {
		for _, a := range pl.unit.assigns {
			out = append(out, &ejournal.TimetableEntry{
				ID: fmt.Sprintf("%s-%d-%d", a.ID, pl.day, pl.period), SchoolID: a.SchoolID, YearID: a.YearID,
				ClassID: a.ClassID, GroupID: a.GroupID, SubjectID: a.SubjectID, TeacherID: a.TeacherID,
				Room: Room(a.TeacherID), Weekday: pl.day, Period: pl.period, From: p.year.Start,
			})
		}
	}
	slices.SortFunc(out, func(a, b *ejournal.TimetableEntry) int {
		return cmp.Or(cmp.Compare(a.ClassID, b.ClassID), cmp.Compare(a.Weekday, b.Weekday), cmp.Compare(a.Period, b.Period), cmp.Compare(a.GroupID, b.GroupID))
	})
	return out, nil
}

// compact closes the gaps in the classes' days: the last lesson of a day
// moves into a free period before the last lesson of the same or another
// day, when its teachers are free then and, on another day, its subject
// is not taught that day yet. Each move shortens a day, so it ends.
func (g *ttGrid) compact(placed []*ttPlaced) {
	for moved := true; moved; {
		moved = false
		for _, pl := range placed {
			u := pl.unit
			classBusy := busy(g.class, u.class.ID)
			if last(classBusy[pl.day]) != pl.period {
				continue
			}
			subject := counts(g.subject, u.class.ID+"/"+u.assigns[0].SubjectID)
		days:
			for d := 1; d <= 5; d++ {
				if d != pl.day && subject[d] > 0 {
					continue
				}
				for pd := 1; pd < last(classBusy[d]); pd++ {
					if classBusy[d][pd] || g.teachersBusy(u, d, pd) {
						continue
					}
					g.mark(u, pl.day, pl.period, false)
					g.mark(u, d, pd, true)
					subject[pl.day]--
					subject[d]++
					pl.day, pl.period, moved = d, pd, true
					break days
				}
			}
		}
	}
}

// last is the last busy period of a day, 0 for a free day.
func last(day [10]bool) int {
	for pd := len(day) - 1; pd > 0; pd-- {
		if day[pd] {
			return pd
		}
	}
	return 0
}

// teachersBusy reports whether a teacher of u is busy in period pd of day d.
func (g *ttGrid) teachersBusy(u *ttUnit, d, pd int) bool {
	return slices.ContainsFunc(u.assigns, func(a *ejournal.Assignment) bool { return busy(g.teacher, a.TeacherID)[d][pd] })
}

// mark sets whether u's class and teachers are busy in period pd of day d.
func (g *ttGrid) mark(u *ttUnit, d, pd int, on bool) {
	busy(g.class, u.class.ID)[d][pd] = on
	for _, a := range u.assigns {
		busy(g.teacher, a.TeacherID)[d][pd] = on
	}
}

// ttUnits groups the plan's assignments into units, the hardest to place
// first: those of the most loaded teachers, then those with most hours.
func (p *plan) ttUnits() []ttUnit {
	classes := map[string]*ejournal.Class{}
	for _, c := range p.classes {
		classes[c.ID] = c
	}
	load := map[string]int{}
	bySubject := map[string][]*ejournal.Assignment{} // class and subject → assignments
	var keys []string
	for _, a := range p.assignments {
		load[a.TeacherID] += a.HoursPerWeek
		k := a.ClassID + "/" + a.SubjectID
		if bySubject[k] == nil {
			keys = append(keys, k)
		}
		bySubject[k] = append(bySubject[k], a)
	}
	var units []ttUnit
	for _, k := range keys {
		as := bySubject[k]
		together := len(as) == 2 && as[0].TeacherID != as[1].TeacherID
		if together {
			units = append(units, ttUnit{class: classes[as[0].ClassID], assigns: as, hours: as[0].HoursPerWeek})
			continue
		}
		for _, a := range as {
			units = append(units, ttUnit{class: classes[a.ClassID], assigns: []*ejournal.Assignment{a}, hours: a.HoursPerWeek})
		}
	}
	weight := func(u ttUnit) int {
		w := 0
		for _, a := range u.assigns {
			w = max(w, load[a.TeacherID])
		}
		return w
	}
	slices.SortStableFunc(units, func(a, b ttUnit) int {
		return cmp.Or(cmp.Compare(len(b.assigns), len(a.assigns)), cmp.Compare(weight(b), weight(a)), cmp.Compare(b.hours, a.hours))
	})
	return units
}

// place finds the day and period of one lesson of u and marks them busy:
// a day with the fewest lessons of the subject so far, then the class's
// lightest day, then the earliest period free for the class and every
// teacher of u.
func (g *ttGrid) place(u *ttUnit) (day, period int, ok bool) {
	limit := basicPeriods
	if u.class.Grade <= 4 {
		limit = primaryPeriods
	}
	subject := counts(g.subject, u.class.ID+"/"+u.assigns[0].SubjectID)
	load := counts(g.load, u.class.ID)
	classBusy := busy(g.class, u.class.ID)
	for extra := 0; extra <= extraPeriods; extra++ {
		best := [3]int{}
		for d := 1; d <= 5; d++ {
			for pd := 1; pd <= limit+extra; pd++ {
				if classBusy[d][pd] || g.teachersBusy(u, d, pd) {
					continue
				}
				score := [3]int{subject[d], load[d], pd}
				if !ok || slices.Compare(score[:], best[:]) < 0 {
					day, period, best, ok = d, pd, score, true
				}
				break // the earliest free period of the day
			}
		}
		if ok {
			break
		}
	}
	if !ok {
		return 0, 0, false
	}
	g.mark(u, day, period, true)
	subject[day]++
	load[day]++
	return day, period, true
}

// TermOf returns the term of the demo year that contains today, or else
// the next one to start (in a holiday), or else (after the year) the first.
func TermOf(today ejournal.Date) ejournal.Term {
	terms := year(SchoolID).Terms
	for _, t := range terms {
		if today <= t.End {
			return t
		}
	}
	return terms[0]
}

// TimetableStore is what the demo timetable is written to.
type TimetableStore interface {
	ejournal.TimetableService
	ejournal.LessonGenerator
	// SaveTimetableEntries creates many entries of a year at once.
	SaveTimetableEntries(ctx context.Context, schoolID, yearID string, entries []*ejournal.TimetableEntry) error
}

// SeedTimetable writes the timetable entries of the demo schools that are
// not there yet and, for each school that got some, makes the lessons of
// the term TermOf(the date of now in the school's time zone). It reports
// the entries and the lessons it made.
func SeedTimetable(ctx context.Context, s TimetableStore, now time.Time) (entries, lessons int, err error) {
	loc, err := time.LoadLocation(timeZone)
	if err != nil {
		loc = time.UTC
	}
	term := TermOf(ejournal.DateOf(now.In(loc)))
	for _, spec := range schools {
		sid := spec.school.ID
		old, err := s.TimetableEntries(ctx, sid, YearID)
		if err != nil {
			return entries, lessons, fmt.Errorf("demo timetable of %s: %w", sid, err)
		}
		all, err := Timetable(sid)
		if err != nil {
			return entries, lessons, err
		}
		var missing []*ejournal.TimetableEntry
		for _, e := range all {
			if !slices.ContainsFunc(old, func(o *ejournal.TimetableEntry) bool { return o.ID == e.ID }) {
				missing = append(missing, e)
			}
		}
		if len(missing) == 0 {
			continue
		}
		if err := s.SaveTimetableEntries(ctx, sid, YearID, missing); err != nil {
			return entries, lessons, fmt.Errorf("demo timetable of %s: %w", sid, err)
		}
		entries += len(missing)
		res, err := s.GenerateLessons(ctx, sid, YearID, "", term.Start, term.End)
		if err != nil {
			return entries, lessons, fmt.Errorf("demo lessons of %s: %w", sid, err)
		}
		lessons += res.Created
	}
	return entries, lessons, nil
}
