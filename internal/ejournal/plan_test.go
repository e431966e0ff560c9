package ejournal_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"ejournal/internal/ejournal"
)

// plan returns a valid plan of year y2025 with topics of the given hours,
// ids t1, t2, … and titles "Тема 1", "Тема 2", ….
func plan(hours ...int) *ejournal.Plan {
	p := &ejournal.Plan{ID: "c5a.math", SchoolID: "s1", YearID: "y2025", ClassID: "c5a", SubjectID: "math"}
	for i, h := range hours {
		p.Topics = append(p.Topics, ejournal.PlanTopic{ID: fmt.Sprintf("t%d", i+1), Section: "Числа", Title: fmt.Sprintf("Тема %d", i+1), Hours: h})
	}
	return p
}

// lessons returns lessons of class c5a in math on the given dates, period 1.
func lessons(dates ...ejournal.Date) []*ejournal.Lesson {
	var out []*ejournal.Lesson
	for i, d := range dates {
		out = append(out, &ejournal.Lesson{ID: fmt.Sprintf("l%d", i+1), ClassID: "c5a", SubjectID: "math", Date: d, Period: 1})
	}
	return out
}

func topicsOf(ls []*ejournal.Lesson) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.PlanTopicID+"/"+l.Topic)
	}
	return out
}

func TestPlanID(t *testing.T) {
	for _, tc := range []struct{ class, subject, group, id string }{
		{"c-5_a", "math", "", "c-5_a.math"},
		{"c5a", "eng", "g1", "c5a.eng.g1"},
	} {
		if got := ejournal.PlanID(tc.class, tc.subject, tc.group); got != tc.id {
			t.Errorf("PlanID = %q, want %q", got, tc.id)
		}
		c, s, g, ok := ejournal.ParsePlanID(tc.id)
		if !ok || c != tc.class || s != tc.subject || g != tc.group {
			t.Errorf("ParsePlanID(%q) = %q %q %q %v", tc.id, c, s, g, ok)
		}
	}
	for _, bad := range []string{"", "c5a", "c5a.", ".math", "c5a.math.g1.x", "c5a#x.math", "c5a..math"} {
		if _, _, _, ok := ejournal.ParsePlanID(bad); ok {
			t.Errorf("ParsePlanID(%q) ok", bad)
		}
	}
}

func TestPlanValidate(t *testing.T) {
	year := schoolYear()
	tests := []struct {
		name   string
		edit   func(*ejournal.Plan)
		fields []string
	}{
		{"valid", func(*ejournal.Plan) {}, nil},
		{"dates in order", func(p *ejournal.Plan) { p.Topics[0].PlannedDate, p.Topics[2].PlannedDate = "2025-09-02", "2025-09-02" }, nil},
		{"no ids", func(p *ejournal.Plan) { p.ClassID, p.SubjectID, p.YearID = "", "", "" }, []string{"class_id", "subject_id", "year_id"}},
		{"another year", func(p *ejournal.Plan) { p.YearID = "y2026" }, []string{"year_id"}},
		{"bad group", func(p *ejournal.Plan) { p.GroupID = "g#1" }, []string{"group_id"}},
		{"no topics", func(p *ejournal.Plan) { p.Topics = nil }, []string{"topics"}},
		{"too many topics", func(p *ejournal.Plan) { p.Topics = plan(slices.Repeat([]int{1}, 401)...).Topics }, []string{"topics"}},
		{"empty title", func(p *ejournal.Plan) { p.Topics[1].Title = " " }, []string{"topics[1].title"}},
		{"long title", func(p *ejournal.Plan) { p.Topics[1].Title = strings.Repeat("я", 501) }, []string{"topics[1].title"}},
		{"control in section", func(p *ejournal.Plan) { p.Topics[0].Section = "a\x00" }, []string{"topics[0].section"}},
		{"not for XML", func(p *ejournal.Plan) { p.Topics[0].Section, p.Topics[1].Title = "a\uFFFE", "b\uFFFF" }, []string{"topics[0].section", "topics[1].title"}},
		{"hours", func(p *ejournal.Plan) { p.Topics[0].Hours, p.Topics[1].Hours = 0, 21 }, []string{"topics[0].hours", "topics[1].hours"}},
		{"duplicate id", func(p *ejournal.Plan) { p.Topics[2].ID = "t1" }, []string{"topics[2].id"}},
		{"bad id", func(p *ejournal.Plan) { p.Topics[2].ID = "t 1" }, []string{"topics[2].id"}},
		{"bad date", func(p *ejournal.Plan) { p.Topics[0].PlannedDate = "2025-02-30" }, []string{"topics[0].planned_date"}},
		{"date outside the year", func(p *ejournal.Plan) { p.Topics[0].PlannedDate = "2026-06-01" }, []string{"topics[0].planned_date"}},
		{"dates out of order", func(p *ejournal.Plan) { p.Topics[0].PlannedDate, p.Topics[2].PlannedDate = "2025-10-01", "2025-09-30" }, []string{"topics[2].planned_date"}},
		{"too much text", func(p *ejournal.Plan) {
			p.Topics = plan(slices.Repeat([]int{1}, 300)...).Topics
			for i := range p.Topics {
				p.Topics[i].Title = strings.Repeat("я", 200)
			}
		}, []string{"topics"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := plan(1, 2, 1)
			tc.edit(p)
			checkValidate(t, validateWith(func() error { return p.Validate(year) }), tc.fields...)
		})
	}
	p := plan(1, 1)
	p.Topics[1].ID = ""
	if err := p.Validate(year); err != nil || !ejournal.ValidID(p.Topics[1].ID) || p.Topics[0].ID != "t1" {
		t.Fatalf("Validate gives a topic without an id a new one and keeps the others: %+v, %v", p.Topics, err)
	}
	if p.TotalHours() != 2 {
		t.Fatalf("TotalHours = %d", p.TotalHours())
	}
}

func TestAssignPlanTopics(t *testing.T) {
	p := plan(2, 1, 1)
	ls := lessons("2025-09-01", "2025-09-02", "2025-09-03", "2025-09-04", "2025-09-05", "2025-09-08")
	ls[1].Topic = "Своя тема"     // typed by hand: keeps it, takes no plan topic
	ls[3].PlanTopicID = "t2"      // already holds topic 2
	ls[3].Topic = "Тема 2 (своя)" // and its own wording
	if n := ejournal.AssignPlanTopics(p, ls); n != 3 {
		t.Fatalf("changed %d lessons, want 3", n)
	}
	want := []string{"t1/Тема 1", "/Своя тема", "t1/Тема 1", "t2/Тема 2 (своя)", "t3/Тема 3", "/"}
	if got := topicsOf(ls); !slices.Equal(got, want) {
		t.Fatalf("topics %v, want %v", got, want)
	}
	if ejournal.NextTopic(p, ls) != nil {
		t.Fatal("a covered plan has no next topic")
	}
	// Running it again changes nothing.
	if n := ejournal.AssignPlanTopics(p, ls); n != 0 || !slices.Equal(topicsOf(ls), want) {
		t.Fatalf("second run changed %d lessons: %v", n, topicsOf(ls))
	}
	if next := ejournal.NextTopic(p, ls[:2]); next == nil || next.ID != "t1" {
		t.Fatalf("next topic after one lesson of a two-hour topic = %+v, want t1", next)
	}
	if ejournal.AssignPlanTopics(nil, ls) != 0 || ejournal.NextTopic(nil, ls) != nil {
		t.Fatal("no plan assigns nothing")
	}
}

func TestLinkPlanTopic(t *testing.T) {
	p := plan(2, 1)
	group := plan(1)
	group.GroupID = "g1"
	for _, tt := range []struct {
		name  string
		plan  *ejournal.Plan
		group string
		topic string
		want  string // the lesson's topic after; "" when refused
	}{
		{"a topic of the plan gives its title", p, "", "t2", "Тема 2"},
		{"a topic the plan does not hold", p, "", "t9", ""},
		{"no plan", nil, "", "t1", ""},
		{"the plan of the whole class for a group's lesson", p, "g1", "t1", ""},
		{"the group's own plan", group, "g1", "t1", "Тема 1"},
	} {
		l := &ejournal.Lesson{YearID: "y2025", ClassID: "c5a", SubjectID: "math", GroupID: tt.group, Topic: "Своя тема", PlanTopicID: tt.topic}
		err := ejournal.LinkPlanTopic(l, tt.plan)
		switch {
		case tt.want == "" && (ejournal.ErrorCode(err) != ejournal.EINVALID || err.(*ejournal.Error).Fields["plan_topic_id"].RU == ""):
			t.Errorf("%s: %v, want EINVALID naming plan_topic_id", tt.name, err)
		case tt.want == "" && l.Topic != "Своя тема":
			t.Errorf("%s: a refused link changed the topic to %q", tt.name, l.Topic)
		case tt.want != "" && (err != nil || l.Topic != tt.want):
			t.Errorf("%s: %v, topic %q, want %q", tt.name, err, l.Topic, tt.want)
		}
	}
	other := plan(1)
	other.YearID = "y2026"
	if err := ejournal.LinkPlanTopic(&ejournal.Lesson{YearID: "y2025", ClassID: "c5a", SubjectID: "math", PlanTopicID: "t1"}, other); err == nil {
		t.Error("a plan of another school year linked")
	}
}

func TestPlanLessons(t *testing.T) {
	p := plan(1)
	ls := lessons("2025-09-03", "2025-09-01", "2025-09-01")
	ls[2].Period = 0
	other := &ejournal.Lesson{ID: "x", ClassID: "c5a", SubjectID: "math", GroupID: "g1", Date: "2025-09-01"}
	art := &ejournal.Lesson{ID: "y", ClassID: "c5a", SubjectID: "art", Date: "2025-09-01"}
	got := ejournal.PlanLessons(p, append(ls, other, art))
	if ids := []string{got[0].ID, got[1].ID, got[2].ID}; len(got) != 3 || !slices.Equal(ids, []string{"l3", "l2", "l1"}) {
		t.Fatalf("plan lessons %v", ids)
	}
}

func TestProgress(t *testing.T) {
	tests := []struct {
		name  string
		dates []ejournal.Date // planned dates of the topics, "" for none
		held  []string        // topics of the lessons held by today, "" for none
		later []string        // topics of the lessons after today
		want  ejournal.PlanProgress
		due   []bool
	}{
		{
			name: "by order: on track",
			held: []string{"t1", "t1", "t2"},
			want: ejournal.PlanProgress{PlannedHours: 5, HeldLessons: 3, TaughtHours: 3, DueHours: 3},
			due:  []bool{true, true, false},
		},
		{
			name: "by order: behind after an unplanned lesson and an extra lesson",
			held: []string{"t1", "", "t1", "t1", "t2"},
			want: ejournal.PlanProgress{PlannedHours: 5, HeldLessons: 5, UnplannedLessons: 1, TaughtHours: 3, DueHours: 5, Lag: 2},
			due:  []bool{true, true, true},
		},
		{
			name:  "by dates: ahead",
			dates: []ejournal.Date{"2025-09-01", "2025-09-20", "2025-10-01"},
			held:  []string{"t1", "t1", "t2"},
			later: []string{"t2", "t3"},
			want:  ejournal.PlanProgress{ByDates: true, PlannedHours: 5, HeldLessons: 3, TaughtHours: 3, DueHours: 2, Lag: -1},
			due:   []bool{true, false, false},
		},
		{
			name:  "by dates: an undated topic before a due one is due",
			dates: []ejournal.Date{"2025-09-01", "", "2025-09-10"},
			held:  []string{"t1"},
			want:  ejournal.PlanProgress{ByDates: true, PlannedHours: 5, HeldLessons: 1, TaughtHours: 1, DueHours: 5, Lag: 4},
			due:   []bool{true, true, true},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := plan(2, 2, 1)
			for i, d := range tc.dates {
				p.Topics[i].PlannedDate = d
			}
			var ls []*ejournal.Lesson
			for i, topic := range tc.held {
				ls = append(ls, &ejournal.Lesson{Date: ejournal.Date(fmt.Sprintf("2025-09-%02d", i+1)), PlanTopicID: topic})
			}
			for i, topic := range tc.later {
				ls = append(ls, &ejournal.Lesson{Date: ejournal.Date(fmt.Sprintf("2025-09-%02d", i+16)), PlanTopicID: topic})
			}
			got := ejournal.Progress(p, ls, "2025-09-15")
			w := tc.want
			if got.PlanID != p.ID || got.Today != "2025-09-15" || got.ByDates != w.ByDates || got.PlannedHours != w.PlannedHours || got.HeldLessons != w.HeldLessons ||
				got.UnplannedLessons != w.UnplannedLessons || got.TaughtHours != w.TaughtHours || got.DueHours != w.DueHours || got.Lag != w.Lag {
				t.Fatalf("progress %+v, want %+v", *got, w)
			}
			for i, tp := range got.Topics {
				if tp.Due != tc.due[i] {
					t.Errorf("topic %s due = %v, want %v", tp.ID, tp.Due, tc.due[i])
				}
			}
		})
	}
	p := plan(2, 2, 1)
	ls := []*ejournal.Lesson{{Date: "2025-09-01", PlanTopicID: "t1"}, {Date: "2025-09-20", PlanTopicID: "t1"}, {Date: "2025-09-21", PlanTopicID: "t2"}}
	got := ejournal.Progress(p, ls, "2025-09-15")
	if got.Topics[0].Held != 1 || got.Topics[0].Scheduled != 1 || got.Topics[1].Scheduled != 1 || got.NextTopic == nil || got.NextTopic.ID != "t2" {
		t.Fatalf("held and scheduled per topic, next topic: %+v", got)
	}
}

func TestPlanCopy(t *testing.T) {
	p := plan(1, 2)
	p.GroupID, p.Version = "g1", 3
	p.Topics[0].PlannedDate = "2025-09-02"
	same := ejournal.CopyPlan(p, "c5b", "y2025")
	next := ejournal.CopyPlan(p, "c6a", "y2026")
	for _, c := range []*ejournal.Plan{same, next} {
		if c.SchoolID != "s1" || c.SubjectID != "math" || c.GroupID != "" || c.Version != 0 || c.ID != "" || len(c.Topics) != 2 {
			t.Fatalf("copy %+v", c)
		}
		for i, tp := range c.Topics {
			if tp.ID == p.Topics[i].ID || !ejournal.ValidID(tp.ID) || tp.Title != p.Topics[i].Title || tp.Hours != p.Topics[i].Hours || tp.Section != p.Topics[i].Section {
				t.Fatalf("copied topic %+v of %+v", tp, p.Topics[i])
			}
		}
	}
	if same.ClassID != "c5b" || same.Topics[0].PlannedDate != "2025-09-02" || next.YearID != "y2026" || next.Topics[0].PlannedDate != "" {
		t.Fatalf("planned dates kept in the same year, dropped in the next: %+v / %+v", same.Topics[0], next.Topics[0])
	}
	if p.Topics[0].ID != "t1" {
		t.Fatal("Copy changed the original")
	}
}
