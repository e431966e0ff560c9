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

func TestLessonLinksPlanTopic(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := t.Context()
	s := mustSchool(t, db, "s1")
	p := newPlan(s, "", "Тема 1", "Тема 2", "Тема 3")
	must(t, db.SavePlan(ctx, p))
	l := newLesson(s, "2025-09-01", 1)
	l.Topic = "Своя тема"
	must(t, db.CreateLesson(ctx, l))
	lessons := func() []*ejournal.Lesson {
		t.Helper()
		ls, err := db.JournalLessons(ctx, "s1", s.Class.ID, s.Subject.ID, s.Year.Start, s.Year.End)
		must(t, err)
		return ls
	}
	if pg := ejournal.Progress(p, ejournal.PlanLessons(p, lessons()), "2025-09-30"); pg.TaughtHours != 0 || pg.UnplannedLessons != 1 {
		t.Fatalf("progress before the link = %+v", pg)
	}

	// A topic of another plan, or none of this one: refused, nothing written.
	for _, id := range []string{"nope", "t-" + p.Topics[0].ID} {
		bad := *l
		bad.PlanTopicID = id
		wantError(t, db.UpdateLesson(ctx, &bad), ejournal.EINVALID, "plan_topic_id")
	}
	linked := *l
	linked.PlanTopicID = p.Topics[1].ID
	must(t, db.UpdateLesson(ctx, &linked))
	if linked.Topic != "Тема 2" || linked.Version != 2 {
		t.Fatalf("linked lesson = %+v", linked)
	}
	pg := ejournal.Progress(p, ejournal.PlanLessons(p, lessons()), "2025-09-30")
	if pg.TaughtHours != 1 || pg.Topics[1].Held != 1 || pg.UnplannedLessons != 0 {
		t.Fatalf("progress after the link = %+v", pg)
	}
	// The link kept but the topic changed: the plan's title comes back.
	linked.Topic = "Тема два"
	must(t, db.UpdateLesson(ctx, &linked))
	if linked.Topic != "Тема 2" {
		t.Fatalf("the linked topic became %q", linked.Topic)
	}
	// Unlinked, the topic stays as typed.
	linked.PlanTopicID, linked.Topic = "", "Повторение"
	must(t, db.UpdateLesson(ctx, &linked))
	if got, err := db.Lesson(ctx, "s1", l.ID); err != nil || got.PlanTopicID != "" || got.Topic != "Повторение" {
		t.Fatalf("unlinked lesson = %+v, %v", got, err)
	}

	// A group's lesson follows its group's plan only.
	gl := newLesson(s, "2025-09-02", 2)
	gl.GroupID, gl.Topic = s.Group.ID, "Своя"
	must(t, db.CreateLesson(ctx, gl))
	gl.PlanTopicID = p.Topics[0].ID
	wantError(t, db.UpdateLesson(ctx, gl), ejournal.EINVALID, "plan_topic_id")
	gp := newPlan(s, s.Group.ID, "Тема группы")
	must(t, db.SavePlan(ctx, gp))
	gl.PlanTopicID = gp.Topics[0].ID
	must(t, db.UpdateLesson(ctx, gl))
	if gl.Topic != "Тема группы" {
		t.Fatalf("group lesson = %+v", gl)
	}
	if got, want := auditActions(t, db, "lesson", l.ID), []string{"create:", "update:", "update:", "update:"}; !slices.Equal(got, want) {
		t.Fatalf("lesson audit = %v, want %v", got, want)
	}
}
