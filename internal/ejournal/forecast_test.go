package ejournal_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"ejournal/internal/ejournal"
)

// repMarks makes marks of the given values, all at one weight.
func repMarks(weight ejournal.Hundredths, values ...int) []*ejournal.Mark {
	var out []*ejournal.Mark
	for _, v := range values {
		out = append(out, &ejournal.Mark{Value: v, Weight: weight})
	}
	return out
}

func TestForecastSettings(t *testing.T) {
	g := ejournal.DefaultGradingSettings("s", "y")
	g.MinMarksForTerm = 4
	if got := (ejournal.ForecastSettings{}).Resolved(g); got != (ejournal.ForecastSettings{MinMarks: 4, MinAttendance: 7500, AbsenceRun: 3}) {
		t.Errorf("Resolved() = %+v", got)
	}
	if got := (ejournal.ForecastSettings{MinMarks: 2, MinAttendance: 8000, AbsenceRun: 5}).Resolved(g); got != (ejournal.ForecastSettings{MinMarks: 2, MinAttendance: 8000, AbsenceRun: 5}) {
		t.Errorf("Resolved() kept = %+v", got)
	}
	tests := []struct {
		name   string
		o      ejournal.ForecastSettings
		fields []string
	}{
		{"defaults", ejournal.ForecastSettings{}, nil},
		{"set", ejournal.ForecastSettings{MinMarks: 5, MinAttendance: 9000, AbsenceRun: 2}, nil},
		{"too many marks", ejournal.ForecastSettings{MinMarks: 51}, []string{"min_marks"}},
		{"negative", ejournal.ForecastSettings{MinMarks: -1, MinAttendance: -1, AbsenceRun: -1}, []string{"min_marks", "min_attendance", "absence_run"}},
		{"over 100 %", ejournal.ForecastSettings{MinAttendance: 10001}, []string{"min_attendance"}},
		{"a run of one", ejournal.ForecastSettings{AbsenceRun: 1}, []string{"absence_run"}},
		{"a run of 21", ejournal.ForecastSettings{AbsenceRun: 21}, []string{"absence_run"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkValidate(t, tt.o, tt.fields...)
		})
	}
}

func TestForecastSubject(t *testing.T) {
	std := ejournal.DefaultGradingSettings("s", "y") // weights 1 to 3, x.5 rounds up, 3 marks
	sixTenths := ejournal.DefaultGradingSettings("s", "y")
	sixTenths.RoundUpFrom = 60
	plain := ejournal.DefaultGradingSettings("s", "y")
	plain.Averaging = ejournal.Plain
	light := ejournal.DefaultGradingSettings("s", "y")
	light.WorkTypes = []ejournal.WorkType{{ID: "oral", Name: "Устный ответ", Weight: 50, Default: true}}
	full := ejournal.AttendanceFigures{Held: 8, Percent: repH(10000)}
	tests := []struct {
		name      string
		g         *ejournal.GradingSettings
		marks     []*ejournal.Mark
		remaining int
		att       ejournal.AttendanceFigures
		projected ejournal.TermValue
		flags     []ejournal.RiskFlag // Reason checked apart
	}{
		{name: "good student", g: std, marks: append(repMarks(100, 5, 4), repMarks(300, 5)...), remaining: 4, att: full,
			// (5 + 4 + 15) / 5 = 4.8
			projected: "5"},
		{name: "projected 2, one five at weight 3 mends it", g: std, marks: append(repMarks(100, 2, 3), repMarks(300, 2)...), remaining: 4, att: full,
			// (2 + 3 + 6) / 5 = 2.2; best (11 + 4·15) / (5 + 4·3) = 71/17 = 4.17;
			// one five: (11 + 15) / 8 = 3.25
			projected: "2",
			flags: []ejournal.RiskFlag{{Kind: ejournal.RiskProjectedFail, Severity: ejournal.SeverityWarning,
				Numbers: ejournal.RiskNumbers{Average: repH(220), Best: repH(417), Threshold: 250, Marks: 3, Needed: 1, Remaining: 4, MaxWeight: 300}}}},
		{name: "projected 2, two fives needed", g: std, marks: repMarks(300, 2, 2, 2, 2, 2, 2), remaining: 2, att: full,
			// one five: (36 + 15) / 21 = 2.43; two: (36 + 30) / 24 = 2.75
			projected: "2",
			flags: []ejournal.RiskFlag{{Kind: ejournal.RiskProjectedFail, Severity: ejournal.SeverityWarning,
				Numbers: ejournal.RiskNumbers{Average: repH(200), Best: repH(275), Threshold: 250, Marks: 6, Needed: 2, Remaining: 2, MaxWeight: 300}}}},
		{name: "certain fail", g: std, marks: repMarks(300, 2, 2, 2, 2, 2, 2), remaining: 1, att: full,
			// best (36 + 15) / 21 = 2.428… < 2.5
			projected: "2",
			flags: []ejournal.RiskFlag{{Kind: ejournal.RiskCertainFail, Severity: ejournal.SeverityCritical,
				Numbers: ejournal.RiskNumbers{Average: repH(200), Best: repH(242), Threshold: 250, Marks: 6, Remaining: 1, MaxWeight: 300}}}},
		{name: "certain fail with no lessons left", g: std, marks: repMarks(100, 2, 2, 3), remaining: 0, att: full,
			// 7/3 = 2.33 and nothing more can be given
			projected: "2",
			flags: []ejournal.RiskFlag{{Kind: ejournal.RiskCertainFail, Severity: ejournal.SeverityCritical,
				Numbers: ejournal.RiskNumbers{Average: repH(233), Best: repH(233), Threshold: 250, Marks: 3, MaxWeight: 300}}}},
		{name: "2.5 is a 3 under the standard rule", g: std, marks: repMarks(100, 2, 2, 3, 3), remaining: 3, att: full,
			projected: "3"},
		{name: "2.5 is a 2 under the x.6 rule", g: sixTenths, marks: repMarks(100, 2, 2, 3, 3), remaining: 3, att: full,
			// best (10 + 45) / 13 = 4.23; one five: (10 + 15) / 7 = 3.57
			projected: "2",
			flags: []ejournal.RiskFlag{{Kind: ejournal.RiskProjectedFail, Severity: ejournal.SeverityWarning,
				Numbers: ejournal.RiskNumbers{Average: repH(250), Best: repH(423), Threshold: 260, Marks: 4, Needed: 1, Remaining: 3, MaxWeight: 300}}}},
		{name: "plain average ignores weights", g: plain, marks: append(repMarks(300, 2), repMarks(100, 3, 3)...), remaining: 3, att: full,
			// 8/3 = 2.67; weighted it would be 12/5 = 2.4
			projected: "3"},
		{name: "plain average: the heaviest new mark weighs 1", g: plain, marks: repMarks(300, 2, 2, 2, 2), remaining: 1, att: full,
			// best (8 + 5) / 5 = 2.6
			projected: "2",
			flags: []ejournal.RiskFlag{{Kind: ejournal.RiskProjectedFail, Severity: ejournal.SeverityWarning,
				Numbers: ejournal.RiskNumbers{Average: repH(200), Best: repH(260), Threshold: 250, Marks: 4, Needed: 1, Remaining: 1, MaxWeight: 100}}}},
		{name: "the heaviest new mark is the heaviest work type, even below 1", g: light, marks: repMarks(50, 2, 2, 2), remaining: 1, att: full,
			// best (3 + 2.5) / 2 = 2.75
			projected: "2",
			flags: []ejournal.RiskFlag{{Kind: ejournal.RiskProjectedFail, Severity: ejournal.SeverityWarning,
				Numbers: ejournal.RiskNumbers{Average: repH(200), Best: repH(275), Threshold: 250, Marks: 3, Needed: 1, Remaining: 1, MaxWeight: 50}}}},
		{name: "few marks, plenty of lessons", g: std, marks: repMarks(100, 4), remaining: 4, att: full,
			projected: "4",
			flags: []ejournal.RiskFlag{{Kind: ejournal.RiskFewMarks, Severity: ejournal.SeverityInfo,
				Numbers: ejournal.RiskNumbers{Average: repH(400), Threshold: 300, Marks: 1, Needed: 2, Remaining: 4}}}},
		{name: "few marks, few lessons", g: std, marks: repMarks(100, 4), remaining: 3, att: full,
			projected: "4",
			flags: []ejournal.RiskFlag{{Kind: ejournal.RiskFewMarks, Severity: ejournal.SeverityWarning,
				Numbers: ejournal.RiskNumbers{Average: repH(400), Threshold: 300, Marks: 1, Needed: 2, Remaining: 3}}}},
		{name: "no marks yet", g: std, remaining: 10, att: full,
			projected: "",
			flags: []ejournal.RiskFlag{{Kind: ejournal.RiskFewMarks, Severity: ejournal.SeverityInfo,
				Numbers: ejournal.RiskNumbers{Threshold: 300, Needed: 3, Remaining: 10}}}},
		{name: "н/а is certain", g: std, remaining: 1, att: full,
			projected: ejournal.NotAssessed,
			flags: []ejournal.RiskFlag{{Kind: ejournal.RiskFewMarks, Severity: ejournal.SeverityCritical,
				Numbers: ejournal.RiskNumbers{Threshold: 300, Needed: 3, Remaining: 1}}}},
		{name: "н/а is certain: no fail rule", g: std, marks: repMarks(100, 2), remaining: 0, att: full,
			projected: ejournal.NotAssessed,
			flags: []ejournal.RiskFlag{{Kind: ejournal.RiskFewMarks, Severity: ejournal.SeverityCritical,
				Numbers: ejournal.RiskNumbers{Average: repH(200), Threshold: 300, Marks: 1, Needed: 2}}}},
		{name: "few marks and failing", g: std, marks: repMarks(100, 2, 2), remaining: 5, att: full,
			// best (4 + 75) / (2 + 15) = 4.64; one five: 19/5 = 3.8
			projected: "2",
			flags: []ejournal.RiskFlag{
				{Kind: ejournal.RiskFewMarks, Severity: ejournal.SeverityInfo,
					Numbers: ejournal.RiskNumbers{Average: repH(200), Threshold: 300, Marks: 2, Needed: 1, Remaining: 5}},
				{Kind: ejournal.RiskProjectedFail, Severity: ejournal.SeverityWarning,
					Numbers: ejournal.RiskNumbers{Average: repH(200), Best: repH(464), Threshold: 250, Marks: 2, Needed: 1, Remaining: 5, MaxWeight: 300}},
			}},
		{name: "low attendance", g: std, marks: repMarks(100, 5, 5, 5), remaining: 4,
			att:       ejournal.AttendanceFigures{Held: 8, Missed: 3, Percent: repH(6250)},
			projected: "5",
			flags: []ejournal.RiskFlag{{Kind: ejournal.RiskLowAttendance, Severity: ejournal.SeverityWarning,
				Numbers: ejournal.RiskNumbers{Attendance: repH(6250), Threshold: 7500, Held: 8, Missed: 3}}}},
		{name: "attendance at the threshold", g: std, marks: repMarks(100, 5, 5, 5), remaining: 4,
			att:       ejournal.AttendanceFigures{Held: 8, Missed: 2, Percent: repH(7500)},
			projected: "5"},
		{name: "no lessons held yet", g: std, marks: repMarks(100, 5, 5, 5), remaining: 4,
			projected: "5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ejournal.ForecastSubject(tt.marks, tt.remaining, tt.att, tt.g, ejournal.ForecastSettings{}.Resolved(tt.g))
			if f.Projected != tt.projected || f.Remaining != tt.remaining || f.Average.Count != len(tt.marks) || f.Attendance != tt.att {
				t.Errorf("projected %q, remaining %d, marks %d; want %q, %d, %d", f.Projected, f.Remaining, f.Average.Count, tt.projected, tt.remaining, len(tt.marks))
			}
			for i := range f.Flags {
				if f.Flags[i].Reason.RU == "" || f.Flags[i].Reason.EN == "" {
					t.Errorf("flag %s without a reason", f.Flags[i].Kind)
				}
				f.Flags[i].Reason = ejournal.Text{}
			}
			if tt.flags == nil {
				tt.flags = []ejournal.RiskFlag{}
			}
			if !reflect.DeepEqual(f.Flags, tt.flags) {
				t.Errorf("flags =\n%s\nwant\n%s", repJSON(f.Flags), repJSON(tt.flags))
			}
		})
	}
}

func TestForecastSubjectReasons(t *testing.T) {
	g := ejournal.DefaultGradingSettings("s", "y")
	o := ejournal.ForecastSettings{}.Resolved(g)
	tests := []struct {
		name      string
		marks     []*ejournal.Mark
		remaining int
		att       ejournal.AttendanceFigures
		ru, en    string
	}{
		{"projected fail", append(repMarks(100, 2, 3), repMarks(300, 2)...), 4, ejournal.AttendanceFigures{},
			"Средний балл 2,2 по 3 отметкам — прогноз «2»; для «3» нужно от 2,5. Исправить можно: нужно не меньше 1 отметок «5» с весом 3, осталось уроков: 4.",
			"Average 2.2 of 3 marks: a 2 is projected; a 3 needs 2.5. It can still be put right: at least 1 marks of 5 at weight 3 are needed; lessons left: 4."},
		{"certain fail", repMarks(300, 2, 2, 2, 2, 2, 2), 1, ejournal.AttendanceFigures{},
			"Средний балл 2 по 6 отметкам. Даже с «5» с весом 3 на каждом из оставшихся уроков (1) он будет лишь 2,42, а для «3» нужно от 2,5 — «3» уже не получить.",
			"Average 2 of 6 marks. Even with a 5 at weight 3 on each lesson left (1) it will only be 2.42, and a 3 needs 2.5: a 3 can no longer be reached."},
		{"few marks", repMarks(100, 4), 4, ejournal.AttendanceFigures{},
			"Отметок: 1, для аттестации нужно не меньше 3; до конца периода осталось уроков: 4 — можно аттестовать, если получит ещё 2.",
			"Marks: 1; a term mark needs at least 3; lessons left in the term: 4. The student can still be assessed with 2 more marks."},
		{"н/а certain", nil, 1, ejournal.AttendanceFigures{},
			"Отметок: 0, для аттестации нужно не меньше 3; до конца периода осталось уроков: 1 — аттестовать уже нельзя (н/а).",
			"Marks: 0; a term mark needs at least 3; lessons left in the term: 1. The student can no longer be assessed (н/а)."},
		{"low attendance", repMarks(100, 5, 5, 5), 4, ejournal.AttendanceFigures{Held: 8, Missed: 3, Percent: repH(6250)},
			"Посещаемость 62,5 % (пропущено уроков: 3 из 8) ниже порога 75 %.",
			"Attendance 62.5 % (3 of 8 lessons missed) is below the threshold of 75 %."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ejournal.ForecastSubject(tt.marks, tt.remaining, tt.att, g, o)
			if len(f.Flags) != 1 || f.Flags[0].Reason.RU != tt.ru || f.Flags[0].Reason.EN != tt.en {
				t.Errorf("flags %s\nwant RU %s\n     EN %s", repJSON(f.Flags), tt.ru, tt.en)
			}
		})
	}
}

func TestLongestAbsenceRun(t *testing.T) {
	// Two lessons a day from 1 to 5 December: d1p1 … d5p2.
	lessons := map[string]*ejournal.Lesson{}
	for d := 1; d <= 5; d++ {
		for p := 1; p <= 2; p++ {
			id := string(rune('0'+d)) + "p" + string(rune('0'+p))
			lessons[id] = &ejournal.Lesson{ID: id, Date: ejournal.Date("2025-12-0" + string(rune('0'+d))), Period: p}
		}
	}
	recs := func(codes ...string) []*ejournal.AttendanceRecord {
		var out []*ejournal.AttendanceRecord
		for _, c := range codes {
			id, code, _ := strings.Cut(c, "=")
			out = append(out, &ejournal.AttendanceRecord{LessonID: id, Date: lessons[id].Date, Code: ejournal.AttendanceCode(code)})
		}
		return out
	}
	tests := []struct {
		name    string
		records []*ejournal.AttendanceRecord
		want    ejournal.AbsenceRun
	}{
		{"none", nil, ejournal.AbsenceRun{}},
		{"all present", recs("1p1=", "1p2="), ejournal.AbsenceRun{}},
		{"three in a row, then present", recs("1p2=н", "2p1=н", "2p2=н", "3p1="),
			ejournal.AbsenceRun{Length: 3, From: "2025-12-01", To: "2025-12-02"}},
		{"in lesson order, not input order", recs("3p1=", "2p2=н", "1p2=н", "2p1=н"),
			ejournal.AbsenceRun{Length: 3, From: "2025-12-01", To: "2025-12-02"}},
		{"periods order a day", recs("1p2=н", "1p1=", "2p1=н"),
			ejournal.AbsenceRun{Length: 2, From: "2025-12-01", To: "2025-12-02", Ongoing: true}},
		{"ill breaks a run", recs("1p1=н", "1p2=б", "2p1=н"),
			ejournal.AbsenceRun{Length: 1, From: "2025-12-02", To: "2025-12-02", Ongoing: true}},
		{"excused breaks a run", recs("1p1=н", "1p2=у", "2p1=н", "2p2="),
			ejournal.AbsenceRun{Length: 1, From: "2025-12-02", To: "2025-12-02"}},
		{"late breaks a run", recs("1p1=н", "1p2=о", "2p1=н", "2p2=н"),
			ejournal.AbsenceRun{Length: 2, From: "2025-12-02", To: "2025-12-02", Ongoing: true}},
		{"a lesson without a record does not", recs("1p1=н", "2p1=н", "3p1=н"),
			ejournal.AbsenceRun{Length: 3, From: "2025-12-01", To: "2025-12-03", Ongoing: true}},
		{"the longest, earlier", recs("1p1=н", "1p2=н", "2p1=н", "2p2=", "3p1=н"),
			ejournal.AbsenceRun{Length: 3, From: "2025-12-01", To: "2025-12-02"}},
		{"the latest of equal runs", recs("1p1=н", "1p2=н", "2p1=", "3p1=н", "3p2=н", "4p1="),
			ejournal.AbsenceRun{Length: 2, From: "2025-12-03", To: "2025-12-03"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ejournal.LongestAbsenceRun(tt.records, lessons); got != tt.want {
				t.Errorf("LongestAbsenceRun = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestBuildForecast forecasts the second quarter of 5А on 10 December.
// Maths has 7 lessons held (1–4, 8–10 Dec) and 4 to come (11, 15–17 Dec);
// Russian 3 held (1, 5, 10 Dec) and 1 to come (12 Dec).
//
//	Алексеев   maths 5 5 4 → 5; Russian 5 confirmed
//	Белов      maths 2 2 3 → 2 (one five mends it); Russian 4 4 4
//	Васильев   maths 4 4 4, absent 2–4 Dec without reason: attendance
//	           4/7 and a run of 3; Russian 4 4 4
//	Гусев      maths 3 3 3; Russian 3 4 4; PE exempt (confirmed); an open
//	           debt of the first quarter in maths (a closed one in Russian)
//	Дёмина     arrived 5 Dec, no marks: 3 maths lessons held, 4 to come
//	           (warning); Russian 2 held (5 Dec counts), only 1 to come
//	           (н/а certain)
//	Егоров     left 1 Dec: not forecast
func TestBuildForecast(t *testing.T) {
	lesson := func(id, subject string, d ejournal.Date, period int) *ejournal.Lesson {
		return &ejournal.Lesson{ID: id, ClassID: "c5a", SubjectID: subject, Date: d, Period: period}
	}
	lessonList := []*ejournal.Lesson{
		lesson("m1", "math", "2025-12-01", 1), lesson("m2", "math", "2025-12-02", 1), lesson("m3", "math", "2025-12-03", 1),
		lesson("m4", "math", "2025-12-04", 1), lesson("m5", "math", "2025-12-08", 1), lesson("m6", "math", "2025-12-09", 1),
		lesson("m7", "math", "2025-12-10", 1),
		lesson("m8", "math", "2025-12-11", 1), lesson("m9", "math", "2025-12-15", 1), lesson("m10", "math", "2025-12-16", 1),
		lesson("m11", "math", "2025-12-17", 1),
		lesson("m12", "math", "2026-01-12", 1), // next term
		lesson("r1", "rus", "2025-12-01", 2), lesson("r2", "rus", "2025-12-05", 2), lesson("r3", "rus", "2025-12-10", 2),
		lesson("r4", "rus", "2025-12-12", 2),
		lesson("r4", "rus", "2025-12-12", 2), // given twice (generated and expected): counts once
	}
	var marks []*ejournal.SubjectMark
	give := func(student, subject string, lessonIDs []string, values ...int) {
		for i, v := range values {
			var d ejournal.Date
			for _, l := range lessonList {
				if l.ID == lessonIDs[i] {
					d = l.Date
				}
			}
			marks = append(marks, &ejournal.SubjectMark{SubjectID: subject, Mark: &ejournal.Mark{LessonID: lessonIDs[i], StudentID: student, Value: v, Weight: 100, Date: d, TeacherID: "t1"}})
		}
	}
	first3, rus3 := []string{"m1", "m2", "m3"}, []string{"r1", "r2", "r3"}
	give("f1", "math", first3, 5, 5, 4)
	give("f1", "rus", rus3, 5, 5, 5)
	give("f2", "math", first3, 2, 2, 3)
	give("f2", "rus", rus3, 4, 4, 4)
	give("f3", "math", []string{"m1", "m5", "m6"}, 4, 4, 4)
	give("f3", "rus", rus3, 4, 4, 4)
	give("f4", "math", first3, 3, 3, 3)
	give("f4", "rus", rus3, 3, 4, 4)
	give("f6", "math", first3, 2, 2, 2)
	att := func(lessonID, student string, c ejournal.AttendanceCode) *ejournal.AttendanceRecord {
		for _, l := range lessonList {
			if l.ID == lessonID {
				return &ejournal.AttendanceRecord{LessonID: lessonID, StudentID: student, ClassID: "c5a", Date: l.Date, Code: c}
			}
		}
		panic(lessonID)
	}
	in := ejournal.ForecastInput{
		Scope: ejournal.Scope{
			Classes:  []*ejournal.Class{{ID: "c5a", Grade: 5, Letter: "А"}},
			Subjects: []*ejournal.Subject{{ID: "math", Name: "Математика"}, {ID: "rus", Name: "Русский язык"}, {ID: "pe", Name: "Физкультура"}},
			Roster: []ejournal.RosterEntry{
				{StudentID: "f5", LastName: "Дёмина", FirstName: "Ася", ClassID: "c5a", Arrived: "2025-12-05"},
				{StudentID: "f1", LastName: "Алексеев", FirstName: "Ян", ClassID: "c5a"},
				{StudentID: "f2", LastName: "Белов", FirstName: "Ян", ClassID: "c5a"},
				{StudentID: "f3", LastName: "Васильев", FirstName: "Ян", ClassID: "c5a"},
				{StudentID: "f4", LastName: "Гусев", FirstName: "Ян", ClassID: "c5a"},
				{StudentID: "f6", LastName: "Егоров", FirstName: "Ян", ClassID: "c5a", Left: "2025-12-01"},
			},
			Assignments: []*ejournal.Assignment{
				{TeacherID: "t1", ClassID: "c5a", SubjectID: "math"},
				{TeacherID: "t2", ClassID: "c5a", SubjectID: "rus"},
			},
		},
		Term:    ejournal.Term{ID: "q2", Name: "2 четверть", Start: "2025-11-03", End: "2025-12-28"},
		On:      "2025-12-10",
		Grading: ejournal.DefaultGradingSettings("s", "y"),
		Lessons: lessonList,
		Marks:   marks,
		Attendance: []*ejournal.AttendanceRecord{
			att("m1", "f3", ejournal.Present), att("r1", "f3", ejournal.Present),
			att("m2", "f3", ejournal.Absent), att("m3", "f3", ejournal.Absent), att("m4", "f3", ejournal.Absent),
			att("r2", "f3", ejournal.Present), att("m5", "f3", ejournal.Present), att("m6", "f3", ejournal.Present),
			att("m7", "f3", ejournal.Present), att("r3", "f3", ejournal.Present),
			att("m8", "f3", ejournal.Absent), // a record dated after the day: not counted
		},
		TermMarks: []*ejournal.TermMark{
			{StudentID: "f1", SubjectID: "rus", Period: "q2", Value: "5", ConfirmedBy: "t2"},
			{StudentID: "f4", SubjectID: "pe", Period: "q2", Value: ejournal.Exempt, ConfirmedBy: "t3"},
			{StudentID: "f2", SubjectID: "math", Period: "q1", Value: "3"}, // another term
		},
		Debts: []ejournal.Debt{
			{YearID: "y", StudentID: "f4", SubjectID: "math", Period: "q1", Value: "2"},
			{YearID: "y", StudentID: "f4", SubjectID: "rus", Period: "q1", Value: "2", RetakeValue: 3, RetakeDate: "2025-11-20", ClosedBy: "t2"},
		},
		Year: &ejournal.SchoolYear{ID: "y", Terms: []ejournal.Term{{ID: "q1", Name: "1 четверть"}, {ID: "q2", Name: "2 четверть"}}},
	}
	fc := ejournal.BuildForecast(in)
	if fc.Term != "q2" || fc.On != "2025-12-10" || fc.Settings != (ejournal.ForecastSettings{MinMarks: 3, MinAttendance: 7500, AbsenceRun: 3}) || fc.Definition != ejournal.ByStudents {
		t.Errorf("header %q %q %+v %q", fc.Term, fc.On, fc.Settings, fc.Definition)
	}

	type line struct {
		subject              string
		marks, remaining     int
		held, missed         int
		projected, confirmed ejournal.TermValue
		flags                string // kind/severity, space separated
	}
	type student struct {
		id    string
		lines []line
		flags string
	}
	want := []student{
		{"f1", []line{
			{"math", 3, 4, 7, 0, "5", "", ""},
			{"rus", 3, 1, 3, 0, "5", "5", ""},
		}, ""},
		{"f2", []line{
			{"math", 3, 4, 7, 0, "2", "", "projected_fail/warning"},
			{"rus", 3, 1, 3, 0, "4", "", ""},
		}, ""},
		{"f3", []line{
			{"math", 3, 4, 7, 3, "4", "", "low_attendance/warning"},
			{"rus", 3, 1, 3, 0, "4", "", ""},
		}, "absence_run/warning"},
		{"f4", []line{
			{"math", 3, 4, 7, 0, "3", "", ""},
			{"rus", 3, 1, 3, 0, "4", "", ""},
			{"pe", 0, 0, 0, 0, ejournal.Exempt, ejournal.Exempt, ""},
		}, "open_debt/warning"},
		{"f5", []line{
			{"math", 0, 4, 3, 0, "", "", "few_marks/warning"},
			{"rus", 0, 1, 2, 0, ejournal.NotAssessed, "", "few_marks/critical"},
		}, ""},
	}
	kinds := func(flags []ejournal.RiskFlag, subject string) string {
		var out []string
		for _, f := range flags {
			if f.SubjectID != subject {
				t.Errorf("flag %s of subject %q, want %q", f.Kind, f.SubjectID, subject)
			}
			out = append(out, string(f.Kind)+"/"+string(f.Severity))
		}
		return strings.Join(out, " ")
	}
	if len(fc.Students) != len(want) {
		t.Fatalf("students %s", repJSON(fc.Students))
	}
	for i, w := range want {
		s := fc.Students[i]
		t.Run(w.id, func(t *testing.T) {
			if s.StudentID != w.id || s.ClassID != "c5a" || len(s.Subjects) != len(w.lines) {
				t.Fatalf("student %s", repJSON(s))
			}
			for j, wl := range w.lines {
				f := s.Subjects[j]
				got := line{f.SubjectID, f.Average.Count, f.Remaining, f.Attendance.Held, f.Attendance.Missed, f.Projected, f.Confirmed, kinds(f.Flags, f.SubjectID)}
				if got != wl || f.StudentID != w.id {
					t.Errorf("line %+v, want %+v", got, wl)
				}
			}
			var studentFlags []string
			for _, f := range s.Flags {
				studentFlags = append(studentFlags, string(f.Kind)+"/"+string(f.Severity))
			}
			if got := strings.Join(studentFlags, " "); got != w.flags {
				t.Errorf("student flags %q, want %q", got, w.flags)
			}
		})
	}
	t.Run("absence run", func(t *testing.T) {
		f := fc.Students[2].Flags[0]
		if f.Numbers != (ejournal.RiskNumbers{Run: 3, From: "2025-12-02", To: "2025-12-04"}) ||
			f.Reason.RU != "Пропущено подряд без уважительной причины уроков: 3 (02.12.2025 – 04.12.2025)." {
			t.Errorf("flag %s", repJSON(f))
		}
	})
	t.Run("open debt", func(t *testing.T) {
		f := fc.Students[3].Flags[0]
		if f.SubjectID != "math" || f.Numbers != (ejournal.RiskNumbers{Period: "q1", Value: "2"}) ||
			f.Reason.RU != "Не закрыта академическая задолженность: «2» за 1 четверть." {
			t.Errorf("flag %s", repJSON(f))
		}
	})
	t.Run("class projection", func(t *testing.T) {
		// Projected: Алексеев 5 5 (excellent), Белов 2 4 (failing), Васильев
		// 4 4 (good), Гусев 3 4 осв. (satisfactory), Дёмина — н/а (failing,
		// incomplete): 3/5 and 2/5; marks 5 2 4 3 | 5 4 4 4 н/а.
		want := []ejournal.ClassProjection{{ClassID: "c5a", ClassName: "5А",
			Figures: ejournal.Figures{Roll: 5, Students: 5, Marks: 9, N: 5, N5: 2, N4: 4, N3: 1, N2: 1, NA: 1, Exempt: 1, NoMark: 1, Incomplete: 1,
				Excellent: 1, Good: 1, Satisfactory: 1, Failing: 2,
				// (200+256+36+16+7)/9 = 515/9 = 57.22…; 31/8 = 3.875 rounds up
				Success: repH(6000), Quality: repH(4000), SOU: repH(5722), Average: repH(388)},
			Subjects: []ejournal.SubjectFigures{
				{SubjectID: "math", SubjectName: "Математика", Figures: ejournal.Figures{Roll: 5, Students: 4, Marks: 4, N: 4, N5: 1, N4: 1, N3: 1, N2: 1, NoMark: 1,
					Excellent: 1, Good: 1, Satisfactory: 1, Failing: 1,
					// 3/4, 2/4, (100+64+36+16)/4, 14/4
					Success: repH(7500), Quality: repH(5000), SOU: repH(5400), Average: repH(350)}},
				{SubjectID: "rus", SubjectName: "Русский язык", Figures: ejournal.Figures{Roll: 5, Students: 5, Marks: 5, N: 5, N5: 1, N4: 3, NA: 1,
					Excellent: 1, Good: 3, Failing: 1,
					// 4/5, 4/5, (100+192+7)/5 = 59.8, 17/4
					Success: repH(8000), Quality: repH(8000), SOU: repH(5980), Average: repH(425)}},
				{SubjectID: "pe", SubjectName: "Физкультура", Figures: ejournal.Figures{Roll: 1, Exempt: 1}},
			}}}
		if !reflect.DeepEqual(fc.Classes, want) {
			t.Errorf("classes =\n%s\nwant\n%s", repJSON(fc.Classes), repJSON(want))
		}
	})
}

// BenchmarkBuildForecast forecasts a whole school of 1,000 students: 40
// classes of 25, 15 subjects with two lessons a week over an 8-week term
// (half held), a mark per student every other held lesson and attendance
// taken at every held lesson.
func BenchmarkBuildForecast(b *testing.B) {
	in := ejournal.ForecastInput{
		Term:    ejournal.Term{ID: "q2", Start: "2025-11-03", End: "2025-12-28"},
		On:      "2025-11-30",
		Grading: ejournal.DefaultGradingSettings("s", "y"),
	}
	start := ejournal.Date("2025-11-03").Time()
	for c := range 40 {
		class := fmt.Sprintf("c%d", c)
		in.Classes = append(in.Classes, &ejournal.Class{ID: class, Grade: 1 + c/4, Letter: "А"})
		for s := range 25 {
			in.Roster = append(in.Roster, ejournal.RosterEntry{StudentID: fmt.Sprintf("%s-s%d", class, s), LastName: fmt.Sprint(s), ClassID: class})
		}
		for subj := range 15 {
			subject := fmt.Sprintf("subj%d", subj)
			in.Assignments = append(in.Assignments, &ejournal.Assignment{TeacherID: "t" + subject, ClassID: class, SubjectID: subject})
			for n := range 16 {
				d := ejournal.DateOf(start.AddDate(0, 0, n/2*7+n%2*2+subj%3))
				l := &ejournal.Lesson{ID: fmt.Sprintf("%s-%s-%d", class, subject, n), ClassID: class, SubjectID: subject, Date: d, Period: 1 + subj%6}
				in.Lessons = append(in.Lessons, l)
				if d > in.On {
					continue
				}
				for s := range 25 {
					student := fmt.Sprintf("%s-s%d", class, s)
					in.Attendance = append(in.Attendance, &ejournal.AttendanceRecord{LessonID: l.ID, StudentID: student, Date: d, Code: []ejournal.AttendanceCode{"", "", "", "", "н", "б", "о"}[(s+n)%7]})
					if (s+n)%2 == 0 {
						in.Marks = append(in.Marks, &ejournal.SubjectMark{SubjectID: subject, Mark: &ejournal.Mark{LessonID: l.ID, StudentID: student, Value: 2 + (s*n+subj)%4, Weight: 100, Date: d}})
					}
				}
			}
		}
	}
	b.ResetTimer()
	for b.Loop() {
		fc := ejournal.BuildForecast(in)
		if len(fc.Students) != 1000 || len(fc.Classes) != 40 {
			b.Fatalf("%d students, %d classes", len(fc.Students), len(fc.Classes))
		}
	}
}
