package ejournal

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Forecasting of problem situations (§13.5): on a day within a term, for
// each student and subject, the current average, the projected term mark
// and the risks that something goes wrong by the term's end, each with the
// reason in words and the numbers behind it; and each class's projected
// figures at the term's end.

// ForecastSettings are a school's thresholds for the forecast. A zero
// field takes its default.
type ForecastSettings struct {
	// MinMarks is the fewest marks for a term mark; 0 takes the school's
	// GradingSettings.MinMarksForTerm (3 by default).
	MinMarks int `json:"min_marks,omitempty"`
	// MinAttendance is the attendance, in %, below which a student is
	// flagged; 0 takes 75 %.
	MinAttendance Hundredths `json:"min_attendance,omitempty"`
	// AbsenceRun is how many lessons missed in a row without reason (н)
	// raise a flag; 0 takes 3.
	AbsenceRun int `json:"absence_run,omitempty"`
}

// Defaults of ForecastSettings.
const (
	DefaultMinAttendance Hundredths = 7500
	DefaultAbsenceRun    int        = 3
)

// Validate checks the thresholds that are set.
func (o ForecastSettings) Validate() error {
	p := Problems{}
	if o.MinMarks < 0 || o.MinMarks > maxMinMarks {
		p.Add("min_marks", Text{RU: fmt.Sprintf("Минимум отметок — от 1 до %d.", maxMinMarks), EN: fmt.Sprintf("The minimum number of marks must be from 1 to %d.", maxMinMarks)})
	}
	if o.MinAttendance < 0 || o.MinAttendance > 10000 {
		p.Add("min_attendance", T("Порог посещаемости — от 0 до 100 %.", "The attendance threshold must be from 0 to 100 %."))
	}
	if o.AbsenceRun < 0 || o.AbsenceRun == 1 || o.AbsenceRun > 20 {
		p.Add("absence_run", T("Пропусков подряд — от 2 до 20.", "Absences in a row must be from 2 to 20."))
	}
	return p.Err()
}

// Resolved returns the settings with every zero field set to its default;
// g gives the school's minimum of marks.
func (o ForecastSettings) Resolved(g *GradingSettings) ForecastSettings {
	if o.MinMarks == 0 {
		o.MinMarks = g.MinMarksForTerm
	}
	if o.MinAttendance == 0 {
		o.MinAttendance = DefaultMinAttendance
	}
	if o.AbsenceRun == 0 {
		o.AbsenceRun = DefaultAbsenceRun
	}
	return o
}

// RiskKind names a risk.
type RiskKind string

// Risks of the forecast.
const (
	// RiskProjectedFail: the average rounds to 2, but a 3 can still be
	// reached.
	RiskProjectedFail RiskKind = "projected_fail"
	// RiskCertainFail: even a 5 at the highest weight on every lesson
	// left cannot lift the average to a 3.
	RiskCertainFail RiskKind = "certain_fail"
	// RiskFewMarks: fewer marks than a term mark needs (н/а risk).
	RiskFewMarks RiskKind = "few_marks"
	// RiskLowAttendance: attendance below the threshold.
	RiskLowAttendance RiskKind = "low_attendance"
	// RiskAbsenceRun: lessons missed in a row without reason.
	RiskAbsenceRun RiskKind = "absence_run"
	// RiskOpenDebt: an academic debt of an earlier period is still open.
	RiskOpenDebt RiskKind = "open_debt"
)

// RiskSeverity grades a risk.
type RiskSeverity string

// Severities, least to most urgent.
const (
	SeverityInfo     RiskSeverity = "info"     // worth knowing, nothing to do yet
	SeverityWarning  RiskSeverity = "warning"  // needs attention
	SeverityCritical RiskSeverity = "critical" // the outcome is certain or going on now
)

// RiskNumbers are the numbers a risk was decided on; only those of its
// kind are set (JSON leaves out zeros).
type RiskNumbers struct {
	// Average is the current average, Best the highest it can still get;
	// both cut (not rounded) to two decimals, as Average.Value is.
	Average *Hundredths `json:"average,omitempty"`
	Best    *Hundredths `json:"best,omitempty"`
	// Threshold is the average (few_marks: the count; low_attendance: the
	// %) the rule compares with.
	Threshold Hundredths `json:"threshold,omitempty"`
	Marks     int        `json:"marks,omitempty"`
	// Needed is how many more marks (projected_fail: fives at the highest
	// weight) are needed.
	Needed int `json:"needed,omitempty"`
	// Remaining counts the lessons left in the term after the day.
	Remaining int `json:"remaining,omitempty"`
	// MaxWeight is the highest weight a new mark can have.
	MaxWeight  Hundredths  `json:"max_weight,omitempty"`
	Attendance *Hundredths `json:"attendance,omitempty"`
	Held       int         `json:"held,omitempty"`
	Missed     int         `json:"missed,omitempty"`
	// Run is the length of a run of absences, From and To its dates.
	Run  int  `json:"run,omitempty"`
	From Date `json:"from,omitempty"`
	To   Date `json:"to,omitempty"`
	// Period and Value are a debt's period and term mark.
	Period string    `json:"period,omitempty"`
	Value  TermValue `json:"value,omitempty"`
}

// RiskFlag is one risk with why it was raised.
type RiskFlag struct {
	Kind      RiskKind     `json:"kind"`
	Severity  RiskSeverity `json:"severity"`
	SubjectID string       `json:"subject_id,omitempty"`
	Reason    Text         `json:"reason"`
	Numbers   RiskNumbers  `json:"numbers"`
}

// SubjectForecast is the outlook of one student in one subject.
type SubjectForecast struct {
	StudentID string `json:"student_id"`
	SubjectID string `json:"subject_id"`
	// Average is of the term's marks up to the day, by the school's
	// averaging (Average.Count is the number of marks).
	Average Average `json:"average"`
	// Remaining counts the lessons of the subject left after the day.
	Remaining int `json:"remaining"`
	// Projected is the term mark expected at the term's end: the
	// confirmed one if any; н/а when too few marks can still be given;
	// otherwise the rounded average, "" while there are no marks.
	Projected TermValue `json:"projected,omitempty"`
	// Confirmed is the term mark already confirmed, if any.
	Confirmed TermValue `json:"confirmed,omitempty"`
	// Attendance is the subject's attendance up to the day.
	Attendance AttendanceFigures `json:"attendance"`
	Flags      []RiskFlag        `json:"flags"`
}

// maxWeight is the weight of the heaviest new mark: the largest work type
// weight, or 1 for the plain average.
func maxWeight(g *GradingSettings) Hundredths {
	var w Hundredths
	for _, t := range g.WorkTypes {
		w = max(w, t.Weight)
	}
	if w == 0 || g.Averaging == Plain {
		return 100
	}
	return w
}

// ForecastSubject forecasts one student's subject from the term's marks up
// to the day, the lessons remaining after it and the attendance so far,
// under the school's grading settings g and the thresholds o (Resolved).
//
// Rules:
//   - few_marks when there are fewer marks than o.MinMarks: critical when
//     fewer lessons remain than marks are missing (н/а is certain), a
//     warning when fewer than twice as many, otherwise information;
//   - certain_fail when, with one mark per remaining lesson, a 5 at the
//     highest weight each time, the average still rounds below 3 (by the
//     school's rounding);
//   - otherwise projected_fail when the average now rounds to 2, saying how
//     many such fives would lift it to a 3;
//   - low_attendance when attendance is below o.MinAttendance.
//
// Neither fail rule applies without marks or when н/а is already certain.
func ForecastSubject(marks []*Mark, remaining int, att AttendanceFigures, g *GradingSettings, o ForecastSettings) SubjectForecast {
	rounded := *g
	rounded.MinMarksForTerm = 1
	sg := SuggestTermMark(marks, &rounded)
	avg := sg.Average
	f := SubjectForecast{Average: avg, Remaining: remaining, Attendance: att, Flags: []RiskFlag{}}
	needed := max(o.MinMarks-avg.Count, 0)
	switch {
	case needed > remaining:
		f.Projected = NotAssessed
	case avg.Count > 0:
		f.Projected = sg.Mark
	}
	value := avg.Value
	if needed > 0 {
		n := RiskNumbers{Marks: avg.Count, Needed: needed, Remaining: remaining, Threshold: Hundredths(o.MinMarks) * 100}
		flag := RiskFlag{Kind: RiskFewMarks, Severity: SeverityInfo, Numbers: n}
		if avg.Count > 0 {
			flag.Numbers.Average = &value
		}
		switch {
		case needed > remaining:
			flag.Severity = SeverityCritical
			flag.Reason = Text{
				RU: fmt.Sprintf("Отметок: %d, для аттестации нужно не меньше %d; до конца периода осталось уроков: %d — аттестовать уже нельзя (н/а).", avg.Count, o.MinMarks, remaining),
				EN: fmt.Sprintf("Marks: %d; a term mark needs at least %d; lessons left in the term: %d. The student can no longer be assessed (н/а).", avg.Count, o.MinMarks, remaining),
			}
		default:
			if remaining < 2*needed {
				flag.Severity = SeverityWarning
			}
			flag.Reason = Text{
				RU: fmt.Sprintf("Отметок: %d, для аттестации нужно не меньше %d; до конца периода осталось уроков: %d — можно аттестовать, если получит ещё %d.", avg.Count, o.MinMarks, remaining, needed),
				EN: fmt.Sprintf("Marks: %d; a term mark needs at least %d; lessons left in the term: %d. The student can still be assessed with %d more marks.", avg.Count, o.MinMarks, remaining, needed),
			}
		}
		f.Flags = append(f.Flags, flag)
	}
	if avg.Count > 0 && needed <= remaining {
		if flag, ok := failRisk(avg, remaining, g); ok {
			f.Flags = append(f.Flags, flag)
		}
	}
	if att.Percent != nil && *att.Percent < o.MinAttendance {
		f.Flags = append(f.Flags, RiskFlag{Kind: RiskLowAttendance, Severity: SeverityWarning,
			Numbers: RiskNumbers{Attendance: att.Percent, Threshold: o.MinAttendance, Held: att.Held, Missed: att.Missed},
			Reason: Text{
				RU: fmt.Sprintf("Посещаемость %s %% (пропущено уроков: %d из %d) ниже порога %s %%.", att.Percent.Russian(), att.Missed, att.Held, o.MinAttendance.Russian()),
				EN: fmt.Sprintf("Attendance %s %% (%d of %d lessons missed) is below the threshold of %s %%.", att.Percent, att.Missed, att.Held, o.MinAttendance),
			}})
	}
	return f
}

// failRisk decides the two fail rules for an average of at least one mark.
func failRisk(avg Average, remaining int, g *GradingSettings) (RiskFlag, bool) {
	w := maxWeight(g)
	with := func(k int) Average {
		a := Average{Count: avg.Count + k, Sum: avg.Sum + Hundredths(5*k)*w, Weights: avg.Weights + Hundredths(k)*w}
		a.Value = a.Sum * 100 / a.Weights
		return a
	}
	threshold := 200 + g.RoundUpFrom
	value, best := avg.Value, with(remaining).Value
	n := RiskNumbers{Average: &value, Best: &best, Threshold: threshold, Marks: avg.Count, Remaining: remaining, MaxWeight: w}
	if with(remaining).round(g.RoundUpFrom) < 3 {
		return RiskFlag{Kind: RiskCertainFail, Severity: SeverityCritical, Numbers: n, Reason: Text{
			RU: fmt.Sprintf("Средний балл %s по %d отметкам. Даже с «5» с весом %s на каждом из оставшихся уроков (%d) он будет лишь %s, а для «3» нужно от %s — «3» уже не получить.",
				value.Russian(), avg.Count, w.Russian(), remaining, best.Russian(), threshold.Russian()),
			EN: fmt.Sprintf("Average %s of %d marks. Even with a 5 at weight %s on each lesson left (%d) it will only be %s, and a 3 needs %s: a 3 can no longer be reached.",
				value, avg.Count, w, remaining, best, threshold),
		}}, true
	}
	if avg.round(g.RoundUpFrom) >= 3 {
		return RiskFlag{}, false
	}
	k := 1
	for with(k).round(g.RoundUpFrom) < 3 {
		k++
	}
	n.Needed = k
	return RiskFlag{Kind: RiskProjectedFail, Severity: SeverityWarning, Numbers: n, Reason: Text{
		RU: fmt.Sprintf("Средний балл %s по %d отметкам — прогноз «2»; для «3» нужно от %s. Исправить можно: нужно не меньше %d отметок «5» с весом %s, осталось уроков: %d.",
			value.Russian(), avg.Count, threshold.Russian(), k, w.Russian(), remaining),
		EN: fmt.Sprintf("Average %s of %d marks: a 2 is projected; a 3 needs %s. It can still be put right: at least %d marks of 5 at weight %s are needed; lessons left: %d.",
			value, avg.Count, threshold, k, w, remaining),
	}}, true
}

// AbsenceRun is a run of lessons missed in a row without reason.
type AbsenceRun struct {
	Length int  `json:"length"`
	From   Date `json:"from,omitempty"`
	To     Date `json:"to,omitempty"`
	// Ongoing says the run reaches the student's latest record.
	Ongoing bool `json:"ongoing,omitempty"`
}

// LongestAbsenceRun finds the longest run of н (absent without reason) in
// one student's records, taken in lesson order: by date, then by the
// lesson's period (lessons gives the periods). Any other code (б, у, о,
// present) ends a run; lessons without a record are not seen and do not.
// Of runs of equal length the latest is returned.
func LongestAbsenceRun(records []*AttendanceRecord, lessons map[string]*Lesson) AbsenceRun {
	type seen struct {
		r      *AttendanceRecord
		period int
	}
	rs := make([]seen, len(records))
	for i, r := range records {
		rs[i].r = r
		if l := lessons[r.LessonID]; l != nil {
			rs[i].period = l.Period
		}
	}
	slices.SortFunc(rs, func(a, b seen) int {
		return cmp.Or(strings.Compare(string(a.r.Date), string(b.r.Date)), cmp.Compare(a.period, b.period), strings.Compare(a.r.LessonID, b.r.LessonID))
	})
	var best, cur AbsenceRun
	for _, x := range rs {
		r := x.r
		if r.Code != Absent {
			cur = AbsenceRun{}
			continue
		}
		if cur.Length == 0 {
			cur.From = r.Date
		}
		cur.Length++
		cur.To = r.Date
		if cur.Length >= best.Length {
			best = cur
		}
	}
	best.Ongoing = best.Length > 0 && cur.Length == best.Length && cur.From == best.From
	return best
}

// ForecastInput is what a forecast is computed from.
type ForecastInput struct {
	Scope
	// Term is the term forecast; On the day within it.
	Term Term
	On   Date
	// Grading are the school's grading settings of the year.
	Grading    *GradingSettings
	Settings   ForecastSettings
	Definition Definition
	// Lessons are the term's lessons, those held and those still to come:
	// the remaining ones are counted from them, so the store must pass the
	// future lessons too (generated ones, or ExpectedLessons from the
	// timetable for the days after On; a lesson id given twice counts
	// once). Marks and Attendance are the term's.
	Lessons    []*Lesson
	Marks      []*SubjectMark
	Attendance []*AttendanceRecord
	// TermMarks are term marks already confirmed for Term.
	TermMarks []*TermMark
	// Debts are the students' academic debts; closed ones are ignored.
	Debts []Debt
	// Year, when given, names the periods of debts.
	Year *SchoolYear
}

// StudentForecast is one student's outlook: per subject, and the risks
// that are the student's rather than a subject's.
type StudentForecast struct {
	StudentID string            `json:"student_id"`
	Name      string            `json:"name"`
	ClassID   string            `json:"class_id"`
	Subjects  []SubjectForecast `json:"subjects"`
	Flags     []RiskFlag        `json:"flags"`
}

// ClassProjection is a class's figures at the term's end computed from the
// projected term marks.
type ClassProjection struct {
	ClassID   string           `json:"class_id"`
	ClassName string           `json:"class_name,omitempty"`
	Figures   Figures          `json:"figures"`
	Subjects  []SubjectFigures `json:"subjects"`
}

// Forecast is the outlook of a term on a day.
type Forecast struct {
	Term       string            `json:"term"`
	On         Date              `json:"on"`
	Settings   ForecastSettings  `json:"settings"`
	Definition Definition        `json:"definition"`
	Students   []StudentForecast `json:"students"`
	Classes    []ClassProjection `json:"classes"`
}

// BuildForecast forecasts in.Term on in.On for every student on the roll
// that day (in class, then name order) and each subject the student
// studies. Marks dated from the term's start to the day count; the lessons
// after the day to the term's end are the ones remaining. A subject with a
// confirmed term mark is projected at that mark and raises no mark risk
// (an exempt one none at all). Student risks: the longest run of absences
// without reason in the term so far, when at least Settings.AbsenceRun long
// (critical while it goes on), and each open debt. The class projection
// counts the projected marks as term marks (no projection: no mark).
func BuildForecast(in ForecastInput) *Forecast {
	o := in.Settings.Resolved(in.Grading)
	def := in.Definition.OrDefault()
	x := in.index()
	plain := make([]*Mark, len(in.Marks))
	for i, m := range in.Marks {
		plain[i] = m.Mark
	}
	lessonByID := map[string]*Lesson{}
	var lessons []*Lesson
	for _, l := range in.Lessons {
		if lessonByID[l.ID] == nil {
			lessonByID[l.ID] = l
			lessons = append(lessons, l)
		}
	}
	x.learn(lessons, in.Attendance, plain)
	records, byClass := recordIndex(in.Attendance), lessonsByClass(lessons)
	recordsOf := map[string][]*AttendanceRecord{}
	for _, r := range in.Attendance {
		recordsOf[r.StudentID] = append(recordsOf[r.StudentID], r)
	}
	inTerm := func(d Date) bool { return d >= in.Term.Start && d <= in.Term.End }

	values := map[string]map[string]cellValue{}
	marks := map[[2]string][]*Mark{}
	for _, m := range in.Marks {
		if m.Date >= in.Term.Start && m.Date <= in.On {
			k := [2]string{m.StudentID, m.SubjectID}
			marks[k] = append(marks[k], m.Mark)
			putValue(values, m.StudentID, m.SubjectID, cellValue{by: m.TeacherID})
		}
	}
	for _, m := range in.TermMarks {
		if m.Period == in.Term.ID {
			putValue(values, m.StudentID, m.SubjectID, cellValue{m.Value, m.ConfirmedBy})
		}
	}
	var roster []RosterEntry
	for _, id := range x.classes {
		roster = append(roster, classRoster(in.Roster, id, in.On)...)
	}
	cells := x.cells(roster, in.On, values)
	cellsOf := map[*RosterEntry][]*cell{}
	for _, c := range cells {
		cellsOf[c.student] = append(cellsOf[c.student], c)
	}
	fc := &Forecast{Term: in.Term.ID, On: in.On, Settings: o, Definition: def, Students: []StudentForecast{}, Classes: []ClassProjection{}}
	for i := range roster {
		e := &roster[i]
		sf := StudentForecast{StudentID: e.StudentID, Name: e.FullName(), ClassID: e.ClassID, Subjects: []SubjectForecast{}, Flags: []RiskFlag{}}
		for _, c := range cellsOf[e] {
			remaining := 0
			for _, l := range byClass[e.ClassID] {
				if l.SubjectID == c.subject && l.Date > in.On && inTerm(l.Date) && x.attends(e, l) {
					remaining++
				}
			}
			att := x.attendance(e, byClass[e.ClassID], records, func(l *Lesson) bool {
				return l.SubjectID == c.subject && l.Date >= in.Term.Start && l.Date <= in.On
			})
			f := ForecastSubject(marks[[2]string{e.StudentID, c.subject}], remaining, att, in.Grading, o)
			if c.value != "" {
				f.Confirmed, f.Projected = c.value, c.value
				f.Flags = slices.DeleteFunc(f.Flags, func(r RiskFlag) bool { return c.value == Exempt || r.Kind != RiskLowAttendance })
			}
			f.StudentID, f.SubjectID = e.StudentID, c.subject
			for j := range f.Flags {
				f.Flags[j].SubjectID = c.subject
			}
			c.value = f.Projected
			sf.Subjects = append(sf.Subjects, f)
		}
		var own []*AttendanceRecord
		for _, r := range recordsOf[e.StudentID] {
			if l := lessonByID[r.LessonID]; l != nil && l.Date >= in.Term.Start && l.Date <= in.On && x.attends(e, l) {
				own = append(own, r)
			}
		}
		if run := LongestAbsenceRun(own, lessonByID); run.Length >= o.AbsenceRun {
			sf.Flags = append(sf.Flags, absenceRunFlag(run))
		}
		for _, d := range in.Debts {
			if d.StudentID == e.StudentID && !d.Closed() {
				sf.Flags = append(sf.Flags, debtFlag(d, in.Year))
			}
		}
		fc.Students = append(fc.Students, sf)
	}
	perf := x.performance(in.Term.ID, in.On, def, cells, roster)
	for _, c := range perf.Classes {
		fc.Classes = append(fc.Classes, ClassProjection{ClassID: c.ClassID, ClassName: c.ClassName, Figures: c.Figures, Subjects: c.Subjects})
	}
	return fc
}

func absenceRunFlag(run AbsenceRun) RiskFlag {
	f := RiskFlag{Kind: RiskAbsenceRun, Severity: SeverityWarning, Numbers: RiskNumbers{Run: run.Length, From: run.From, To: run.To}, Reason: Text{
		RU: fmt.Sprintf("Пропущено подряд без уважительной причины уроков: %d (%s – %s).", run.Length, ruDate(run.From), ruDate(run.To)),
		EN: fmt.Sprintf("%d lessons in a row missed without reason (%s – %s).", run.Length, run.From, run.To),
	}}
	if run.Ongoing {
		f.Severity = SeverityCritical
		f.Reason.RU += " Пропуски продолжаются."
		f.Reason.EN += " The absence goes on."
	}
	return f
}

func debtFlag(d Debt, year *SchoolYear) RiskFlag {
	ru, en := d.Period, d.Period
	if d.Period == YearPeriod {
		ru, en = "год", "the year"
	} else if year != nil && year.ID == d.YearID {
		for _, t := range year.Terms {
			if t.ID == d.Period {
				ru, en = t.Name, t.Name
			}
		}
	}
	return RiskFlag{Kind: RiskOpenDebt, Severity: SeverityWarning, SubjectID: d.SubjectID, Numbers: RiskNumbers{Period: d.Period, Value: d.Value}, Reason: Text{
		RU: fmt.Sprintf("Не закрыта академическая задолженность: «%s» за %s.", d.Value, ru),
		EN: fmt.Sprintf("An academic debt is still open: %s for %s.", d.Value, en),
	}}
}

// ruDate writes d as Russian text does: 02.12.2025.
func ruDate(d Date) string {
	t := d.Time()
	if t.IsZero() {
		return string(d)
	}
	return t.Format("02.01.2006")
}
