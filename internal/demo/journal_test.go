package demo

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"ejournal/internal/ejournal"
)

// demoSchool is the plan of SchoolID.
func demoSchool(t *testing.T) *plan {
	t.Helper()
	ps, err := plans()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.school.ID == SchoolID {
			return p
		}
	}
	t.Fatal("no demo school")
	return nil
}

// termLessons are the lessons the timetable gives p's school in the term
// of j (every class), as GenerateLessons makes them.
func termLessons(t *testing.T, j *journal) []*ejournal.Lesson {
	t.Helper()
	entries, err := Timetable(j.p.school.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ejournal.ExpectedLessons(entries, ejournal.DefaultCalendar(j.p.school.ID, YearID), nil, j.term.Start, j.term.End, "")
}

// filled are the entries of the lessons SeedJournal fills as of j's day:
// those of the journals in scope it fills.
func filled(t *testing.T, j *journal) []lessonEntry {
	t.Helper()
	keys, _ := j.scope()
	all := termLessons(t, j)
	nth := ordinals(all)
	var out []lessonEntry
	for _, l := range all {
		if slices.Contains(keys, journalKey{l.ClassID, l.SubjectID}) && j.fills(l) {
			out = append(out, j.entry(l, nth[l.ID]))
		}
	}
	return out
}

// TestJournalEntries checks the marks and attendance of the lessons the
// demo fills on several days of the year: only lessons held in the window
// before the day (none on the first day of a term, none after the year),
// the demo teacher's in the demo class only before the last week, marks
// only of students of the lesson's class (and group) who were there, given
// by the lesson's teacher with a work type of the school, attendance of
// every student of the lesson and only in the demo class.
func TestJournalEntries(t *testing.T) {
	t.Parallel()
	p := demoSchool(t)
	settings := ejournal.DefaultGradingSettings(SchoolID, YearID)
	for _, tt := range []struct {
		today   ejournal.Date
		from    ejournal.Date // the first day filled
		lessons bool
		// teacher: some of the demo teacher's lessons in the demo class filled
		teacher bool
	}{
		{today: "2026-11-30", from: "2026-11-09", lessons: true, teacher: true},
		{today: "2026-11-05", from: "2026-11-05"},
		{today: "2026-11-06", from: "2026-11-05", lessons: true},
		{today: "2026-12-29", from: "2027-01-12"}, // after the term: q3 is next, and none of its lessons held
		{today: "2027-03-10", from: "2027-02-17", lessons: true, teacher: true},
		{today: "2027-07-01", from: "2027-06-10"},
	} {
		t.Run(string(tt.today), func(t *testing.T) {
			j := newJournal(p, settings, tt.today)
			es := filled(t, j)
			if tt.lessons != (len(es) > 0) {
				t.Fatalf("%d lessons filled, want some: %v", len(es), tt.lessons)
			}
			seen := map[string]bool{}
			blank := ejournal.DateOf(tt.today.Time().AddDate(0, 0, -7))
			teacher := false
			for _, e := range es {
				l := e.lesson
				if l.Date >= tt.today || l.Date < tt.from || l.Date < j.term.Start || l.Date > j.term.End {
					t.Errorf("lesson %s of %s filled on %s", l.ID, l.Date, tt.today)
				}
				if l.TeacherID == TeacherID(20) && l.ClassID == ClassID(5, "А") {
					teacher = true
					if l.Date >= blank {
						t.Errorf("the demo teacher's lesson %s of %s filled on %s", l.ID, l.Date, tt.today)
					}
				}
				students := map[string]bool{}
				for _, s := range p.students {
					if s.ClassID == l.ClassID && (l.GroupID == "" || GroupID(l.ClassID, j.group[s.ID]) == l.GroupID) {
						students[s.ID] = true
					}
				}
				checkAttendance(t, j, e, students)
				away := map[string]bool{} // also where attendance is not taken
				for id := range students {
					away[id] = j.code(l, id).Missed()
				}
				marked := map[string]bool{}
				for _, m := range e.marks {
					w, ok := settings.WorkType(m.WorkType)
					switch {
					case !students[m.StudentID] || marked[m.StudentID] || away[m.StudentID]:
						t.Errorf("lesson %s (%s%s): mark of %s (again %v, away %v)", l.ID, l.ClassID, l.GroupID, m.StudentID, marked[m.StudentID], away[m.StudentID])
					case m.Value < 2 || m.Value > 5 || !ok || m.Weight != w.Weight:
						t.Errorf("lesson %s: mark %d of type %q, weight %v", l.ID, m.Value, m.WorkType, m.Weight)
					case m.TeacherID != l.TeacherID || m.Date != l.Date || m.LessonID != l.ID || m.SchoolID != SchoolID:
						t.Errorf("lesson %s of %s by %s: mark %+v", l.ID, l.Date, l.TeacherID, m)
					case !strings.HasPrefix(m.ID, l.ID+"_") || !ejournal.ValidID(m.ID) || seen[m.ID]:
						t.Errorf("lesson %s: mark id %q", l.ID, m.ID)
					case e.control && w.Weight != 300:
						t.Errorf("lesson %s: a control work marked %s (weight %v)", l.ID, m.WorkType, w.Weight)
					}
					marked[m.StudentID], seen[m.ID] = true, true
				}
				if e.control && len(marked) != len(students)-count(away) {
					t.Errorf("control work at %s: %d marked of %d students, %d away", l.ID, len(marked), len(students), count(away))
				}
				if !graded(j.grade[l.ClassID], l.SubjectID) && len(e.marks) > 0 {
					t.Errorf("lesson %s of %s: marks in an ungraded subject", l.ID, l.SubjectID)
				}
			}
			if teacher != tt.teacher {
				t.Errorf("the demo teacher's lessons in the demo class filled: %v, want %v", teacher, tt.teacher)
			}
		})
	}
}

// checkAttendance checks the attendance of entry e: in the demo class one
// record for each of students, elsewhere none.
func checkAttendance(t *testing.T, j *journal, e lessonEntry, students map[string]bool) {
	t.Helper()
	l := e.lesson
	if l.ClassID != j.p.demoClass.ID {
		if e.attendance != nil {
			t.Errorf("lesson %s of %s: attendance taken outside the demo class", l.ID, l.ClassID)
		}
		return
	}
	got := map[string]bool{}
	for _, r := range e.attendance {
		if !students[r.StudentID] || got[r.StudentID] || !r.Code.Valid() {
			t.Errorf("lesson %s: attendance %+v", l.ID, r)
		}
		got[r.StudentID] = true
	}
	if len(got) != len(students) {
		t.Errorf("lesson %s: attendance of %d students, want %d", l.ID, len(got), len(students))
	}
}

func count(m map[string]bool) int {
	n := 0
	for _, v := range m {
		if v {
			n++
		}
	}
	return n
}

// TestJournalDeterministic builds the journal twice and expects the same
// marks, attendance and term marks, and a later day to keep what an earlier
// one gave the lessons they share.
func TestJournalDeterministic(t *testing.T) {
	t.Parallel()
	p := demoSchool(t)
	settings := ejournal.DefaultGradingSettings(SchoolID, YearID)
	terms := func(j *journal) [][]termEntry {
		var out [][]termEntry
		_, keys := j.scope()
		for _, k := range keys {
			for _, term := range j.finishedTerms() {
				out = append(out, j.termMarks(k, term))
			}
		}
		return out
	}
	a, b := newJournal(p, settings, "2026-11-30"), newJournal(p, settings, "2026-11-30")
	if ea, eb := filled(t, a), filled(t, b); len(ea) == 0 || !reflect.DeepEqual(ea, eb) {
		t.Errorf("two journals of one day differ (%d and %d lessons)", len(ea), len(eb))
	}
	if ta, tb := terms(a), terms(b); len(ta) == 0 || !reflect.DeepEqual(ta, tb) {
		t.Error("two journals of one day give different term marks")
	}
	later := map[string]lessonEntry{}
	for _, e := range filled(t, newJournal(p, settings, "2026-12-03")) {
		later[e.lesson.ID] = e
	}
	shared := 0
	for _, e := range filled(t, a) {
		if l, ok := later[e.lesson.ID]; ok {
			shared++
			if !reflect.DeepEqual(e, l) {
				t.Errorf("lesson %s: filled otherwise three days later", e.lesson.ID)
			}
		}
	}
	if shared == 0 {
		t.Error("the two days share no lesson")
	}
}

// TestJournalDistribution fills every lesson of the school the demo
// would fill in the window (not only those in scope) and checks that the marks look like a
// school's: mostly 4s and 3s, some 5s and few 2s; every class with one or
// two students at risk, whose marks are lower than the excellent students'
// by more than a mark; illness in every class every week and a few
// lessons missed without reason.
func TestJournalDistribution(t *testing.T) {
	t.Parallel()
	p := demoSchool(t)
	j := newJournal(p, ejournal.DefaultGradingSettings(SchoolID, YearID), "2026-11-30")
	all := termLessons(t, j)
	nth := ordinals(all)
	values := map[int]int{}
	byTier := map[tier][]int{}
	marked := map[string]map[string]bool{} // student → subjects
	codes := map[string]map[ejournal.AttendanceCode]int{}
	total := 0
	for _, l := range all {
		if !j.fills(l) {
			continue
		}
		for _, m := range j.entry(l, nth[l.ID]).marks {
			values[m.Value]++
			total++
			byTier[j.profiles[m.StudentID].tier] = append(byTier[j.profiles[m.StudentID].tier], m.Value)
			if marked[m.StudentID] == nil {
				marked[m.StudentID] = map[string]bool{}
			}
			marked[m.StudentID][l.SubjectID] = true
		}
		for _, s := range j.students(l) {
			d := l.Date.Time()
			k := l.ClassID + " " + string(ejournal.DateOf(d.AddDate(0, 0, -((int(d.Weekday())+6)%7))))
			if codes[k] == nil {
				codes[k] = map[ejournal.AttendanceCode]int{}
			}
			codes[k][j.code(l, s.ID)]++
		}
	}
	for v, share := range map[int][2]float64{2: {0.02, 0.10}, 3: {0.2, 0.4}, 4: {0.3, 0.55}, 5: {0.1, 0.3}} {
		if got := float64(values[v]) / float64(total); got < share[0] || got > share[1] {
			t.Errorf("%.0f%% of %d marks are %d, want %.0f–%.0f%%", 100*got, total, v, 100*share[0], 100*share[1])
		}
	}
	if lo, hi := average(byTier[atRisk]), average(byTier[excellent]); hi-lo < 1.2 {
		t.Errorf("students at risk average %.2f, excellent ones %.2f", lo, hi)
	}
	for _, c := range p.classes {
		n := 0
		for _, s := range j.roster[c.ID] {
			if j.profiles[s.ID].tier == atRisk {
				n++
				if j.profiles[s.ID].weak == "" && c.Grade >= 5 {
					t.Errorf("%s, at risk in %s, is weak in no subject", s.ID, c.Name())
				}
			}
		}
		if n < 1 || n > 2 {
			t.Errorf("%s: %d students at risk, want 1 or 2", c.Name(), n)
		}
	}
	absent := 0
	for week, n := range codes {
		absent += n[ejournal.Absent]
		if missed := n[ejournal.Ill] + n[ejournal.Excused] + n[ejournal.Absent]; n[ejournal.Ill] == 0 || missed > 60 {
			t.Errorf("class and week %s: %v", week, n)
		}
	}
	if absent < len(codes) {
		t.Errorf("%d lessons missed without reason in %d class-weeks, want more", absent, len(codes))
	}
	if len(marked[j.student]) < 5 {
		t.Errorf("the demo student has marks in %d subjects, want several", len(marked[j.student]))
	}
}

func average(vs []int) float64 {
	sum := 0
	for _, v := range vs {
		sum += v
	}
	return float64(sum) / float64(max(len(vs), 1))
}

// TestJournalTermMarks checks the term marks of the terms over on several
// days: one per student of each journal in scope, none for the current or
// a later term, confirmed by the student's teacher, consistent with the
// student's standing (within a mark of their mean; 2 or н/а for the last
// term over in the subject a student is weak in, 3 before), some 2s and
// н/а across the school, and the demo student's debt in the demo
// teacher's subject.
func TestJournalTermMarks(t *testing.T) {
	t.Parallel()
	p := demoSchool(t)
	settings := ejournal.DefaultGradingSettings(SchoolID, YearID)
	for _, tt := range []struct {
		today ejournal.Date
		terms []string
	}{
		{"2026-10-20", nil},
		{"2026-11-30", []string{"q1"}},
		{"2027-03-10", []string{"q1", "q2"}},
		{"2027-05-20", []string{"q1", "q2", "q3"}},
		{"2027-07-01", nil}, // after the year, TermOf is q1 again
	} {
		t.Run(string(tt.today), func(t *testing.T) {
			j := newJournal(p, settings, tt.today)
			var terms []string
			for _, term := range j.finishedTerms() {
				terms = append(terms, term.ID)
			}
			if !slices.Equal(terms, tt.terms) {
				t.Fatalf("terms over %v, want %v", terms, tt.terms)
			}
			_, keys := j.scope()
			values := map[ejournal.TermValue]int{}
			for ti, term := range j.finishedTerms() {
				last := ti == len(terms)-1
				for _, k := range keys {
					es := j.termMarks(k, term)
					if len(es) != len(j.roster[k.classID]) {
						t.Errorf("%s %s %s: %d term marks for %d students", term.ID, k.classID, k.subjectID, len(es), len(j.roster[k.classID]))
					}
					for _, e := range es {
						checkTermMark(t, j, k, e, last)
						values[e.mark.Value]++
					}
				}
			}
			if len(terms) > 0 && (values["2"] == 0 || values[ejournal.NotAssessed] == 0 || values["5"] == 0) {
				t.Errorf("term marks %v, want some 5s, 2s and н/а", values)
			}
		})
	}
}

func checkTermMark(t *testing.T, j *journal, k journalKey, e termEntry, last bool) {
	t.Helper()
	m, pr := e.mark, j.profiles[e.student.ID]
	where := fmt.Sprintf("%s %s %s of %s", m.Period, k.classID, k.subjectID, e.student.ID)
	if m.StudentID != e.student.ID || e.student.ClassID != k.classID || m.SubjectID != k.subjectID || m.YearID != YearID || m.ConfirmedBy != j.teacherOf(k, e.student.ID) || m.ConfirmedBy == "" {
		t.Errorf("%s: %+v", where, m)
	}
	confirmed := *m
	confirmed.ConfirmedAt = j.today.Time() // SetTermMark sets it
	if err := confirmed.Validate(j.p.year); err != nil || m.Value == ejournal.Exempt {
		t.Errorf("%s: value %q, %v", where, m.Value, err)
	}
	n, ok := m.Value.Number()
	switch {
	case pr.weak == k.subjectID && last:
		if !m.Value.Debt() {
			t.Errorf("%s, weak in the subject: %s for the last term over", where, m.Value)
		}
	case pr.weak == k.subjectID:
		if m.Value != "3" {
			t.Errorf("%s, weak in the subject: %s for an earlier term", where, m.Value)
		}
	case !ok || math.Abs(float64(n)-j.mean(e.student.ID, k.subjectID)) > 1:
		t.Errorf("%s: %s, mean %.2f", where, m.Value, j.mean(e.student.ID, k.subjectID))
	}
	if e.student.ID == j.student && k.subjectID == Geography && last && m.Value != "2" {
		t.Errorf("the demo student's %s: %s, want the debt 2", where, m.Value)
	}
}

// TestJournalScope checks what the demo fills: every subject of the demo
// class and the demo teacher's classes; term marks in the demo class's
// graded subjects and in the core subjects of grades 5–9.
func TestJournalScope(t *testing.T) {
	t.Parallel()
	p := demoSchool(t)
	j := newJournal(p, ejournal.DefaultGradingSettings(SchoolID, YearID), "2026-11-30")
	lessons, terms := j.scope()
	if j.teacher != TeacherID(20) || p.demoClass.ID != ClassID(5, "А") {
		t.Fatalf("demo teacher %s, demo class %s", j.teacher, p.demoClass.ID)
	}
	for _, tt := range []struct {
		keys []journalKey
		k    journalKey
		want bool
	}{
		{lessons, journalKey{ClassID(5, "А"), Russian}, true},
		{lessons, journalKey{ClassID(5, "А"), ODNKNR}, true},
		{lessons, journalKey{ClassID(5, "А"), English}, true},
		{lessons, journalKey{ClassID(9, "Б"), Geography}, true},
		{lessons, journalKey{ClassID(9, "Б"), Algebra}, false},
		{lessons, journalKey{ClassID(3, "А"), Russian}, false},
		{terms, journalKey{ClassID(5, "А"), Music}, true},
		{terms, journalKey{ClassID(5, "А"), ODNKNR}, false},
		{terms, journalKey{ClassID(7, "А"), Algebra}, true},
		{terms, journalKey{ClassID(7, "А"), Mathematics}, false},
		{terms, journalKey{ClassID(6, "Б"), Mathematics}, true},
		{terms, journalKey{ClassID(8, "Б"), Russian}, true},
		{terms, journalKey{ClassID(8, "Б"), Geography}, true},
		{terms, journalKey{ClassID(8, "Б"), Physics}, false},
		{terms, journalKey{ClassID(4, "А"), Russian}, false},
	} {
		if got := slices.Contains(tt.keys, tt.k); got != tt.want {
			t.Errorf("%v in scope: %v, want %v", tt.k, got, tt.want)
		}
	}
}

// TestMarkValue checks the draw of a mark around a mean: the extremes of
// u give the lowest and highest marks likely, and the average of many
// draws is near the mean.
func TestMarkValue(t *testing.T) {
	t.Parallel()
	for _, mean := range []float64{2.3, 3, 3.5, 4.2, 4.8} {
		sum := 0
		const n = 1000
		for i := range n {
			v := markValue(mean, (float64(i)+0.5)/n)
			if v < 2 || v > 5 {
				t.Fatalf("markValue(%v) = %d", mean, v)
			}
			sum += v
		}
		if got := float64(sum) / n; math.Abs(got-mean) > 0.3 {
			t.Errorf("marks around %.1f average %.2f", mean, got)
		}
	}
}
