package ejournal

import (
	"cmp"
	"slices"
	"strings"
)

// Reports (Step 6, §13.1, §13.4): performance figures at every level
// (class, parallel, subject, teacher, school), the class summary sheet, the
// class teacher's term report and the attendance report. Everything here is
// computed from records the store has read; nothing is stored. Each report
// is taken as of a period end: the roll as it stood at the end of that day.
//
// Rounding: every percentage, СОУ and average is a Hundredths rounded to two
// decimals half away from zero (all of them are non-negative, so x.xx5 goes
// up: 1/32 = 3.125 % is 3.13 %). Where the base is zero the figure is absent
// (nil; omitted from JSON), never 0 and never NaN.

// RoundingText says how report figures are rounded, for footers of exports.
var RoundingText = T(
	"Проценты, СОУ и средние баллы округлены до сотых, половина — вверх (3,125 → 3,13). Если базы нет (N = 0), показатель не вычисляется.",
	"Percentages, СОУ and averages are rounded to two decimals, half up (3.125 → 3.13). Where there is no base (N = 0) the figure is not computed.")

// Percent returns part × 100 / whole as a percentage rounded to two
// decimals, half up; false when whole is 0.
func Percent(part, whole int) (Hundredths, bool) { return roundRatio(int64(part)*100, int64(whole)) }

// roundRatio returns num / den rounded to two decimals, half away from zero, for
// num ≥ 0 and den > 0; false when den ≤ 0.
func roundRatio(num, den int64) (Hundredths, bool) {
	if den <= 0 {
		return 0, false
	}
	return Hundredths((num*200 + den) / (2 * den)), true
}

// maybe turns a (value, ok) pair into a pointer that is nil when !ok.
func maybe(h Hundredths, ok bool) *Hundredths {
	if !ok {
		return nil
	}
	return &h
}

// Definition says what the success and quality percentages across several
// subjects count: students (the default) or marks.
type Definition string

// Definitions of the percentages.
const (
	// ByStudents counts students: a student is successful when no term
	// mark is 2 or н/а, of quality when every term mark is 4 or 5; N is
	// the number of students with at least one term mark.
	ByStudents Definition = "students"
	// ByMarks counts term marks: N is the number of term marks (5, 4, 3,
	// 2, н/а), success the share of 5, 4 and 3, quality of 5 and 4.
	ByMarks Definition = "marks"
)

// Valid reports whether d is a definition; "" stands for ByStudents.
func (d Definition) Valid() bool { return d == "" || d == ByStudents || d == ByMarks }

// OrDefault returns d, or ByStudents when d is not ByMarks.
func (d Definition) OrDefault() Definition {
	if d == ByMarks {
		return ByMarks
	}
	return ByStudents
}

// Explain says in words what the definition counts, for report headers.
func (d Definition) Explain() Text {
	common := T(
		" Освобождённые (осв.) не входят в N, по нескольким предметам предмет с «осв.» для ученика не учитывается; н/а входит в N как неуспевающий; выбывшие до конца периода не учитываются, прибывшие учитываются. СОУ = (100·N5 + 64·N4 + 36·N3 + 16·N2 + 7·Nна) / N и средний балл (без н/а) всегда считаются по отметкам.",
		" Exempt students (осв.) are not in N; across subjects an exempt subject is ignored for that student; н/а stays in N and counts as failing; students who left before the period end are left out, those who arrived are counted. СОУ = (100·N5 + 64·N4 + 36·N3 + 16·N2 + 7·Nна) / N and the average mark (н/а not included) are always over marks.")
	if d.OrDefault() == ByMarks {
		return T("По отметкам: N — число итоговых отметок (5, 4, 3, 2, н/а); успеваемость — доля отметок 5, 4 и 3, качество — доля 5 и 4."+common.RU,
			"By marks: N is the number of term marks (5, 4, 3, 2, н/а); success is the share of 5, 4 and 3, quality the share of 5 and 4."+common.EN)
	}
	return T("По ученикам: N — число учеников, имеющих хотя бы одну итоговую отметку; успевающий — без 2 и н/а, качество — все отметки 4 и 5."+common.RU,
		"By students: N is the number of students with at least one term mark; a student succeeds with no 2 and no н/а, counts towards quality with every mark 4 or 5."+common.EN)
}

// Category is how a student did across subjects.
type Category string

// Student categories. Exempt subjects are ignored; a student with no
// counted term mark has no category.
const (
	Excellent    Category = "excellent"    // отличник: every mark 5
	Good         Category = "good"         // хорошист: every mark 4 or 5, at least one 4
	Satisfactory Category = "satisfactory" // no 2 and no н/а, at least one 3
	Failing      Category = "failing"      // неуспевающий: a 2 or н/а
)

// markCounts counts term marks by value.
type markCounts struct{ n5, n4, n3, n2, na int }

func (c *markCounts) add(v TermValue) bool {
	switch v {
	case "5":
		c.n5++
	case "4":
		c.n4++
	case "3":
		c.n3++
	case "2":
		c.n2++
	case NotAssessed:
		c.na++
	default:
		return false
	}
	return true
}

func (c markCounts) total() int { return c.n5 + c.n4 + c.n3 + c.n2 + c.na }

func (c markCounts) category() Category {
	switch {
	case c.total() == 0:
		return ""
	case c.n2+c.na > 0:
		return Failing
	case c.n3 > 0:
		return Satisfactory
	case c.n4 > 0:
		return Good
	}
	return Excellent
}

// CategoryOf returns the category of a student with the given term marks
// (осв. and empty values are ignored), "" when none is counted.
func CategoryOf(values []TermValue) Category {
	var c markCounts
	for _, v := range values {
		c.add(v)
	}
	return c.category()
}

// Figures are the performance figures of a set of students over one or
// more subjects. The counts of marks (N5 … Nна, Exempt, NoMark) count
// student × subject cells; the category counts count students.
type Figures struct {
	// Roll counts the students the figures are taken over: for a class,
	// parallel or school everyone on the roll at the period end; for a
	// subject or a teacher the students who study it there.
	Roll int `json:"roll"`
	// Students counts the students with at least one counted term mark
	// (5, 4, 3, 2 or н/а); for one subject Students = Roll − Exempt − NoMark.
	Students int `json:"students"`
	// Marks counts the term marks 5, 4, 3, 2 and н/а.
	Marks int `json:"marks"`
	// N is the base of Success and Quality: Students or Marks by the
	// report's Definition (the same number for a single subject).
	N  int `json:"n"`
	N5 int `json:"n5"`
	N4 int `json:"n4"`
	N3 int `json:"n3"`
	N2 int `json:"n2"`
	// NA counts н/а (не аттестован).
	NA int `json:"na"`
	// Exempt counts осв. marks; NoMark the subjects a student studies but
	// has no term mark in.
	Exempt int `json:"exempt"`
	NoMark int `json:"no_mark"`
	// Incomplete counts the students in Students who lack a term mark in
	// a subject they study: their category rests on the marks they have.
	Incomplete   int `json:"incomplete"`
	Excellent    int `json:"excellent"`
	Good         int `json:"good"`
	Satisfactory int `json:"satisfactory"`
	Failing      int `json:"failing"`
	// Success (успеваемость) and Quality (качество знаний), in %.
	Success *Hundredths `json:"success,omitempty"`
	Quality *Hundredths `json:"quality,omitempty"`
	// SOU is the degree of learning (СОУ, Simonov) in %:
	// (100·N5 + 64·N4 + 36·N3 + 16·N2 + 7·Nна) / Marks.
	SOU *Hundredths `json:"sou,omitempty"`
	// Average is the mean of the marks 5 to 2 (н/а not included).
	Average *Hundredths `json:"average,omitempty"`
}

// cell is one student × subject of a report: the value (a term mark, a
// projected one, or "" for none) and the teachers who teach it.
type cell struct {
	student  *RosterEntry
	subject  string
	value    TermValue
	teachers []string
}

// figuresOf computes the figures of cells under def. Roll is the number of
// distinct students of cells; callers over a roll set it themselves.
func figuresOf(cells []*cell, def Definition) Figures {
	var f Figures
	var all markCounts
	type student struct {
		counts  markCounts
		missing bool
	}
	students := map[string]*student{}
	var order []*student
	for _, c := range cells {
		s := students[c.student.StudentID]
		if s == nil {
			s = &student{}
			students[c.student.StudentID] = s
			order = append(order, s)
		}
		switch {
		case c.value == "":
			f.NoMark++
			s.missing = true
		case c.value == Exempt:
			f.Exempt++
		default:
			all.add(c.value)
			s.counts.add(c.value)
		}
	}
	f.Roll = len(order)
	for _, s := range order {
		switch s.counts.category() {
		case "":
			continue
		case Excellent:
			f.Excellent++
		case Good:
			f.Good++
		case Satisfactory:
			f.Satisfactory++
		case Failing:
			f.Failing++
		}
		f.Students++
		if s.missing {
			f.Incomplete++
		}
	}
	f.N5, f.N4, f.N3, f.N2, f.NA, f.Marks = all.n5, all.n4, all.n3, all.n2, all.na, all.total()
	if def.OrDefault() == ByMarks {
		f.N = f.Marks
		f.Success = maybe(Percent(all.n5+all.n4+all.n3, f.N))
		f.Quality = maybe(Percent(all.n5+all.n4, f.N))
	} else {
		f.N = f.Students
		f.Success = maybe(Percent(f.Excellent+f.Good+f.Satisfactory, f.N))
		f.Quality = maybe(Percent(f.Excellent+f.Good, f.N))
	}
	f.SOU = maybe(roundRatio(int64(100*all.n5+64*all.n4+36*all.n3+16*all.n2+7*all.na), int64(f.Marks)))
	f.Average = maybe(roundRatio(int64(5*all.n5+4*all.n4+3*all.n3+2*all.n2), int64(all.n5+all.n4+all.n3+all.n2)))
	return f
}

// RosterEntry is a student on a class's roll during a period.
type RosterEntry struct {
	StudentID  string `json:"student_id"`
	LastName   string `json:"last_name"`
	FirstName  string `json:"first_name"`
	MiddleName string `json:"middle_name,omitempty"`
	// ClassID is the student's class at the period end or, for one who
	// left, the class left.
	ClassID string `json:"class_id"`
	// Arrived is the day the student came into ClassID (enrolled or
	// transferred in) when that was within the period.
	Arrived Date `json:"arrived,omitempty"`
	// Left is the day the student left the school, when within the period.
	Left Date `json:"left,omitempty"`
}

// FullName is "Last First Middle".
func (e *RosterEntry) FullName() string {
	return strings.TrimSpace(strings.Join([]string{e.LastName, e.FirstName, e.MiddleName}, " "))
}

// OnRoll reports whether the student is on the roll on day d (at its end
// for the period end): arrived on or before d and not left on or before d.
// A movement takes effect on its date, as in the movement report.
func (e *RosterEntry) OnRoll(d Date) bool { return e.Arrived <= d && (e.Left == "" || e.Left > d) }

// rosterNameKey orders names as a Russian list does: by surname, first
// name and patronymic, ignoring case, with ё sorted as е (in UTF-8 ё comes
// after я and Ё before А).
func rosterNameKey(e *RosterEntry) string {
	return yoAsYe.Replace(strings.ToLower(e.LastName + "\x00" + e.FirstName + "\x00" + e.MiddleName))
}

var yoAsYe = strings.NewReplacer("ё", "е")

// SortRoster orders entries by name (see rosterNameKey), then by student id.
func SortRoster(entries []RosterEntry) {
	keys := make(map[string]string, len(entries))
	for i := range entries {
		keys[entries[i].StudentID] = rosterNameKey(&entries[i])
	}
	slices.SortStableFunc(entries, func(a, b RosterEntry) int {
		return cmp.Or(strings.Compare(keys[a.StudentID], keys[b.StudentID]), strings.Compare(a.StudentID, b.StudentID))
	})
}

// RosterAt returns the roll of every class over the period from..to as it
// stood at the end of to, from the school's students as they are now (who
// left included) and their movements: each student in a class at the end
// of to and each student who left the school within the period, with the
// class left and the day; both with the day they came into that class when
// it fell in the period. The classes at the end of to are found as the movement report
// finds them, by undoing the later movements newest first. Entries are in
// name order.
func RosterAt(from, to Date, students []*Person, movements []*Movement) []RosterEntry {
	ms := slices.Clone(movements)
	SortMovements(ms)
	class := classesNow(students)
	split := movedBy(ms, to)
	undoMovements(class, ms[split:])
	history := map[string][]*Movement{} // movements up to the end of to, oldest first
	for _, m := range ms[:split] {
		history[m.StudentID] = append(history[m.StudentID], m)
	}
	var out []RosterEntry
	for _, p := range students {
		if p.Kind != Student {
			continue
		}
		h := history[p.ID]
		e := RosterEntry{StudentID: p.ID, LastName: p.LastName, FirstName: p.FirstName, MiddleName: p.MiddleName, ClassID: class[p.ID]}
		if e.ClassID == "" {
			// Out of every class at the end: listed only if they left in the period.
			if len(h) == 0 || h[len(h)-1].Kind != Leave || h[len(h)-1].Date < from {
				continue
			}
			e.ClassID, e.Left = h[len(h)-1].FromClassID, h[len(h)-1].Date
			h = h[:len(h)-1]
		}
		if n := len(h); n > 0 && h[n-1].ToClassID == e.ClassID && h[n-1].Date >= from {
			e.Arrived = h[n-1].Date
		}
		out = append(out, e)
	}
	SortRoster(out)
	return out
}

// Scope is who and what a report covers: the classes (in display order,
// giving names and grades), the subjects (in column order), the roll, the
// teaching assignments (which subjects each class studies and who teaches
// them) and, for subjects taught in groups, the students of each group.
type Scope struct {
	Classes  []*Class
	Subjects []*Subject
	// Roster is the roll over the period (RosterAt); entries not on the
	// roll at the period end are left out of every report.
	Roster      []RosterEntry
	Assignments []*Assignment
	// Groups maps a group id to its students. A student studies a subject
	// taught only in groups when a member of one of them; without a list
	// for a group, a student with a mark (or attendance) there is taken as
	// one of its students.
	Groups map[string][]string
}

// scopeIndex is a Scope prepared for lookups.
type scopeIndex struct {
	classes  []string // display order: the given classes, then others by id
	class    map[string]*Class
	subjects map[string]int // subject id → column
	subject  map[string]*Subject
	teaching map[[2]string]*teaching // class, subject
	members  map[string]map[string]bool
	// seen notes group × student pairs with a record or a mark on a
	// lesson of the group (see learn).
	seen map[[2]string]bool
}

// teaching is who teaches a subject to a class: the whole class, or groups.
type teaching struct {
	whole  []string
	groups []*Assignment
}

func (s *Scope) index() *scopeIndex {
	x := &scopeIndex{class: map[string]*Class{}, subjects: map[string]int{}, subject: map[string]*Subject{}, teaching: map[[2]string]*teaching{}, members: map[string]map[string]bool{}, seen: map[[2]string]bool{}}
	for _, c := range s.Classes {
		x.class[c.ID] = c
		x.classes = append(x.classes, c.ID)
	}
	var others []string
	for i := range s.Roster {
		if id := s.Roster[i].ClassID; x.class[id] == nil && !slices.Contains(others, id) {
			others = append(others, id)
		}
	}
	slices.Sort(others)
	x.classes = append(x.classes, others...)
	for i, sub := range s.Subjects {
		x.subjects[sub.ID], x.subject[sub.ID] = i, sub
	}
	for _, a := range s.Assignments {
		k := [2]string{a.ClassID, a.SubjectID}
		t := x.teaching[k]
		if t == nil {
			t = &teaching{}
			x.teaching[k] = t
		}
		if a.GroupID == "" {
			if !slices.Contains(t.whole, a.TeacherID) {
				t.whole = append(t.whole, a.TeacherID)
			}
		} else {
			t.groups = append(t.groups, a)
		}
	}
	for g, ids := range s.Groups {
		x.members[g] = map[string]bool{}
		for _, id := range ids {
			x.members[g][id] = true
		}
	}
	return x
}

// subjectOrder compares subject ids by column, unknown ones last by id.
func (x *scopeIndex) subjectOrder(a, b string) int {
	ia, oka := x.subjects[a]
	ib, okb := x.subjects[b]
	switch {
	case oka && okb:
		return cmp.Compare(ia, ib)
	case oka != okb:
		if oka {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// inGroup reports whether a student belongs to group g: listed in Groups,
// or, when the group has no list, with a mark or a record on a lesson of
// the group (see learn).
func (x *scopeIndex) inGroup(g, studentID string) bool {
	if m, ok := x.members[g]; ok {
		return m[studentID]
	}
	return x.seen[[2]string{g, studentID}]
}

// learn notes the students with a record or a mark on a group's lesson.
func (x *scopeIndex) learn(lessons []*Lesson, records []*AttendanceRecord, marks []*Mark) {
	group := map[string]string{}
	for _, l := range lessons {
		if l.GroupID != "" {
			group[l.ID] = l.GroupID
		}
	}
	for _, r := range records {
		if g := group[r.LessonID]; g != "" {
			x.seen[[2]string{g, r.StudentID}] = true
		}
	}
	for _, m := range marks {
		if g := group[m.LessonID]; g != "" {
			x.seen[[2]string{g, m.StudentID}] = true
		}
	}
}

// cellValue is a student's value in a subject and who confirmed it.
type cellValue struct {
	value TermValue
	by    string
}

// studies reports whether the student studies subject in the student's
// class and who teaches it, given the student's value there if has. A
// subject taught to the whole class is studied by all; one taught in
// groups by the groups' students (inGroup), or, for a student in no
// listed group, with a value in it, in the group of the teacher who
// confirmed it. A subject with no assignment is studied only with a value
// in it, and untaught.
func (x *scopeIndex) studies(e *RosterEntry, subject string, v cellValue, has bool) (bool, []string) {
	t := x.teaching[[2]string{e.ClassID, subject}]
	if t == nil {
		return has, nil
	}
	teachers := slices.Clone(t.whole)
	listed := false
	for _, a := range t.groups {
		if m, ok := x.members[a.GroupID]; ok && m[e.StudentID] {
			listed = true
			teachers = appendNew(teachers, a.TeacherID)
		}
	}
	for _, a := range t.groups {
		if _, ok := x.members[a.GroupID]; !listed && !ok && (x.seen[[2]string{a.GroupID, e.StudentID}] || has && v.by == a.TeacherID) {
			teachers = appendNew(teachers, a.TeacherID)
		}
	}
	return len(teachers) > 0 || has, teachers
}

// appendNew appends s to list unless it is there.
func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// cells returns one cell for each subject each student on the roll at end
// studies, in roll order and then column order; values gives a student's
// value in each subject they have one in.
func (x *scopeIndex) cells(roster []RosterEntry, end Date, values map[string]map[string]cellValue) []*cell {
	taught := map[string][]string{}
	for k := range x.teaching {
		taught[k[0]] = append(taught[k[0]], k[1])
	}
	var out []*cell
	for i := range roster {
		e := &roster[i]
		if !e.OnRoll(end) {
			continue
		}
		subjects := slices.Clone(taught[e.ClassID])
		for s := range values[e.StudentID] {
			if !slices.Contains(subjects, s) {
				subjects = append(subjects, s)
			}
		}
		slices.SortFunc(subjects, x.subjectOrder)
		for _, s := range subjects {
			v, has := values[e.StudentID][s]
			if ok, teachers := x.studies(e, s, v, has); ok {
				out = append(out, &cell{student: e, subject: s, value: v.value, teachers: teachers})
			}
		}
	}
	return out
}

// PerformanceInput is what the performance figures of a period are
// computed from.
type PerformanceInput struct {
	Scope
	// Period is the term id (or YearPeriod) whose term marks count.
	Period string
	// End is the period's last day: the roll as it stood at its end.
	End        Date
	Definition Definition
	// TermMarks are the confirmed term marks; those of other periods are
	// ignored.
	TermMarks []*TermMark
}

// values indexes the term marks of the period: student → subject → value.
func (in *PerformanceInput) values() map[string]map[string]cellValue {
	out := map[string]map[string]cellValue{}
	for _, m := range in.TermMarks {
		if m.Period == in.Period {
			putValue(out, m.StudentID, m.SubjectID, cellValue{m.Value, m.ConfirmedBy})
		}
	}
	return out
}

// putValue sets a student's value in a subject.
func putValue(values map[string]map[string]cellValue, student, subject string, v cellValue) {
	if values[student] == nil {
		values[student] = map[string]cellValue{}
	}
	values[student][subject] = v
}

// SubjectFigures are the figures of one subject.
type SubjectFigures struct {
	SubjectID   string  `json:"subject_id"`
	SubjectName string  `json:"subject_name,omitempty"`
	Figures     Figures `json:"figures"`
}

// ClassFigures are a class's figures across its subjects and per subject.
type ClassFigures struct {
	ClassID   string           `json:"class_id"`
	ClassName string           `json:"class_name,omitempty"`
	Grade     int              `json:"grade,omitempty"`
	Figures   Figures          `json:"figures"`
	Subjects  []SubjectFigures `json:"subjects"`
}

// ParallelFigures are the figures of all classes of one grade, counted over
// all their students (not averaged over the classes).
type ParallelFigures struct {
	Grade    int              `json:"grade"`
	ClassIDs []string         `json:"class_ids"`
	Figures  Figures          `json:"figures"`
	Subjects []SubjectFigures `json:"subjects"`
}

// TeachingFigures are the figures of one class × subject a teacher teaches.
type TeachingFigures struct {
	ClassID   string  `json:"class_id"`
	SubjectID string  `json:"subject_id"`
	Figures   Figures `json:"figures"`
}

// TeacherFigures are a teacher's figures over the students and subjects
// they teach (by the assignments), and per class × subject.
type TeacherFigures struct {
	TeacherID string            `json:"teacher_id"`
	Figures   Figures           `json:"figures"`
	Lines     []TeachingFigures `json:"lines"`
}

// Performance is the performance report of a period at every level.
type Performance struct {
	Period     string     `json:"period"`
	End        Date       `json:"end"`
	Definition Definition `json:"definition"`
	// DefinitionText explains the definition; Rounding the rounding.
	DefinitionText Text              `json:"definition_text"`
	Rounding       Text              `json:"rounding"`
	School         Figures           `json:"school"`
	Classes        []ClassFigures    `json:"classes"`
	Parallels      []ParallelFigures `json:"parallels"`
	Subjects       []SubjectFigures  `json:"subjects"`
	Teachers       []TeacherFigures  `json:"teachers"`
}

// BuildPerformance computes the performance figures of in.Period: for each
// class (across subjects and per subject), each parallel, each subject
// across the school, each teacher (the class × subject pairs of their
// assignments) and the school. Only students on the roll at in.End count.
func BuildPerformance(in PerformanceInput) *Performance {
	x := in.index()
	return x.performance(in.Period, in.End, in.Definition.OrDefault(), x.cells(in.Roster, in.End, in.values()), in.Roster)
}

func (x *scopeIndex) performance(period string, end Date, def Definition, cells []*cell, roster []RosterEntry) *Performance {
	p := &Performance{Period: period, End: end, Definition: def, DefinitionText: def.Explain(), Rounding: RoundingText,
		Classes: []ClassFigures{}, Parallels: []ParallelFigures{}, Subjects: []SubjectFigures{}, Teachers: []TeacherFigures{}}
	roll := map[string]int{}
	for i := range roster {
		if roster[i].OnRoll(end) {
			roll[roster[i].ClassID]++
		}
	}
	p.School = figuresOf(cells, def)
	p.School.Roll = 0
	for _, id := range x.classes {
		cc := cellsWhere(cells, func(c *cell) bool { return c.student.ClassID == id })
		if roll[id] == 0 && len(cc) == 0 {
			continue
		}
		cf := ClassFigures{ClassID: id, Figures: figuresOf(cc, def), Subjects: x.bySubject(cc, def)}
		cf.Figures.Roll = roll[id]
		p.School.Roll += roll[id]
		if c := x.class[id]; c != nil {
			cf.ClassName, cf.Grade = c.Name(), c.Grade
		}
		p.Classes = append(p.Classes, cf)
	}
	grades := []int{}
	for _, c := range p.Classes {
		if c.Grade != 0 && !slices.Contains(grades, c.Grade) {
			grades = append(grades, c.Grade)
		}
	}
	slices.Sort(grades)
	for _, g := range grades {
		pf := ParallelFigures{Grade: g, ClassIDs: []string{}}
		for _, c := range p.Classes {
			if c.Grade == g {
				pf.ClassIDs = append(pf.ClassIDs, c.ClassID)
				pf.Figures.Roll += c.Figures.Roll
			}
		}
		gc := cellsWhere(cells, func(c *cell) bool { return slices.Contains(pf.ClassIDs, c.student.ClassID) })
		n := pf.Figures.Roll
		pf.Figures, pf.Subjects = figuresOf(gc, def), x.bySubject(gc, def)
		pf.Figures.Roll = n
		p.Parallels = append(p.Parallels, pf)
	}
	p.Subjects = x.bySubject(cells, def)
	var teachers []string
	for _, c := range cells {
		for _, t := range c.teachers {
			if !slices.Contains(teachers, t) {
				teachers = append(teachers, t)
			}
		}
	}
	slices.Sort(teachers)
	for _, t := range teachers {
		tc := cellsWhere(cells, func(c *cell) bool { return slices.Contains(c.teachers, t) })
		tf := TeacherFigures{TeacherID: t, Figures: figuresOf(tc, def), Lines: []TeachingFigures{}}
		for _, id := range x.classes {
			for _, s := range x.bySubject(cellsWhere(tc, func(c *cell) bool { return c.student.ClassID == id }), def) {
				tf.Lines = append(tf.Lines, TeachingFigures{ClassID: id, SubjectID: s.SubjectID, Figures: s.Figures})
			}
		}
		p.Teachers = append(p.Teachers, tf)
	}
	return p
}

// bySubject computes the figures of each subject of cells, in column order.
func (x *scopeIndex) bySubject(cells []*cell, def Definition) []SubjectFigures {
	var ids []string
	for _, c := range cells {
		if !slices.Contains(ids, c.subject) {
			ids = append(ids, c.subject)
		}
	}
	slices.SortFunc(ids, x.subjectOrder)
	out := []SubjectFigures{}
	for _, id := range ids {
		sf := SubjectFigures{SubjectID: id, Figures: figuresOf(cellsWhere(cells, func(c *cell) bool { return c.subject == id }), def)}
		if s := x.subject[id]; s != nil {
			sf.SubjectName = s.Name
		}
		out = append(out, sf)
	}
	return out
}

func cellsWhere(cells []*cell, keep func(*cell) bool) []*cell {
	var out []*cell
	for _, c := range cells {
		if keep(c) {
			out = append(out, c)
		}
	}
	return out
}

// SheetRow is one student's line of the summary sheet.
type SheetRow struct {
	StudentID string `json:"student_id"`
	Name      string `json:"name"`
	// Arrived is set for a student who arrived during the period.
	Arrived Date `json:"arrived,omitempty"`
	// Marks are the term marks in the order of the sheet's subjects; ""
	// where the student has none or does not study the subject.
	Marks []TermValue `json:"marks"`
	// Average is the mean of the student's marks 5 to 2.
	Average  *Hundredths `json:"average,omitempty"`
	Category Category    `json:"category,omitempty"`
}

// SummarySheet is a class's сводная ведомость for a period: students ×
// subjects term marks with per-subject and class figures. Rows are in name
// order; students who left before the period end are not on it.
type SummarySheet struct {
	ClassID        string           `json:"class_id"`
	ClassName      string           `json:"class_name,omitempty"`
	Period         string           `json:"period"`
	End            Date             `json:"end"`
	Definition     Definition       `json:"definition"`
	DefinitionText Text             `json:"definition_text"`
	Subjects       []SubjectFigures `json:"subjects"`
	Rows           []SheetRow       `json:"rows"`
	Figures        Figures          `json:"figures"`
}

// BuildSummarySheet builds the summary sheet of one class.
func BuildSummarySheet(in PerformanceInput, classID string) *SummarySheet {
	x := in.index()
	roster := classRoster(in.Roster, classID, in.End)
	cells := x.cells(roster, in.End, in.values())
	def := in.Definition.OrDefault()
	sh := &SummarySheet{ClassID: classID, Period: in.Period, End: in.End, Definition: def, DefinitionText: def.Explain(),
		Subjects: x.bySubject(cells, def), Rows: []SheetRow{}, Figures: figuresOf(cells, def)}
	sh.Figures.Roll = len(roster)
	if c := x.class[classID]; c != nil {
		sh.ClassName = c.Name()
	}
	for i := range roster {
		e := &roster[i]
		row := SheetRow{StudentID: e.StudentID, Name: e.FullName(), Arrived: e.Arrived, Marks: make([]TermValue, len(sh.Subjects))}
		var counts markCounts
		for _, c := range cells {
			if c.student != e {
				continue
			}
			row.Marks[slices.IndexFunc(sh.Subjects, func(s SubjectFigures) bool { return s.SubjectID == c.subject })] = c.value
			counts.add(c.value)
		}
		row.Category = counts.category()
		row.Average = maybe(roundRatio(int64(5*counts.n5+4*counts.n4+3*counts.n3+2*counts.n2), int64(counts.n5+counts.n4+counts.n3+counts.n2)))
		sh.Rows = append(sh.Rows, row)
	}
	return sh
}

// classRoster returns the entries of one class on the roll at end, in
// name order.
func classRoster(roster []RosterEntry, classID string, end Date) []RosterEntry {
	var out []RosterEntry
	for _, e := range roster {
		if e.ClassID == classID && e.OnRoll(end) {
			out = append(out, e)
		}
	}
	SortRoster(out)
	return out
}

// StudentSubject names a student and a subject, with the student's term
// mark in it.
type StudentSubject struct {
	StudentID string    `json:"student_id"`
	Name      string    `json:"name"`
	SubjectID string    `json:"subject_id"`
	Value     TermValue `json:"value"`
}

// ClassTeacherReport is the class teacher's term report: the class's
// figures, the students one mark short of a better category, and the
// failing students with the marks concerned.
type ClassTeacherReport struct {
	ClassID        string           `json:"class_id"`
	ClassName      string           `json:"class_name,omitempty"`
	Period         string           `json:"period"`
	End            Date             `json:"end"`
	Definition     Definition       `json:"definition"`
	DefinitionText Text             `json:"definition_text"`
	Figures        Figures          `json:"figures"`
	Subjects       []SubjectFigures `json:"subjects"`
	// OneThree lists the students with exactly one 3 and every other mark
	// 4 or 5 (с одной «3»), with the subject of the 3.
	OneThree []StudentSubject `json:"one_three"`
	// OneFour lists the students with exactly one 4 and every other mark
	// 5 (с одной «4»), with the subject of the 4.
	OneFour []StudentSubject `json:"one_four"`
	// Failing lists each 2 and н/а, student by student.
	Failing []StudentSubject `json:"failing"`
}

// BuildClassTeacherReport builds the class teacher's report of one class.
// Exempt subjects are ignored in the lists as in the categories.
func BuildClassTeacherReport(in PerformanceInput, classID string) *ClassTeacherReport {
	sh := BuildSummarySheet(in, classID)
	r := &ClassTeacherReport{ClassID: classID, ClassName: sh.ClassName, Period: sh.Period, End: sh.End, Definition: sh.Definition,
		DefinitionText: sh.DefinitionText, Figures: sh.Figures, Subjects: sh.Subjects,
		OneThree: []StudentSubject{}, OneFour: []StudentSubject{}, Failing: []StudentSubject{}}
	for _, row := range sh.Rows {
		var counts markCounts
		var three, four string
		for i, v := range row.Marks {
			counts.add(v)
			switch v {
			case "3":
				three = sh.Subjects[i].SubjectID
			case "4":
				four = sh.Subjects[i].SubjectID
			case "2", NotAssessed:
				r.Failing = append(r.Failing, StudentSubject{StudentID: row.StudentID, Name: row.Name, SubjectID: sh.Subjects[i].SubjectID, Value: v})
			}
		}
		switch {
		case counts.n3 == 1 && counts.n2+counts.na == 0:
			r.OneThree = append(r.OneThree, StudentSubject{StudentID: row.StudentID, Name: row.Name, SubjectID: three, Value: "3"})
		case counts.n4 == 1 && counts.n3+counts.n2+counts.na == 0:
			r.OneFour = append(r.OneFour, StudentSubject{StudentID: row.StudentID, Name: row.Name, SubjectID: four, Value: "4"})
		}
	}
	return r
}

// AttendanceInput is what the attendance report of a period is computed
// from: the lessons held (not those still to come) and their records.
type AttendanceInput struct {
	Scope
	From, To Date
	Lessons  []*Lesson
	Records  []*AttendanceRecord
}

// AttendanceFigures sum a student's (or class's) attendance over lessons
// held while on the roll. A lesson held without a record for the student
// counts as attended and is counted in Unrecorded.
type AttendanceFigures struct {
	// Held counts the lessons held (student × lesson for a class).
	Held int `json:"held"`
	// Missed is Ill + Excused + Unexcused; Late is not a miss.
	Missed     int `json:"missed"`
	Ill        int `json:"ill"`
	Excused    int `json:"excused"`
	Unexcused  int `json:"unexcused"`
	Late       int `json:"late"`
	Unrecorded int `json:"unrecorded"`
	// Percent is (Held − Missed) × 100 / Held; absent when Held is 0.
	Percent *Hundredths `json:"percent,omitempty"`
}

func (f *AttendanceFigures) add(t AttendanceTotals, held int) {
	f.Held += held
	f.Missed += t.Missed
	f.Ill += t.Ill
	f.Excused += t.Excused
	f.Unexcused += t.Unexcused
	f.Late += t.Late
	f.Unrecorded += held - t.Lessons
	f.Percent = maybe(Percent(f.Held-f.Missed, f.Held))
}

// StudentAttendance is one student's line of the attendance report.
type StudentAttendance struct {
	StudentID string            `json:"student_id"`
	Name      string            `json:"name"`
	Arrived   Date              `json:"arrived,omitempty"`
	Figures   AttendanceFigures `json:"figures"`
}

// ClassAttendance is a class's part of the attendance report.
type ClassAttendance struct {
	ClassID   string `json:"class_id"`
	ClassName string `json:"class_name,omitempty"`
	// Lessons counts the class's lessons held (group lessons included).
	Lessons  int                 `json:"lessons"`
	Figures  AttendanceFigures   `json:"figures"`
	Students []StudentAttendance `json:"students"`
}

// AttendanceReport is attendance over a period per student, per class and
// for the school, for the students on the roll at the period end.
type AttendanceReport struct {
	From    Date              `json:"from"`
	To      Date              `json:"to"`
	Classes []ClassAttendance `json:"classes"`
	School  AttendanceFigures `json:"school"`
}

// recordKey keys a record by lesson and student.
type recordKey struct{ lesson, student string }

func recordIndex(records []*AttendanceRecord) map[recordKey]*AttendanceRecord {
	out := make(map[recordKey]*AttendanceRecord, len(records))
	for _, r := range records {
		out[recordKey{r.LessonID, r.StudentID}] = r
	}
	return out
}

// lessonsByClass groups lessons by class, keeping their order.
func lessonsByClass(lessons []*Lesson) map[string][]*Lesson {
	out := map[string][]*Lesson{}
	for _, l := range lessons {
		out[l.ClassID] = append(out[l.ClassID], l)
	}
	return out
}

// attends reports whether student e had lesson l: a lesson of e's class on
// a day e was on the roll, to the whole class or to a group of e's.
func (x *scopeIndex) attends(e *RosterEntry, l *Lesson) bool {
	return l.ClassID == e.ClassID && e.OnRoll(l.Date) && (l.GroupID == "" || x.inGroup(l.GroupID, e.StudentID))
}

// attendance sums e's attendance at the lessons that keep says count.
func (x *scopeIndex) attendance(e *RosterEntry, lessons []*Lesson, records map[recordKey]*AttendanceRecord, keep func(*Lesson) bool) AttendanceFigures {
	var t AttendanceTotals
	held := 0
	for _, l := range lessons {
		if !keep(l) || !x.attends(e, l) {
			continue
		}
		held++
		if r := records[recordKey{l.ID, e.StudentID}]; r != nil {
			t.add(r.Code)
		}
	}
	var f AttendanceFigures
	f.add(t, held)
	return f
}

// BuildAttendanceReport sums attendance over in.From..in.To: for each
// student on the roll at in.To the lessons of the class held while the
// student was on the roll (from arrival: a student transferred during the
// period counts in the new class from the transfer), missed ones by
// reason, and late arrivals; classes and the school sum their students.
func BuildAttendanceReport(in AttendanceInput) *AttendanceReport {
	x := in.index()
	x.learn(in.Lessons, in.Records, nil)
	records, byClass := recordIndex(in.Records), lessonsByClass(in.Lessons)
	inPeriod := func(l *Lesson) bool { return l.Date >= in.From && l.Date <= in.To }
	r := &AttendanceReport{From: in.From, To: in.To, Classes: []ClassAttendance{}}
	for _, id := range x.classes {
		roster := classRoster(in.Roster, id, in.To)
		ca := ClassAttendance{ClassID: id, Students: []StudentAttendance{}}
		if c := x.class[id]; c != nil {
			ca.ClassName = c.Name()
		}
		for _, l := range byClass[id] {
			if inPeriod(l) {
				ca.Lessons++
			}
		}
		if len(roster) == 0 && ca.Lessons == 0 {
			continue
		}
		for i := range roster {
			e := &roster[i]
			f := x.attendance(e, byClass[id], records, inPeriod)
			ca.Students = append(ca.Students, StudentAttendance{StudentID: e.StudentID, Name: e.FullName(), Arrived: e.Arrived, Figures: f})
			ca.Figures.add(f.totals(), f.Held)
		}
		r.School.add(ca.Figures.totals(), ca.Figures.Held)
		r.Classes = append(r.Classes, ca)
	}
	return r
}

// totals turns figures back into the record totals they were summed from.
func (f AttendanceFigures) totals() AttendanceTotals {
	return AttendanceTotals{Lessons: f.Held - f.Unrecorded, Missed: f.Missed, Ill: f.Ill, Excused: f.Excused, Unexcused: f.Unexcused, Late: f.Late}
}
