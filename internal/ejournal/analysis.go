package ejournal

import (
	"slices"
	"strings"
	"time"
)

// Analysis of teachers' work and by subject (§13.1): how each teacher
// keeps the journal and marks, against the school as a whole, and how a
// subject's figures move from term to term.

// MarkDistribution is how a set of marks divides between the values.
type MarkDistribution struct {
	Marks int `json:"marks"`
	N5    int `json:"n5"`
	N4    int `json:"n4"`
	N3    int `json:"n3"`
	N2    int `json:"n2"`
	N1    int `json:"n1"`
	// Shares are the % of Marks each value takes; absent without marks.
	Share5 *Hundredths `json:"share5,omitempty"`
	Share4 *Hundredths `json:"share4,omitempty"`
	Share3 *Hundredths `json:"share3,omitempty"`
	Share2 *Hundredths `json:"share2,omitempty"`
	Share1 *Hundredths `json:"share1,omitempty"`
	// Average is the plain mean of the marks (weights not applied).
	Average *Hundredths `json:"average,omitempty"`
}

// DistributionOf counts marks by value.
func DistributionOf(marks []*Mark) MarkDistribution {
	var d MarkDistribution
	sum := 0
	for _, m := range marks {
		switch m.Value {
		case 5:
			d.N5++
		case 4:
			d.N4++
		case 3:
			d.N3++
		case 2:
			d.N2++
		case 1:
			d.N1++
		default:
			continue
		}
		d.Marks++
		sum += m.Value
	}
	d.Share5 = maybe(Percent(d.N5, d.Marks))
	d.Share4 = maybe(Percent(d.N4, d.Marks))
	d.Share3 = maybe(Percent(d.N3, d.Marks))
	d.Share2 = maybe(Percent(d.N2, d.Marks))
	d.Share1 = maybe(Percent(d.N1, d.Marks))
	d.Average = maybe(roundRatio(int64(sum), int64(d.Marks)))
	return d
}

// ShareDifference is, for each mark value, a teacher's share minus the
// school's, in percentage points, from the shares as shown (so the three
// numbers on a screen agree); absent when either share is.
type ShareDifference struct {
	Share5 *Hundredths `json:"share5,omitempty"`
	Share4 *Hundredths `json:"share4,omitempty"`
	Share3 *Hundredths `json:"share3,omitempty"`
	Share2 *Hundredths `json:"share2,omitempty"`
	Share1 *Hundredths `json:"share1,omitempty"`
}

// Compare returns d's shares minus school's.
func (d MarkDistribution) Compare(school MarkDistribution) ShareDifference {
	return ShareDifference{minus(d.Share5, school.Share5), minus(d.Share4, school.Share4), minus(d.Share3, school.Share3), minus(d.Share2, school.Share2), minus(d.Share1, school.Share1)}
}

// minus returns a − b, nil when either is absent.
func minus(a, b *Hundredths) *Hundredths {
	if a == nil || b == nil {
		return nil
	}
	v := *a - *b
	return &v
}

// AnalysisInput is what the analysis of teachers' work over a period is
// computed from.
type AnalysisInput struct {
	// Scope gives the roll and groups: who had each lesson.
	Scope
	From, To Date
	// Location is the school's time zone, where "the lesson's day" is.
	Location *time.Location
	// Lessons are the lessons held in the period, of every teacher.
	Lessons []*Lesson
	// HomeworkAt is when each lesson's homework was last entered (from
	// the audit trail); a lesson not in it is judged by its UpdatedAt,
	// which can only be later.
	HomeworkAt map[string]time.Time
	// Marks and Attendance are those of the lessons.
	Marks      []*Mark
	Attendance []*AttendanceRecord
	// PlanLag is each teacher's lag behind the calendar-thematic plans in
	// hours (Step 4's PlanProgress.Lag summed), passed through.
	PlanLag map[string]int
}

// LessonCheck is a lesson of a teacher with what is missing or late.
type LessonCheck struct {
	LessonID  string `json:"lesson_id"`
	Date      Date   `json:"date"`
	ClassID   string `json:"class_id"`
	SubjectID string `json:"subject_id"`
	NoTopic   bool   `json:"no_topic,omitempty"`
	// NoHomework: neither text nor links.
	NoHomework bool `json:"no_homework,omitempty"`
	// LateHomework: entered after the lesson's day in the school's zone.
	LateHomework bool `json:"late_homework,omitempty"`
	// NoAttendance: no attendance record at all (the journal cells were
	// not filled).
	NoAttendance bool `json:"no_attendance,omitempty"`
}

// TeachingLoad is a teacher's accumulation of marks in one class × subject.
type TeachingLoad struct {
	ClassID   string `json:"class_id"`
	SubjectID string `json:"subject_id"`
	Lessons   int    `json:"lessons"`
	// StudentLessons counts student × lesson: the students each lesson
	// had, by the roll (and groups).
	StudentLessons int `json:"student_lessons"`
	Marks          int `json:"marks"`
	// Rate is Marks / StudentLessons: marks per student per lesson.
	Rate *Hundredths `json:"rate,omitempty"`
}

// TeacherAnalysis is one teacher's work over the period.
type TeacherAnalysis struct {
	TeacherID string `json:"teacher_id"`
	// Lessons counts the lessons the teacher took (a substitute's count
	// for the substitute).
	Lessons            int `json:"lessons"`
	WithoutTopic       int `json:"without_topic"`
	WithoutHomework    int `json:"without_homework"`
	LateHomework       int `json:"late_homework"`
	AttendanceNotTaken int `json:"attendance_not_taken"`
	// Checks lists the lessons with something missing or late, by date.
	Checks []LessonCheck `json:"checks"`
	// Total is the accumulation over all the teacher's lessons; Loads per
	// class × subject.
	Total TeachingLoad   `json:"total"`
	Loads []TeachingLoad `json:"loads"`
	// Distribution is of the marks on the teacher's lessons; Difference
	// compares it with the school's.
	Distribution MarkDistribution `json:"distribution"`
	Difference   ShareDifference  `json:"difference"`
	// PlanLag is the teacher's КТП lag in hours, when known.
	PlanLag *int `json:"plan_lag,omitempty"`
}

// TeacherReport is the analysis of every teacher who took a lesson in the
// period, by teacher id.
type TeacherReport struct {
	From     Date              `json:"from"`
	To       Date              `json:"to"`
	School   MarkDistribution  `json:"school"`
	Teachers []TeacherAnalysis `json:"teachers"`
}

// hasHomework reports whether the lesson sets homework.
func hasHomework(l *Lesson) bool {
	return strings.TrimSpace(l.Homework) != "" || len(l.HomeworkLinks) > 0
}

// BuildTeacherReport analyses the lessons dated in.From..in.To. Marks count
// by the lesson they were given on, so the school's distribution is of all
// marks on those lessons.
func BuildTeacherReport(in AnalysisInput) *TeacherReport {
	x := in.index()
	x.learn(in.Lessons, in.Attendance, in.Marks)
	loc := in.Location
	if loc == nil {
		loc = time.UTC
	}
	var lessons []*Lesson
	for _, l := range in.Lessons {
		if l.Date >= in.From && l.Date <= in.To {
			lessons = append(lessons, l)
		}
	}
	slices.SortStableFunc(lessons, func(a, b *Lesson) int { return strings.Compare(string(a.Date), string(b.Date)) })
	held := map[string]*Lesson{}
	for _, l := range lessons {
		held[l.ID] = l
	}
	marksOn := map[string][]*Mark{}
	var all []*Mark
	for _, m := range in.Marks {
		if held[m.LessonID] != nil {
			marksOn[m.LessonID] = append(marksOn[m.LessonID], m)
			all = append(all, m)
		}
	}
	roll := map[string][]*RosterEntry{}
	for i := range in.Roster {
		roll[in.Roster[i].ClassID] = append(roll[in.Roster[i].ClassID], &in.Roster[i])
	}
	taken := map[string]bool{}
	for _, r := range in.Attendance {
		taken[r.LessonID] = true
	}
	r := &TeacherReport{From: in.From, To: in.To, School: DistributionOf(all), Teachers: []TeacherAnalysis{}}
	var teachers []string
	for _, l := range lessons {
		if !slices.Contains(teachers, l.TeacherID) {
			teachers = append(teachers, l.TeacherID)
		}
	}
	slices.Sort(teachers)
	for _, t := range teachers {
		a := TeacherAnalysis{TeacherID: t, Checks: []LessonCheck{}, Loads: []TeachingLoad{}}
		var given []*Mark
		for _, l := range lessons {
			if l.TeacherID != t {
				continue
			}
			a.Lessons++
			c := LessonCheck{LessonID: l.ID, Date: l.Date, ClassID: l.ClassID, SubjectID: l.SubjectID,
				NoTopic: strings.TrimSpace(l.Topic) == "", NoHomework: !hasHomework(l), NoAttendance: !taken[l.ID]}
			if !c.NoHomework {
				at, ok := in.HomeworkAt[l.ID]
				if !ok {
					at = l.UpdatedAt
				}
				c.LateHomework = !at.IsZero() && DateOf(at.In(loc)) > l.Date
			}
			if c.NoTopic || c.NoHomework || c.LateHomework || c.NoAttendance {
				a.Checks = append(a.Checks, c)
			}
			a.WithoutTopic += oneIf(c.NoTopic)
			a.WithoutHomework += oneIf(c.NoHomework)
			a.LateHomework += oneIf(c.LateHomework)
			a.AttendanceNotTaken += oneIf(c.NoAttendance)
			students := 0
			for _, e := range roll[l.ClassID] {
				if x.attends(e, l) {
					students++
				}
			}
			i := slices.IndexFunc(a.Loads, func(ld TeachingLoad) bool { return ld.ClassID == l.ClassID && ld.SubjectID == l.SubjectID })
			if i < 0 {
				a.Loads = append(a.Loads, TeachingLoad{ClassID: l.ClassID, SubjectID: l.SubjectID})
				i = len(a.Loads) - 1
			}
			for _, ld := range []*TeachingLoad{&a.Loads[i], &a.Total} {
				ld.Lessons++
				ld.StudentLessons += students
				ld.Marks += len(marksOn[l.ID])
				ld.Rate = maybe(roundRatio(int64(ld.Marks), int64(ld.StudentLessons)))
			}
			given = append(given, marksOn[l.ID]...)
		}
		slices.SortFunc(a.Loads, func(p, q TeachingLoad) int {
			return strings.Compare(p.ClassID+"\x00"+p.SubjectID, q.ClassID+"\x00"+q.SubjectID)
		})
		a.Distribution = DistributionOf(given)
		a.Difference = a.Distribution.Compare(r.School)
		if lag, ok := in.PlanLag[t]; ok {
			a.PlanLag = &lag
		}
		r.Teachers = append(r.Teachers, a)
	}
	return r
}

func oneIf(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TermFigures are the figures of one period in a trend.
type TermFigures struct {
	Period  string  `json:"period"`
	Figures Figures `json:"figures"`
	// QualityChange and SuccessChange are the change, in percentage
	// points, from the period before it in the list (as shown, rounded);
	// absent for the first or when either value is.
	QualityChange *Hundredths `json:"quality_change,omitempty"`
	SuccessChange *Hundredths `json:"success_change,omitempty"`
}

// ClassTrend is a subject's trend in one class.
type ClassTrend struct {
	ClassID   string        `json:"class_id"`
	ClassName string        `json:"class_name,omitempty"`
	Terms     []TermFigures `json:"terms"`
}

// GradeTrend is a subject's trend in one parallel.
type GradeTrend struct {
	Grade int           `json:"grade"`
	Terms []TermFigures `json:"terms"`
}

// SubjectTrend is the analysis of one subject: its figures across classes
// and parallels, period after period.
type SubjectTrend struct {
	SubjectID  string        `json:"subject_id"`
	Definition Definition    `json:"definition"`
	School     []TermFigures `json:"school"`
	Parallels  []GradeTrend  `json:"parallels"`
	Classes    []ClassTrend  `json:"classes"`
}

// BuildSubjectTrend takes the subject's figures from performance reports
// of successive periods (given in order, with one definition) and lines
// them up per class, per parallel and for the school. A class (or
// parallel) missing from a period just has no entry for it; its change is
// then from the last period it had.
func BuildSubjectTrend(subjectID string, reports []*Performance) *SubjectTrend {
	tr := &SubjectTrend{SubjectID: subjectID, School: []TermFigures{}, Parallels: []GradeTrend{}, Classes: []ClassTrend{}}
	pick := func(subjects []SubjectFigures) (Figures, bool) {
		i := slices.IndexFunc(subjects, func(s SubjectFigures) bool { return s.SubjectID == subjectID })
		if i < 0 {
			return Figures{}, false
		}
		return subjects[i].Figures, true
	}
	for _, p := range reports {
		tr.Definition = p.Definition
		if f, ok := pick(p.Subjects); ok {
			tr.School = appendTerm(tr.School, p.Period, f)
		}
		for _, g := range p.Parallels {
			f, ok := pick(g.Subjects)
			if !ok {
				continue
			}
			i := slices.IndexFunc(tr.Parallels, func(t GradeTrend) bool { return t.Grade == g.Grade })
			if i < 0 {
				tr.Parallels = append(tr.Parallels, GradeTrend{Grade: g.Grade})
				i = len(tr.Parallels) - 1
			}
			tr.Parallels[i].Terms = appendTerm(tr.Parallels[i].Terms, p.Period, f)
		}
		for _, c := range p.Classes {
			f, ok := pick(c.Subjects)
			if !ok {
				continue
			}
			i := slices.IndexFunc(tr.Classes, func(t ClassTrend) bool { return t.ClassID == c.ClassID })
			if i < 0 {
				tr.Classes = append(tr.Classes, ClassTrend{ClassID: c.ClassID, ClassName: c.ClassName})
				i = len(tr.Classes) - 1
			}
			tr.Classes[i].Terms = appendTerm(tr.Classes[i].Terms, p.Period, f)
		}
	}
	slices.SortStableFunc(tr.Parallels, func(a, b GradeTrend) int { return a.Grade - b.Grade })
	return tr
}

// appendTerm appends a period's figures with the change from the last one.
func appendTerm(terms []TermFigures, period string, f Figures) []TermFigures {
	t := TermFigures{Period: period, Figures: f}
	if n := len(terms); n > 0 {
		prev := terms[n-1].Figures
		t.QualityChange = minus(f.Quality, prev.Quality)
		t.SuccessChange = minus(f.Success, prev.Success)
	}
	return append(terms, t)
}
