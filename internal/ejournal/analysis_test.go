package ejournal_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"ejournal/internal/ejournal"
)

func TestDistributionOf(t *testing.T) {
	tests := []struct {
		name   string
		values []int
		want   ejournal.MarkDistribution
	}{
		{"none", nil, ejournal.MarkDistribution{}},
		// 4/7, 1/7 …, 29/7
		{"sevenths", []int{5, 4, 3, 5, 2, 5, 5}, ejournal.MarkDistribution{Marks: 7, N5: 4, N4: 1, N3: 1, N2: 1,
			Share5: repH(5714), Share4: repH(1429), Share3: repH(1429), Share2: repH(1429), Share1: repH(0), Average: repH(414)}},
		{"with a one", []int{1, 5}, ejournal.MarkDistribution{Marks: 2, N5: 1, N1: 1,
			Share5: repH(5000), Share4: repH(0), Share3: repH(0), Share2: repH(0), Share1: repH(5000), Average: repH(300)}},
		// 4.125 rounds up
		{"half up", []int{5, 4, 4, 4, 4, 4, 4, 4}, ejournal.MarkDistribution{Marks: 8, N5: 1, N4: 7,
			Share5: repH(1250), Share4: repH(8750), Share3: repH(0), Share2: repH(0), Share1: repH(0), Average: repH(413)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var marks []*ejournal.Mark
			for _, v := range tt.values {
				marks = append(marks, &ejournal.Mark{Value: v})
			}
			if got := ejournal.DistributionOf(marks); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DistributionOf(%v) = %s, want %s", tt.values, repJSON(got), repJSON(tt.want))
			}
		})
	}
}

// TestBuildTeacherReport analyses the week 17–21 November 2025 of 5А in a
// school at UTC+5 (Asia/Yekaterinburg). Ким arrived on 19 November;
// group g1 is Антонов and Борисова.
//
//	t1 L1 17 Nov maths   all in order
//	   L2 18 Nov maths   topic blank, no homework
//	   L3 19 Nov maths   homework entered 19 Nov 20:30 UTC = 20 Nov 01:30 local: late; no attendance
//	   L4 20 Nov maths   links only, judged by UpdatedAt 20 Nov 18:59 UTC = 23:59 local: on time
//	   L5 21 Nov English, group g1
//	   L6 24 Nov maths   outside the period
//	t2 M1 17 Nov Russian
//	   M2 18 Nov Russian homework at 23:00 local; the lesson edited a week later
func TestBuildTeacherReport(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Yekaterinburg")
	if err != nil {
		t.Fatal(err)
	}
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	lesson := func(id, teacher, subject, group string, d ejournal.Date, topic, homework string, updated string) *ejournal.Lesson {
		return &ejournal.Lesson{ID: id, TeacherID: teacher, ClassID: "c5a", SubjectID: subject, GroupID: group, Date: d, Period: 1,
			Topic: topic, Homework: homework, UpdatedAt: utc(updated)}
	}
	l4 := lesson("L4", "t1", "math", "", "2025-11-20", "Проценты", "", "2025-11-20T18:59:00Z")
	l4.HomeworkLinks = []string{"https://resh.edu.ru/1"}
	mark := func(lessonID, student string, v int) *ejournal.Mark {
		return &ejournal.Mark{LessonID: lessonID, StudentID: student, Value: v}
	}
	in := ejournal.AnalysisInput{
		Scope: ejournal.Scope{
			Classes: []*ejournal.Class{{ID: "c5a", Grade: 5, Letter: "А"}},
			Roster: []ejournal.RosterEntry{
				{StudentID: "a1", LastName: "Антонов", ClassID: "c5a"},
				{StudentID: "a2", LastName: "Борисова", ClassID: "c5a"},
				{StudentID: "a3", LastName: "Волков", ClassID: "c5a"},
				{StudentID: "a4", LastName: "Ким", ClassID: "c5a", Arrived: "2025-11-19"},
			},
			Groups: map[string][]string{"g1": {"a1", "a2"}},
		},
		From: "2025-11-17", To: "2025-11-21", Location: loc,
		Lessons: []*ejournal.Lesson{
			lesson("L1", "t1", "math", "", "2025-11-17", "Дроби", "№ 1", "2025-11-17T10:00:00Z"),
			lesson("L2", "t1", "math", "", "2025-11-18", "  ", "", "2025-11-18T10:00:00Z"),
			lesson("L3", "t1", "math", "", "2025-11-19", "Доли", "№ 3", "2025-11-19T20:30:00Z"),
			l4,
			lesson("L5", "t1", "eng", "g1", "2025-11-21", "Colours", "ex. 2", "2025-11-21T05:00:00Z"),
			lesson("L6", "t1", "math", "", "2025-11-24", "", "", "2025-11-24T05:00:00Z"),
			lesson("M1", "t2", "rus", "", "2025-11-17", "Корень", "упр. 5", "2025-11-17T12:00:00Z"),
			lesson("M2", "t2", "rus", "", "2025-11-18", "Приставка", "упр. 9", "2025-11-25T09:00:00Z"),
		},
		HomeworkAt: map[string]time.Time{
			"L1": utc("2025-11-17T10:00:00Z"),
			"L3": utc("2025-11-19T20:30:00Z"),
			"M2": utc("2025-11-18T18:00:00Z"),
		},
		Marks: []*ejournal.Mark{
			mark("L1", "a1", 5), mark("L1", "a2", 4), mark("L2", "a3", 3), mark("L3", "a1", 5), mark("L3", "a4", 2),
			mark("L5", "a1", 5), mark("L5", "a2", 5),
			mark("M1", "a1", 4), mark("M1", "a2", 4), mark("M1", "a3", 3), mark("M2", "a1", 5),
			mark("L6", "a1", 2), // outside the period
		},
		Attendance: []*ejournal.AttendanceRecord{
			{LessonID: "L1", StudentID: "a1"}, {LessonID: "L2", StudentID: "a1"}, {LessonID: "L4", StudentID: "a1"},
			{LessonID: "L5", StudentID: "a1"}, {LessonID: "M1", StudentID: "a1"}, {LessonID: "M2", StudentID: "a1"},
		},
		PlanLag: map[string]int{"t1": 2},
	}
	r := ejournal.BuildTeacherReport(in)
	lag := 2
	// All 11 marks: 5 of 5, 3 of 4, 2 of 3, 1 of 2; 45/11
	school := ejournal.MarkDistribution{Marks: 11, N5: 5, N4: 3, N3: 2, N2: 1,
		Share5: repH(4545), Share4: repH(2727), Share3: repH(1818), Share2: repH(909), Share1: repH(0), Average: repH(409)}
	want := &ejournal.TeacherReport{From: "2025-11-17", To: "2025-11-21", School: school, Teachers: []ejournal.TeacherAnalysis{
		{TeacherID: "t1", Lessons: 5, WithoutTopic: 1, WithoutHomework: 1, LateHomework: 1, AttendanceNotTaken: 1,
			Checks: []ejournal.LessonCheck{
				{LessonID: "L2", Date: "2025-11-18", ClassID: "c5a", SubjectID: "math", NoTopic: true, NoHomework: true},
				{LessonID: "L3", Date: "2025-11-19", ClassID: "c5a", SubjectID: "math", LateHomework: true, NoAttendance: true},
			},
			// students per lesson: 3, 3, 4, 4 (maths), 2 (g1); marks 5 + 2
			Total: ejournal.TeachingLoad{Lessons: 5, StudentLessons: 16, Marks: 7, Rate: repH(44)},
			Loads: []ejournal.TeachingLoad{
				{ClassID: "c5a", SubjectID: "eng", Lessons: 1, StudentLessons: 2, Marks: 2, Rate: repH(100)},
				{ClassID: "c5a", SubjectID: "math", Lessons: 4, StudentLessons: 14, Marks: 5, Rate: repH(36)},
			},
			Distribution: ejournal.MarkDistribution{Marks: 7, N5: 4, N4: 1, N3: 1, N2: 1,
				Share5: repH(5714), Share4: repH(1429), Share3: repH(1429), Share2: repH(1429), Share1: repH(0), Average: repH(414)},
			Difference: ejournal.ShareDifference{Share5: repH(1169), Share4: repH(-1298), Share3: repH(-389), Share2: repH(520), Share1: repH(0)},
			PlanLag:    &lag},
		{TeacherID: "t2", Lessons: 2, Checks: []ejournal.LessonCheck{},
			Total: ejournal.TeachingLoad{Lessons: 2, StudentLessons: 6, Marks: 4, Rate: repH(67)},
			Loads: []ejournal.TeachingLoad{{ClassID: "c5a", SubjectID: "rus", Lessons: 2, StudentLessons: 6, Marks: 4, Rate: repH(67)}},
			Distribution: ejournal.MarkDistribution{Marks: 4, N5: 1, N4: 2, N3: 1,
				Share5: repH(2500), Share4: repH(5000), Share3: repH(2500), Share2: repH(0), Share1: repH(0), Average: repH(400)},
			Difference: ejournal.ShareDifference{Share5: repH(-2045), Share4: repH(2273), Share3: repH(682), Share2: repH(-909), Share1: repH(0)}},
	}}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("report =\n%s\nwant\n%s", repJSON(r), repJSON(want))
	}
	t.Run("in UTC the late homework is on time", func(t *testing.T) {
		in.Location = time.UTC
		if got := ejournal.BuildTeacherReport(in).Teachers[0].LateHomework; got != 0 {
			t.Errorf("late homework in UTC = %d, want 0", got)
		}
	})
}

func TestBuildSubjectTrend(t *testing.T) {
	q1 := repSchool()
	q1.Period, q1.End = "q1", "2025-10-26"
	// Антонов's 2 for the first quarter is in the data set already; Ёлкина
	// had not arrived and Егоров had not left by 26 October.
	for _, m := range []struct {
		student string
		v       ejournal.TermValue
	}{{"a2", "4"}, {"a3", "3"}, {"a4", "3"}, {"a5", "4"}, {"a6", "4"}, {"b1", "3"}, {"b2", "5"}, {"b3", "4"}} {
		q1.TermMarks = append(q1.TermMarks, &ejournal.TermMark{StudentID: m.student, SubjectID: "math", Period: "q1", Value: m.v})
	}
	tr := ejournal.BuildSubjectTrend("math", []*ejournal.Performance{ejournal.BuildPerformance(q1), ejournal.BuildPerformance(repSchool())})
	show := func(terms []ejournal.TermFigures) string {
		var out []string
		for _, tf := range terms {
			out = append(out, fmt.Sprintf("%s %v/%v Δ %v/%v", tf.Period, tf.Figures.Success, tf.Figures.Quality, tf.SuccessChange, tf.QualityChange))
		}
		return strings.Join(out, "; ")
	}
	tests := []struct {
		name  string
		terms []ejournal.TermFigures
		// success/quality and their changes, in %
		want []string
	}{
		// 5А q1: 2 4 3 3 4 4 → 5/6, 3/6; q2 5/6, 4/6
		{"5А", tr.Classes[0].Terms, []string{"q1", "83.33", "50", "<nil>", "<nil>", "q2", "83.33", "66.67", "0", "16.67"}},
		// 5Б q1: 3 5 4 → 3/3, 2/3; q2: 2/3, 2/3
		{"5Б", tr.Classes[1].Terms, []string{"q1", "100", "66.67", "<nil>", "<nil>", "q2", "66.67", "66.67", "-33.33", "0"}},
		// no marks either time
		{"6А", tr.Classes[2].Terms, []string{"q1", "<nil>", "<nil>", "<nil>", "<nil>", "q2", "<nil>", "<nil>", "<nil>", "<nil>"}},
		// grade 5 q1: 8/9, 5/9; q2: 7/9, 6/9
		{"grade 5", tr.Parallels[0].Terms, []string{"q1", "88.89", "55.56", "<nil>", "<nil>", "q2", "77.78", "66.67", "-11.11", "11.11"}},
		{"grade 6", tr.Parallels[1].Terms, []string{"q1", "<nil>", "<nil>", "<nil>", "<nil>", "q2", "<nil>", "<nil>", "<nil>", "<nil>"}},
		{"school", tr.School, []string{"q1", "88.89", "55.56", "<nil>", "<nil>", "q2", "77.78", "66.67", "-11.11", "11.11"}},
	}
	if tr.SubjectID != "math" || tr.Definition != ejournal.ByStudents || len(tr.Classes) != 3 || len(tr.Parallels) != 2 {
		t.Fatalf("trend %s", repJSON(tr))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.want
			want := fmt.Sprintf("%s %s/%s Δ %s/%s; %s %s/%s Δ %s/%s", w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9])
			if got := show(tt.terms); got != want {
				t.Errorf("trend %s, want %s", got, want)
			}
		})
	}
	t.Run("5А q1 counts Егоров, who left later", func(t *testing.T) {
		if f := tr.Classes[0].Terms[0].Figures; f.Roll != 6 || f.N2 != 1 || f.N4 != 3 {
			t.Errorf("5А q1 %s", repJSON(f))
		}
	})
}
