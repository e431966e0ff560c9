package ejournal

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// Lessons from the timetable (Step 4). A generated lesson's id is derived
// from its timetable entry and date, so generating the same dates again
// finds the lessons it made before instead of making new ones, and a
// generated lesson moved by hand to another date or period keeps its id.

// CheckGenerateRange checks the dates from..to of a generation in year:
// real dates inside the year, from not after to, and to before the same
// date a year after from. It is EINVALID naming "from" or "to".
func CheckGenerateRange(year *SchoolYear, from, to Date) error {
	p := Problems{}
	for field, d := range map[string]Date{"from": from, "to": to} {
		switch {
		case !d.Valid():
			p.Add(field, dateText)
		case d < year.Start || d > year.End:
			p.Add(field, T("Дата должна лежать внутри учебного года.", "The date must lie inside the school year."))
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	if from > to {
		return Problems{"to": T("Конец периода не может быть раньше начала.", "The end of the range cannot be before its start.")}.Err()
	}
	if !to.Time().Before(from.Time().AddDate(1, 0, 0)) {
		return Problems{"to": T("Период — не длиннее года.", "The range may be at most a year long.")}.Err()
	}
	return nil
}

// GeneratedLessonID returns the id of the lesson that timetable entry
// entryID gives on date d: "t-<entryID>-<yyyymmdd>". An entry id that would
// make the lesson id too long, or that holds '_' (which lesson ids may not
// hold), is replaced by a hash of it, so the id stays deterministic.
func GeneratedLessonID(entryID string, d Date) string {
	day := strings.ReplaceAll(string(d), "-", "")
	id := "t-" + entryID + "-" + day
	if !ValidID(id) || strings.Contains(id, "_") {
		sum := sha256.Sum256([]byte(entryID))
		id = "t-" + hex.EncodeToString(sum[:10]) + "-" + day
	}
	return id
}

// GeneratedLessonDate returns the date a generated lesson's id was made
// for, which stays the same when the lesson is moved by hand; false for an
// id not made by GeneratedLessonID.
func GeneratedLessonDate(id string) (Date, bool) {
	if !strings.HasPrefix(id, "t-") || len(id) < 11 || id[len(id)-9] != '-' {
		return "", false
	}
	day := id[len(id)-8:]
	return ParseDate(day[:4] + "-" + day[4:6] + "-" + day[6:])
}

// ExpectedLessons returns the lessons the timetable gives from..to: for each
// school day of cal, each entry of classID (every class when empty) active
// on that day and held on its weekday. A substitution puts its substitute in
// TeacherID with the entry's teacher in RegularTeacherID (and its room, when
// it names one); a cancelled lesson is left out. The lessons are in date,
// class, period and group order and carry no version.
func ExpectedLessons(entries []*TimetableEntry, cal *Calendar, subs []*Substitution, from, to Date, classID string) []*Lesson {
	type slot struct {
		entry string
		date  Date
	}
	bySlot := map[slot]*Substitution{}
	for _, s := range subs {
		bySlot[slot{s.EntryID, s.Date}] = s
	}
	var es []*TimetableEntry
	for _, e := range entries {
		if classID == "" || e.ClassID == classID {
			es = append(es, e)
		}
	}
	slices.SortFunc(es, func(a, b *TimetableEntry) int {
		return genCmp(strings.Compare(a.ClassID, b.ClassID), a.Period-b.Period, strings.Compare(a.GroupID, b.GroupID), strings.Compare(a.ID, b.ID))
	})
	var out []*Lesson
	start, end := from.Time(), to.Time()
	if start.IsZero() || end.IsZero() {
		return nil
	}
	for t := start; !t.After(end); t = t.AddDate(0, 0, 1) {
		d := DateOf(t)
		if !cal.IsSchoolDay(d) {
			continue
		}
		for _, e := range es {
			if !e.ActiveOn(d) {
				continue
			}
			l := &Lesson{
				ID: GeneratedLessonID(e.ID, d), SchoolID: e.SchoolID, YearID: e.YearID, Date: d,
				ClassID: e.ClassID, GroupID: e.GroupID, SubjectID: e.SubjectID, TeacherID: e.TeacherID,
				Period: e.Period, Room: e.Room, Source: TimetableLesson, TimetableEntryID: e.ID,
			}
			if s := bySlot[slot{e.ID, d}]; s != nil {
				if s.Cancelled {
					continue
				}
				if s.TeacherID != "" && s.TeacherID != e.TeacherID {
					l.TeacherID, l.RegularTeacherID = s.TeacherID, e.TeacherID
				}
				if s.Room != "" {
					l.Room = s.Room
				}
			}
			out = append(out, l)
		}
	}
	return out
}

// genCmp returns the first of cs that is not 0.
func genCmp(cs ...int) int {
	for _, c := range cs {
		if c != 0 {
			return c
		}
	}
	return 0
}

// LessonChanges is what Reconcile decides: the lessons to create, those to
// update (at the version they were read), those to delete, and counts of
// those left as they are.
type LessonChanges struct {
	Create []*Lesson
	Update []*Lesson
	Delete []*Lesson
	// Unchanged are generated lessons already as the timetable says.
	Unchanged int
	// Kept are generated lessons no longer in the timetable that stay
	// because they hold marks, attendance, a topic or homework.
	Kept int
	// Skipped are expected lessons not created because another lesson (made
	// or moved by hand) already takes their period.
	Skipped int
}

// Result counts the changes as a GenerateResult.
func (c *LessonChanges) Result() *GenerateResult {
	return &GenerateResult{Created: len(c.Create), Updated: len(c.Update), Deleted: len(c.Delete), Unchanged: c.Unchanged, Kept: c.Kept, Skipped: c.Skipped}
}

// Reconcile compares the expected lessons of some dates (ExpectedLessons)
// with the existing lessons of the same dates and classes, and decides what
// to write:
//   - an expected lesson that does not exist is created, unless another
//     lesson of its class (and group) takes its period that day;
//   - an existing generated lesson whose teacher, regular teacher or room
//     differ from the expected one is updated in those fields only: its
//     date and period (perhaps moved by hand), topic, homework and the rest
//     stay;
//   - an existing generated lesson no longer expected is deleted, unless
//     it has a topic typed by hand, homework, or hasRecords (marks or
//     attendance) says it has records: then it is kept. hasRecords is asked
//     only about those lessons.
//
// Hand-made lessons are never changed. Created and updated lessons are new
// values; existing ones are not modified.
func Reconcile(expected, existing []*Lesson, hasRecords func(lessonID string) bool) *LessonChanges {
	c := &LessonChanges{}
	want := make(map[string]bool, len(expected))
	for _, e := range expected {
		want[e.ID] = true
	}
	byID := make(map[string]*Lesson, len(existing))
	staying := map[genSlot][]*Lesson{}
	for _, l := range existing {
		byID[l.ID] = l
		switch {
		case l.Source != TimetableLesson || want[l.ID]:
			staying[genSlotOf(l)] = append(staying[genSlotOf(l)], l)
		case genHasContent(l) || hasRecords(l.ID):
			c.Kept++
			staying[genSlotOf(l)] = append(staying[genSlotOf(l)], l)
		default:
			c.Delete = append(c.Delete, l)
		}
	}
	for _, e := range expected {
		old, ok := byID[e.ID]
		switch {
		case !ok && genTakes(staying[genSlotOf(e)], e):
			c.Skipped++
		case !ok:
			c.Create = append(c.Create, e)
		case old.TeacherID == e.TeacherID && old.RegularTeacherID == e.RegularTeacherID && old.Room == e.Room:
			c.Unchanged++
		default:
			u := *old
			u.TeacherID, u.RegularTeacherID, u.Room = e.TeacherID, e.RegularTeacherID, e.Room
			c.Update = append(c.Update, &u)
		}
	}
	return c
}

// genSlot is a period of a class on a date.
type genSlot struct {
	class  string
	date   Date
	period int
}

func genSlotOf(l *Lesson) genSlot { return genSlot{l.ClassID, l.Date, l.Period} }

// genTakes reports whether one of lessons, all in l's slot, takes l's period:
// one for the whole class, or for l's group, or l is for the whole class.
func genTakes(lessons []*Lesson, l *Lesson) bool {
	return slices.ContainsFunc(lessons, func(o *Lesson) bool {
		return o.GroupID == "" || l.GroupID == "" || o.GroupID == l.GroupID
	})
}

// genHasContent reports whether a lesson holds something a teacher wrote: a
// topic not taken from the plan, homework, the control-work flag or a work
// type.
func genHasContent(l *Lesson) bool {
	return l.Topic != "" && l.PlanTopicID == "" || l.Homework != "" || len(l.HomeworkLinks) > 0 || l.ControlWork || l.WorkType != ""
}
