package demo

import (
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"ejournal/internal/ejournal"
)

// The demo journal: marks and attendance at the lessons of the current term
// already held, and term marks of the terms already over, so that the
// dashboards, reports, forecasts and the family's screens have something to
// show. Everything is a pure function of the plan, the lessons and the
// seed's day: each student has a stable ability drawn from a hash of their
// id, and each lesson's marks and absences from hashes of the lesson, the
// student and the week.
//
// It is written through the journal's own services (a lesson's marks, a
// lesson's attendance and a term mark, each with its audit entries), which
// cost DynamoDB Local some 15, 35 and 8 ms of work each. So the demo fills
// only what its accounts look at: the lessons of the last journalWindow
// days of the demo class (marks and attendance) and of the demo teacher in
// her other classes (marks); term marks in every graded subject of the demo
// class and, across the basic school (grades 5–9), in Russian, mathematics
// and the demo teacher's subject.

// journalWindow is how many days before the seed's day the lessons of the
// current term get marks and attendance: the seed's cost stays the same
// however late in the term it runs.
const journalWindow = 21

// blankDays is how many days before the seed's day the demo teacher's
// lessons in the demo class are left blank, for her to fill in: her latest
// lesson there (her subject is taught weekly) is where one tries the
// journal, and where the browser scenarios (web/tests) give, retype and
// take back marks on a lesson without anybody else's.
const blankDays = 7

// demoMarkKey stands for the Idempotency-Key of the requests that give the
// demo's marks: their ids derive from it, the lesson and the teacher
// (ejournal.MarkIDFor), so a seed run again finds the marks it gave.
const demoMarkKey = "demo-journal"

// ungraded subjects are taught without marks (безотметочное обучение):
// ОРКСЭ by the federal rule, ОДНКНР as most schools do. Grade 1 has no
// marks at all.
var ungraded = map[string]bool{ORKSE: true, ODNKNR: true}

func graded(grade int, subject string) bool { return grade >= 2 && !ungraded[subject] }

// workKinds are the heavy (weight 3, a control work) and the light (weight
// 2) written or practical works of a subject, as work type ids of
// ejournal.DefaultGradingSettings; types a school has retired are skipped.
type workKinds struct{ heavy, light []string }

var subjectWorks = map[string]workKinds{
	Russian:       {[]string{"test", "dictation"}, []string{"independent", "check"}},
	Literature:    {[]string{"essay", "test"}, []string{"check"}},
	English:       {[]string{"test"}, []string{"check", "independent"}},
	Mathematics:   {[]string{"test"}, []string{"independent", "check"}},
	Algebra:       {[]string{"test"}, []string{"independent", "check"}},
	Geometry:      {[]string{"test"}, []string{"independent", "check"}},
	Probability:   {[]string{"test"}, []string{"independent"}},
	Informatics:   {[]string{"test"}, []string{"practical"}},
	History:       {[]string{"test"}, []string{"check"}},
	SocialStudies: {[]string{"test"}, []string{"check"}},
	Geography:     {[]string{"test"}, []string{"practical", "check"}},
	Biology:       {[]string{"test"}, []string{"lab", "check"}},
	Physics:       {[]string{"test"}, []string{"lab", "independent"}},
	Chemistry:     {[]string{"test"}, []string{"lab", "practical"}},
	OBZR:          {[]string{"test"}, []string{"practical"}},
	Technology:    {nil, []string{"practical", "project"}},
	Music:         {nil, []string{"project"}},
	Art:           {nil, []string{"project"}},
	PE:            {nil, []string{"practical"}},
}

// How often a journal's lessons have a control work (every heavyEvery-th
// lesson of the term) or a short work (every lightEvery-th, unless it has a
// control work), the share of the students present marked at another
// lesson, and how much marks spread.
const (
	heavyEvery   = 8
	lightEvery   = 6
	markedShare  = 0.20 // to 0.30
	lightMarked  = 0.5
	markSpread   = 0.7 // the standard deviation of a mark around the student's mean
	termSpread   = 0.7 // the width of the noise on a term mark
	subjectRange = 0.6 // the width of a student's talent for a subject
)

// tier is how well a student does overall.
type tier int

const (
	atRisk tier = iota // may get a 2 for the term
	satisfactory
	good
	excellent
)

// profile is a student's standing in the demo journal.
type profile struct {
	tier tier
	// mean is the student's usual mark.
	mean float64
	// weak is a subject the student fails (a 2 or н/а for the last term
	// over), or "".
	weak string
}

// journal is the demo journal of one school as of today.
type journal struct {
	p        *plan
	settings *ejournal.GradingSettings
	today    ejournal.Date
	from     ejournal.Date // the first day of lessons filled
	// blankFrom is the first day the demo teacher's lessons in the demo
	// class are left blank.
	blankFrom ejournal.Date
	term      ejournal.Term
	// roster holds each class's students by id; group their English
	// group, 1 or 2 (the first half of the roster or the second).
	roster   map[string][]*ejournal.Person
	group    map[string]int
	grade    map[string]int
	profiles map[string]profile
	// teacher and student are the demo teacher and the demo student.
	teacher, student string
	weeks            map[string]*weekEvents // see week
}

// newJournal builds the demo journal of p's school as of today, with the
// school's work types from settings.
func newJournal(p *plan, settings *ejournal.GradingSettings, today ejournal.Date) *journal {
	j := &journal{
		p: p, settings: settings, today: today, term: TermOf(today),
		roster: map[string][]*ejournal.Person{}, group: map[string]int{}, grade: map[string]int{},
		profiles: map[string]profile{}, weeks: map[string]*weekEvents{},
	}
	j.from = max(j.term.Start, ejournal.DateOf(today.Time().AddDate(0, 0, -journalWindow)))
	j.blankFrom = ejournal.DateOf(today.Time().AddDate(0, 0, -blankDays))
	if t, _ := p.subjectTeacher(); t != nil {
		j.teacher = t.ID
	}
	if s, _ := p.student(); s != nil {
		j.student = s.ID
	}
	for _, c := range p.classes {
		j.grade[c.ID] = c.Grade
	}
	for _, s := range p.students {
		j.roster[s.ClassID] = append(j.roster[s.ClassID], s)
	}
	for cid, students := range j.roster {
		slices.SortFunc(students, func(a, b *ejournal.Person) int { return strings.Compare(a.ID, b.ID) })
		for i, s := range students {
			j.group[s.ID] = 1 + 2*i/len(students)
		}
		j.rank(cid, students)
	}
	return j
}

// rank gives the students of a class their profiles: ordered by a hash of
// their ids, one or two at risk, about 15% excellent, 45% good and the rest
// satisfactory. An at-risk student is weak in one of the class's core
// subjects. The demo student is a good student weak in the demo teacher's
// subject, so that the family's and the teacher's screens show a debt.
func (j *journal) rank(cid string, students []*ejournal.Person) {
	n := len(students)
	order := slices.Clone(students)
	slices.SortFunc(order, func(a, b *ejournal.Person) int {
		return cmp.Compare(hash(j.p.school.ID, a.ID, "ability"), hash(j.p.school.ID, b.ID, "ability"))
	})
	risky := 1 + int(hash(j.p.school.ID, cid, "at-risk")%2)
	if n < 8 {
		risky = min(1, n)
	}
	best := max(1, (n*15+50)/100)
	goodOnes := (n*45 + 50) / 100
	core := j.coreSubjects(cid)
	for i, s := range order {
		u := unit(j.p.school.ID, s.ID, "mean")
		var pr profile
		switch {
		case i < risky:
			pr = profile{tier: atRisk, mean: 2.8 + 0.25*u}
			if len(core) > 0 {
				pr.weak = core[hash(j.p.school.ID, s.ID, "weak")%uint64(len(core))]
			}
		case i >= n-best:
			pr = profile{tier: excellent, mean: 4.6 + 0.3*u}
		case i >= n-best-goodOnes:
			pr = profile{tier: good, mean: 3.9 + 0.45*u}
		default:
			pr = profile{tier: satisfactory, mean: 3.3 + 0.4*u}
		}
		if s.ID == j.student && j.teacher != "" {
			pr = profile{tier: good, mean: 3.9 + 0.45*u, weak: j.teacherSubject(cid)}
		}
		j.profiles[s.ID] = pr
	}
}

// teacherSubject is the subject the demo teacher teaches class cid, or "".
func (j *journal) teacherSubject(cid string) string {
	for _, a := range j.p.assignments {
		if a.ClassID == cid && a.TeacherID == j.teacher {
			return a.SubjectID
		}
	}
	return ""
}

// coreSubjects are the subjects of class cid whose term marks the demo
// gives across the basic school: Russian, mathematics (algebra from grade
// 7) and the demo teacher's subject, in that order, those the class has.
func (j *journal) coreSubjects(cid string) []string {
	var out []string
	for _, subj := range []string{Russian, Mathematics, Algebra, j.teacherSubject(cid)} {
		if subj != "" && !slices.Contains(out, subj) && j.assigned(cid, subj) {
			out = append(out, subj)
		}
	}
	return out
}

func (j *journal) assigned(cid, subject string) bool {
	return slices.ContainsFunc(j.p.assignments, func(a *ejournal.Assignment) bool { return a.ClassID == cid && a.SubjectID == subject })
}

// journalKey names one journal: a class and a subject.
type journalKey struct{ classID, subjectID string }

// scope returns the journals whose lessons of the current term the demo
// fills (every subject of the demo class, every class of the demo teacher)
// and those that get term marks for the terms over (every graded subject
// of the demo class, the core subjects of grades 5–9), each in a fixed
// order. Attendance is taken in the demo class only.
func (j *journal) scope() (lessons, terms []journalKey) {
	add := func(to *[]journalKey, k journalKey) {
		if !slices.Contains(*to, k) {
			*to = append(*to, k)
		}
	}
	demo := j.p.demoClass
	for _, a := range j.p.assignments {
		if a.ClassID == demo.ID || a.TeacherID == j.teacher {
			add(&lessons, journalKey{a.ClassID, a.SubjectID})
		}
		if a.ClassID == demo.ID && graded(demo.Grade, a.SubjectID) {
			add(&terms, journalKey{a.ClassID, a.SubjectID})
		}
	}
	for _, c := range j.p.classes {
		if c.Grade < 5 {
			continue
		}
		for _, subj := range j.coreSubjects(c.ID) {
			add(&terms, journalKey{c.ID, subj})
		}
	}
	return lessons, terms
}

// finishedTerms are the terms of the year over before the current one.
func (j *journal) finishedTerms() []ejournal.Term {
	var out []ejournal.Term
	for _, t := range j.p.year.Terms {
		if t.End < j.today && t.Start < j.term.Start {
			out = append(out, t)
		}
	}
	return out
}

// fills reports whether the demo fills lesson l: a lesson of the window's
// days before today, but not one of the demo teacher's in the demo class
// of the last blankDays days.
func (j *journal) fills(l *ejournal.Lesson) bool {
	mine := l.ClassID == j.p.demoClass.ID && l.TeacherID == j.teacher
	return l.Date >= j.from && l.Date < j.today && !(mine && l.Date >= j.blankFrom)
}

// lessonEntry is what the demo journal writes at one lesson.
type lessonEntry struct {
	lesson *ejournal.Lesson
	// control says the lesson had a control work, which every student
	// present wrote.
	control bool
	marks   []*ejournal.Mark
	// attendance is every student's record, in the demo class; elsewhere
	// nil (not taken).
	attendance []ejournal.AttendanceRecord
}

// students returns the students of lesson l: its class's, or those of its
// group.
func (j *journal) students(l *ejournal.Lesson) []*ejournal.Person {
	all := j.roster[l.ClassID]
	if l.GroupID == "" {
		return all
	}
	var out []*ejournal.Person
	for _, s := range all {
		if GroupID(l.ClassID, j.group[s.ID]) == l.GroupID {
			out = append(out, s)
		}
	}
	return out
}

// ordinals numbers the lessons of each journal (class, subject and group)
// among lessons, the term's, in date and period order from 1.
func ordinals(lessons []*ejournal.Lesson) map[string]int {
	sorted := slices.Clone(lessons)
	slices.SortFunc(sorted, func(a, b *ejournal.Lesson) int {
		return cmp.Or(strings.Compare(string(a.Date), string(b.Date)), cmp.Compare(a.Period, b.Period), strings.Compare(a.ID, b.ID))
	})
	n := map[string]int{}
	out := map[string]int{}
	for _, l := range sorted {
		k := l.ClassID + "#" + l.SubjectID + "#" + l.GroupID
		n[k]++
		out[l.ID] = n[k]
	}
	return out
}

// entry returns the marks and attendance of lesson l, a lesson the demo
// fills and the n-th of its journal in the term (see ordinals): in
// the demo class every student's attendance, and marks on some of those
// present, given by the lesson's teacher. Every heavyEvery-th lesson of a
// journal has a control work that every student present writes, every
// lightEvery-th a short work marked for about half of them; at the others
// 20 to 30% of them are marked.
func (j *journal) entry(l *ejournal.Lesson, n int) lessonEntry {
	e := lessonEntry{lesson: l}
	var present []*ejournal.Person
	for _, s := range j.students(l) {
		code := j.code(l, s.ID)
		if l.ClassID == j.p.demoClass.ID {
			e.attendance = append(e.attendance, ejournal.AttendanceRecord{StudentID: s.ID, Code: code})
		}
		if !code.Missed() {
			present = append(present, s)
		}
	}
	if !graded(j.grade[l.ClassID], l.SubjectID) || len(present) == 0 {
		return e
	}
	sid := j.p.school.ID
	works := subjectWorks[l.SubjectID]
	heavy, light := j.types(works.heavy), j.types(works.light)
	shift := int(hash(sid, l.ClassID, l.SubjectID, l.GroupID, "works") % heavyEvery)
	pick := func(s *ejournal.Person) float64 { return unit(sid, l.ID, s.ID, "pick") }
	var marked []*ejournal.Person
	var workType string
	var harder float64
	switch {
	case len(heavy) > 0 && (n+shift)%heavyEvery == 0:
		e.control, workType, harder = true, heavy[hash(sid, l.ID, "type")%uint64(len(heavy))], 0.15
		marked = present
	case len(light) > 0 && (n+shift)%lightEvery == 0:
		workType, harder = light[hash(sid, l.ID, "type")%uint64(len(light))], 0.1
		for _, s := range present {
			if pick(s) < lightMarked {
				marked = append(marked, s)
			}
		}
	default:
		many := max(1, int(math.Round(float64(len(present))*(markedShare+0.1*unit(sid, l.ID, "share")))))
		marked = slices.Clone(present)
		slices.SortFunc(marked, func(a, b *ejournal.Person) int { return cmp.Compare(pick(a), pick(b)) })
		marked = marked[:many]
		slices.SortFunc(marked, func(a, b *ejournal.Person) int { return strings.Compare(a.ID, b.ID) })
	}
	for i, s := range marked {
		wt := workType
		if wt == "" {
			wt = j.everyday(unit(sid, l.ID, s.ID, "type"))
		}
		w, _ := j.settings.WorkType(wt)
		e.marks = append(e.marks, &ejournal.Mark{
			ID: l.ID + "_" + ejournal.MarkIDFor(l.ID, l.TeacherID, demoMarkKey, i), SchoolID: l.SchoolID, LessonID: l.ID,
			StudentID: s.ID, Value: markValue(j.mean(s.ID, l.SubjectID)-harder, unit(sid, l.ID, s.ID, "value")),
			WorkType: wt, Weight: w.Weight, TeacherID: l.TeacherID, Date: l.Date,
		})
	}
	return e
}

// types keeps the work types of ids the school has.
func (j *journal) types(ids []string) []string {
	var out []string
	for _, id := range ids {
		if _, ok := j.settings.WorkType(id); ok {
			out = append(out, id)
		}
	}
	return out
}

// everyday is the work type of a mark at an ordinary lesson: an oral
// answer, work in class or homework, else the school's default type.
func (j *journal) everyday(u float64) string {
	id := "homework"
	switch {
	case u < 0.4:
		id = "oral"
	case u < 0.75:
		id = "classwork"
	}
	if _, ok := j.settings.WorkType(id); ok {
		return id
	}
	w, _ := j.settings.DefaultWorkType()
	return w.ID
}

// mean is a student's usual mark in a subject: their mean moved by a
// talent for the subject, or about 2.3 in the subject they are weak in.
func (j *journal) mean(student, subject string) float64 {
	pr := j.profiles[student]
	if pr.weak == subject {
		return 2.2 + 0.2*unit(j.p.school.ID, student, subject, "talent")
	}
	m := pr.mean + subjectRange*(unit(j.p.school.ID, student, subject, "talent")-0.5)
	return min(max(m, 2), 5)
}

// markValue draws a mark from 2 to 5 around mean with u from [0, 1): the
// weight of a mark v is exp(-(v-mean)²/2σ²).
func markValue(mean, u float64) int {
	var w [4]float64
	total := 0.0
	for i := range w {
		d := float64(i+2) - mean
		w[i] = math.Exp(-d * d / (2 * markSpread * markSpread))
		total += w[i]
	}
	u *= total
	for i, x := range w {
		if u < x {
			return i + 2
		}
		u -= x
	}
	return 5
}

// termEntry is a term mark the demo gives, with its student.
type termEntry struct {
	student *ejournal.Person
	mark    *ejournal.TermMark
}

// termMarks returns the term marks of journal k for term t, a term over:
// each student's mean in the subject with some noise, rounded; a student
// weak in the subject gets a 2 for the last term over (н/а for one in
// three of them) and a 3 for those before. The teacher of the student's
// class (or group) confirms it.
func (j *journal) termMarks(k journalKey, t ejournal.Term) []termEntry {
	terms := j.finishedTerms()
	last := len(terms) > 0 && terms[len(terms)-1].ID == t.ID
	sid := j.p.school.ID
	var out []termEntry
	for _, s := range j.roster[k.classID] {
		teacher := j.teacherOf(k, s.ID)
		if teacher == "" {
			continue
		}
		var v ejournal.TermValue
		switch {
		case j.profiles[s.ID].weak != k.subjectID:
			x := j.mean(s.ID, k.subjectID) + termSpread*(unit(sid, s.ID, k.subjectID, t.ID, "term")-0.5)
			v = ejournal.TermValueOf(min(max(int(math.Floor(x+0.5)), 2), 5))
		case !last:
			v = "3"
		case hash(sid, s.ID, "not-assessed")%3 == 0 && s.ID != j.student:
			v = ejournal.NotAssessed
		default:
			v = "2"
		}
		out = append(out, termEntry{student: s, mark: &ejournal.TermMark{
			SchoolID: sid, YearID: YearID, StudentID: s.ID, SubjectID: k.subjectID, Period: t.ID, Value: v, ConfirmedBy: teacher,
		}})
	}
	return out
}

// teacherOf is the teacher who teaches student the subject of journal k.
func (j *journal) teacherOf(k journalKey, student string) string {
	for _, a := range j.p.assignments {
		if a.ClassID == k.classID && a.SubjectID == k.subjectID && (a.GroupID == "" || a.GroupID == GroupID(k.classID, j.group[student])) {
			return a.TeacherID
		}
	}
	return ""
}

// weekEvents are a class's absences in one school week: whole days away
// (ill or excused), single lessons missed without reason and mornings late.
type weekEvents struct {
	days    map[ejournal.Date]map[string]ejournal.AttendanceCode
	lessons map[string]map[string]ejournal.AttendanceCode // "<date>#<period>"
}

// code is student's attendance at lesson l.
func (j *journal) code(l *ejournal.Lesson, student string) ejournal.AttendanceCode {
	w := j.week(l.ClassID, l.Date)
	if c, ok := w.days[l.Date][student]; ok {
		return c
	}
	return w.lessons[fmt.Sprintf("%s#%d", l.Date, l.Period)][student]
}

// week returns the absences of class cid in the week (Monday to Friday) of
// d: a student ill for one to three days (a second one with chance 40%),
// with chance 35% a student away for a day with a reason, one or two
// lessons missed without reason (half of them by a student at risk) and up
// to two students late for the first lesson. It keeps each week it made.
func (j *journal) week(cid string, d ejournal.Date) *weekEvents {
	t := d.Time()
	monday := ejournal.DateOf(t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7)))
	key := cid + "#" + string(monday)
	if w := j.weeks[key]; w != nil {
		return w
	}
	w := &weekEvents{days: map[ejournal.Date]map[string]ejournal.AttendanceCode{}, lessons: map[string]map[string]ejournal.AttendanceCode{}}
	j.weeks[key] = w
	students := j.roster[cid]
	if len(students) == 0 {
		return w
	}
	sid := j.p.school.ID
	day := func(i int) ejournal.Date { return ejournal.DateOf(monday.Time().AddDate(0, 0, i)) }
	who := func(what string) string { return students[hash(sid, key, what, "who")%uint64(len(students))].ID }
	away := func(date ejournal.Date, student string, c ejournal.AttendanceCode) {
		if w.days[date] == nil {
			w.days[date] = map[string]ejournal.AttendanceCode{}
		}
		if _, ok := w.days[date][student]; !ok {
			w.days[date][student] = c
		}
	}
	for i, chance := range []float64{1, 0.4} {
		what := fmt.Sprintf("ill%d", i)
		if unit(sid, key, what) >= chance {
			continue
		}
		first, n := int(hash(sid, key, what, "day")%5), 1+int(hash(sid, key, what, "days")%3)
		for k := first; k < min(first+n, 5); k++ {
			away(day(k), who(what), ejournal.Ill)
		}
	}
	if unit(sid, key, "excused") < 0.35 {
		away(day(int(hash(sid, key, "excused", "day")%5)), who("excused"), ejournal.Excused)
	}
	var risky []string
	for _, s := range students {
		if j.profiles[s.ID].tier == atRisk {
			risky = append(risky, s.ID)
		}
	}
	lesson := func(date ejournal.Date, period int, student string, c ejournal.AttendanceCode) {
		k := fmt.Sprintf("%s#%d", date, period)
		if w.lessons[k] == nil {
			w.lessons[k] = map[string]ejournal.AttendanceCode{}
		}
		w.lessons[k][student] = c
	}
	for i := range 1 + int(hash(sid, key, "absent")%2) {
		what := fmt.Sprintf("absent%d", i)
		student := who(what)
		if len(risky) > 0 && unit(sid, key, what, "risky") < 0.5 {
			student = risky[hash(sid, key, what, "risky")%uint64(len(risky))]
		}
		lesson(day(int(hash(sid, key, what, "day")%5)), 2+int(hash(sid, key, what, "period")%5), student, ejournal.Absent)
	}
	for i := range int(hash(sid, key, "late") % 3) {
		what := fmt.Sprintf("late%d", i)
		lesson(day(int(hash(sid, key, what, "day")%5)), 1, who(what), ejournal.Late)
	}
	return w
}

// hash is a 64-bit hash of parts (FNV-1a, then mixed so that nearby
// inputs give unrelated outputs).
func hash(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0x1f})
	}
	x := h.Sum64()
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// unit is a number from [0, 1) drawn from parts.
func unit(parts ...string) float64 { return float64(hash(parts...)>>11) / (1 << 53) }

// JournalStore is what the demo journal is read from and written to.
type JournalStore interface {
	GradingSettings(ctx context.Context, schoolID, yearID string) (*ejournal.GradingSettings, error)
	ClassJournal(ctx context.Context, schoolID, classID, subjectID, yearID string, term ejournal.Term) (*ejournal.JournalData, error)
	CreateMarks(ctx context.Context, l *ejournal.Lesson, marks []*ejournal.Mark) error
	SetLessonAttendance(ctx context.Context, l *ejournal.Lesson, records []ejournal.AttendanceRecord) ([]*ejournal.AttendanceRecord, int, error)
	TermSheet(ctx context.Context, schoolID, classID, subjectID, period string) ([]ejournal.TermSheetRow, error)
	SetTermMark(ctx context.Context, student *ejournal.Person, m *ejournal.TermMark) error
}

// JournalCounts are what SeedJournal wrote.
type JournalCounts struct {
	// Lessons got marks or attendance; at ControlWorks of them every
	// student present wrote a control work.
	Lessons, ControlWorks int
	Marks                 int
	// Attendance records, of which Absences are н, б or у and Late о.
	Attendance, Absences, Late int
	TermMarks                  int
}

func (c *JournalCounts) add(o JournalCounts) {
	c.Lessons += o.Lessons
	c.ControlWorks += o.ControlWorks
	c.Marks += o.Marks
	c.Attendance += o.Attendance
	c.Absences += o.Absences
	c.Late += o.Late
	c.TermMarks += o.TermMarks
}

// SeedJournal writes the demo journal of the demo schools as of the date of
// now in the schools' time zone (see the comment at the top): what is
// there already is left as it is, so a seed cut short is completed by the
// next one and a second one writes nothing. It reports what it wrote.
func SeedJournal(ctx context.Context, s JournalStore, now time.Time) (JournalCounts, error) {
	var total JournalCounts
	ps, err := plans()
	if err != nil {
		return total, err
	}
	loc, err := time.LoadLocation(timeZone)
	if err != nil {
		loc = time.UTC
	}
	today := ejournal.DateOf(now.In(loc))
	for _, p := range ps {
		if p.demoClass == nil {
			continue
		}
		c, err := seedJournal(ctx, s, p, today)
		total.add(c)
		if err != nil {
			return total, fmt.Errorf("demo journal of %s: %w", p.school.ID, err)
		}
	}
	return total, nil
}

// seedJournal writes the demo journal of p's school: it reads the journals
// in scope (what they hold), then writes what is missing, a lesson or a
// journal's term marks at a time, each as its teacher.
func seedJournal(ctx context.Context, s JournalStore, p *plan, today ejournal.Date) (JournalCounts, error) {
	var counts JournalCounts
	sid := p.school.ID
	settings, err := s.GradingSettings(ctx, sid, YearID)
	if err != nil {
		return counts, err
	}
	j := newJournal(p, settings, today)
	lessonKeys, termKeys := j.scope()
	terms := j.finishedTerms()

	// What is there: the journals of the current term, the term sheets of
	// the terms over.
	var mu sync.Mutex
	var lessons []*ejournal.Lesson
	marked, taken := map[string]bool{}, map[string]bool{}
	confirmed := map[string]bool{} // "<term>#<subject>#<student>"
	var reads []job
	for _, k := range lessonKeys {
		reads = append(reads, func(ctx context.Context) error {
			jd, err := s.ClassJournal(ctx, sid, k.classID, k.subjectID, YearID, j.term)
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			lessons = append(lessons, jd.Lessons...)
			for _, m := range jd.Marks {
				marked[m.LessonID] = true
			}
			for _, a := range jd.Attendance {
				taken[a.LessonID] = true
			}
			return nil
		})
	}
	for _, t := range terms {
		for _, k := range termKeys {
			reads = append(reads, func(ctx context.Context) error {
				rows, err := s.TermSheet(ctx, sid, k.classID, k.subjectID, t.ID)
				if err != nil {
					return err
				}
				mu.Lock()
				defer mu.Unlock()
				for _, r := range rows {
					if r.Confirmed != nil {
						confirmed[t.ID+"#"+k.subjectID+"#"+r.Student.ID] = true
					}
				}
				return nil
			})
		}
	}
	if err := runAll(ctx, reads); err != nil {
		return counts, err
	}

	// What is missing, a job per lesson and per journal's term marks.
	slices.SortFunc(lessons, func(a, b *ejournal.Lesson) int { return strings.Compare(a.ID, b.ID) })
	lessons = slices.CompactFunc(lessons, func(a, b *ejournal.Lesson) bool { return a.ID == b.ID })
	nth := ordinals(lessons)
	count := func(c JournalCounts) {
		mu.Lock()
		defer mu.Unlock()
		counts.add(c)
	}
	var jobs []job
	for _, l := range lessons {
		if !j.fills(l) {
			continue
		}
		e := j.entry(l, nth[l.ID])
		writeMarks := len(e.marks) > 0 && !marked[l.ID]
		writeAttendance := len(e.attendance) > 0 && !taken[l.ID]
		if !writeMarks && !writeAttendance {
			continue
		}
		jobs = append(jobs, func(ctx context.Context) error {
			ctx = as(ctx, sid, l.TeacherID)
			if writeMarks {
				if err := s.CreateMarks(ctx, l, e.marks); err != nil {
					return fmt.Errorf("marks of lesson %s: %w", l.ID, err)
				}
				c := JournalCounts{Lessons: 1, Marks: len(e.marks)}
				if e.control {
					c.ControlWorks = 1
				}
				count(c)
			}
			if writeAttendance {
				all, n, err := s.SetLessonAttendance(ctx, l, e.attendance)
				if err != nil {
					return fmt.Errorf("attendance of lesson %s: %w", l.ID, err)
				}
				c := JournalCounts{Attendance: n}
				if !writeMarks {
					c.Lessons = 1
				}
				for _, r := range all {
					switch {
					case r.Code.Missed():
						c.Absences++
					case r.Code == ejournal.Late:
						c.Late++
					}
				}
				count(c)
			}
			return nil
		})
	}
	for _, t := range terms {
		for _, k := range termKeys {
			var missing []termEntry
			for _, te := range j.termMarks(k, t) {
				if !confirmed[t.ID+"#"+k.subjectID+"#"+te.student.ID] {
					missing = append(missing, te)
				}
			}
			if len(missing) == 0 {
				continue
			}
			jobs = append(jobs, func(ctx context.Context) error {
				for _, te := range missing {
					err := s.SetTermMark(as(ctx, sid, te.mark.ConfirmedBy), te.student, te.mark)
					switch {
					case err == nil:
						count(JournalCounts{TermMarks: 1})
					case ejournal.ErrorCode(err) != ejournal.ECONFLICT: // given meanwhile
						return fmt.Errorf("term mark of %s in %s for %s: %w", te.student.ID, k.subjectID, t.ID, err)
					}
				}
				return nil
			})
		}
	}
	err = runAll(ctx, jobs)
	return counts, err
}

// as is ctx acting as teacher of school sid: marks, attendance and term
// marks record who gave them from the request's principal.
func as(ctx context.Context, sid, teacher string) context.Context {
	return ejournal.WithPrincipal(ctx, &ejournal.Principal{PersonID: teacher, SchoolID: sid, Roles: []ejournal.Role{ejournal.Teacher}})
}
