package dynamo_test

import (
	"slices"
	"strings"
	"testing"

	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

func newPlan(s *school, groupID string, titles ...string) *ejournal.Plan {
	p := &ejournal.Plan{SchoolID: s.ID, YearID: s.Year.ID, ClassID: s.Class.ID, SubjectID: s.Subject.ID, GroupID: groupID}
	for _, t := range titles {
		p.Topics = append(p.Topics, ejournal.PlanTopic{Section: "Раздел", Title: t, Hours: 1})
	}
	return p
}

func TestPlanLifecycle(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "t1", SchoolID: "s1"})
	s := mustSchool(t, db, "s1")

	p := newPlan(s, "", "Present Simple", "Past Simple")
	must(t, db.SavePlan(ctx, p))
	if p.ID != ejournal.PlanID(s.Class.ID, s.Subject.ID, "") || p.Version != 1 || p.CreatedAt.IsZero() || p.Topics[0].ID == "" {
		t.Fatalf("created plan %+v", p)
	}
	wantError(t, db.SavePlan(ctx, newPlan(s, "", "Второй план")), ejournal.ECONFLICT)
	g := newPlan(s, s.Group.ID, "Group topic")
	must(t, db.SavePlan(ctx, g))

	got, err := db.Plan(ctx, "s1", s.Year.ID, p.ID)
	must(t, err)
	if got.Version != 1 || len(got.Topics) != 2 || got.Topics[1].Title != "Past Simple" || got.Topics[0].ID != p.Topics[0].ID {
		t.Fatalf("stored plan %+v", got)
	}
	byClass, err := db.PlanFor(ctx, "s1", s.Year.ID, s.Class.ID, s.Subject.ID, s.Group.ID)
	must(t, err)
	if byClass.ID != g.ID {
		t.Fatalf("PlanFor the group = %s, want %s", byClass.ID, g.ID)
	}
	list, err := db.Plans(ctx, "s1", s.Year.ID, s.Class.ID)
	must(t, err)
	if got := ids(list, func(p *ejournal.Plan) string { return p.ID }); !slices.Equal(got, []string{p.ID, g.ID}) {
		t.Fatalf("plans of the class %v", got) // "<cid>#<subj>#-" sorts before "<cid>#<subj>#<gid>"
	}
	for _, id := range []string{"", "x", "a#b.c", s.Class.ID + ".other"} {
		_, err := db.Plan(ctx, "s1", s.Year.ID, id)
		wantError(t, err, ejournal.ENOTFOUND)
	}
	_, err = db.Plan(ctx, "s2", s.Year.ID, p.ID)
	wantError(t, err, ejournal.ENOTFOUND)

	checkStaleVersion(t,
		func() (*ejournal.Plan, error) { return db.Plan(ctx, "s1", s.Year.ID, p.ID) },
		func(v *ejournal.Plan) error { return db.SavePlan(ctx, v) },
		func(v *ejournal.Plan) *int64 { return &v.Version },
		func(v *ejournal.Plan, m string) string {
			if m != "" {
				v.Topics = slices.Clone(v.Topics) // checkStaleVersion copies the plan shallowly
				v.Topics[0].Title = m
			}
			return v.Topics[0].Title
		})

	wantError(t, db.DeletePlan(ctx, "s1", s.Year.ID, p.ID, 1), ejournal.ECONFLICT)
	must(t, db.DeletePlan(ctx, "s1", s.Year.ID, p.ID, 2))
	_, err = db.Plan(ctx, "s1", s.Year.ID, p.ID)
	wantError(t, err, ejournal.ENOTFOUND)

	trail, err := db.AuditTrail(ctx, "s1", "plan", s.Class.ID) // a class's plans share its trail
	must(t, err)
	var actions []string
	for _, e := range trail {
		if e.Action == "create" && e.New != nil && strings.Contains(string(e.New), g.ID) {
			continue // the group's plan
		}
		actions = append(actions, e.Action)
		if e.Action == "update" && (len(e.Old) == 0 || len(e.New) == 0) {
			t.Fatalf("update audit entry without old and new: %+v", e)
		}
	}
	if !slices.Equal(actions, []string{"create", "update", "delete"}) {
		t.Fatalf("audit trail %v", actions)
	}
}

func TestSavePlanChecks(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := t.Context()
	s := mustSchool(t, db, "s1")
	next := newYear("s1", 2026)
	must(t, db.CreateYear(ctx, next))
	other := &ejournal.Class{SchoolID: "s1", YearID: s.Year.ID, Grade: 5, Letter: "Б"}
	must(t, db.CreateClass(ctx, other))
	for _, tc := range []struct {
		name   string
		edit   func(*ejournal.Plan)
		fields []string
	}{
		{"no class", func(p *ejournal.Plan) { p.ClassID = "nope" }, []string{"class_id"}},
		{"a class of another year", func(p *ejournal.Plan) { p.YearID = next.ID }, []string{"class_id"}},
		{"no year", func(p *ejournal.Plan) { p.YearID = "nope" }, []string{"year_id"}},
		{"no subject", func(p *ejournal.Plan) { p.SubjectID = "nope" }, []string{"subject_id"}},
		{"a group of another class", func(p *ejournal.Plan) { p.ClassID = other.ID }, []string{"group_id"}},
		{"a date outside the year", func(p *ejournal.Plan) { p.Topics[0].PlannedDate = "2027-01-01" }, []string{"topics[0].planned_date"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPlan(s, s.Group.ID, "Тема")
			tc.edit(p)
			wantError(t, db.SavePlan(ctx, p), ejournal.EINVALID, tc.fields...)
		})
	}
	list, err := db.Plans(ctx, "s1", s.Year.ID, "")
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("refused plans were written: %+v", list)
	}
}

// A lesson created without a topic gets the next topic of its plan; one
// with a topic keeps it; lessons of a group follow the group's plan.
func TestLessonTakesNextPlanTopic(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := t.Context()
	s := mustSchool(t, db, "s1")
	p := newPlan(s, "", "Тема 1", "Тема 2")
	p.Topics[0].Hours = 2
	must(t, db.SavePlan(ctx, p))

	var made []string
	for i, typed := range []string{"", "Своя тема", "", "", ""} {
		l := newLesson(s, ejournal.Date("2025-09-0"+string(rune('1'+i))), 1)
		l.Topic = typed
		must(t, db.CreateLesson(ctx, l))
		made = append(made, l.PlanTopicID+"/"+l.Topic)
	}
	want := []string{p.Topics[0].ID + "/Тема 1", "/Своя тема", p.Topics[0].ID + "/Тема 1", p.Topics[1].ID + "/Тема 2", "/"}
	if !slices.Equal(made, want) {
		t.Fatalf("lesson topics %v, want %v", made, want)
	}
	gl := newLesson(s, "2025-09-10", 2)
	gl.GroupID = s.Group.ID
	must(t, db.CreateLesson(ctx, gl))
	if gl.Topic != "" || gl.PlanTopicID != "" {
		t.Fatalf("a group's lesson took the class plan's topic: %+v", gl)
	}
}
