package dynamo_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// markWorld is a school with a lesson on 2025-10-01 and a second class
// with a student of its own.
func markWorld(t *testing.T) (*dynamo.DB, *school, *ejournal.Lesson, *ejournal.Person) {
	t.Helper()
	db := dynamotest.MustOpen(t)
	// A clock that ticks a second a reading, so audit entries keep their order.
	now := time.Date(2025, 10, 1, 5, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { now = now.Add(time.Second); return now }
	s := mustSchool(t, db, "s1")
	l := newLesson(s, "2025-10-01", 1)
	must(t, db.CreateLesson(t.Context(), l))
	other := &ejournal.Class{SchoolID: "s1", YearID: s.Year.ID, Grade: 5, Letter: "Б"}
	must(t, db.CreateClass(t.Context(), other))
	stranger := newPerson("s1", ejournal.Student, "Чужая", other.ID)
	must(t, db.CreatePerson(t.Context(), stranger))
	return db, s, l, stranger
}

func auditActions(t *testing.T, db *dynamo.DB, kind, id string) []string {
	t.Helper()
	trail, err := db.AuditTrail(t.Context(), "s1", kind, id)
	must(t, err)
	var out []string
	for _, e := range trail {
		out = append(out, e.Action+":"+e.Reason)
	}
	return out
}

func TestMarkLifecycle(t *testing.T) {
	t.Parallel()
	db, s, l, _ := markWorld(t)
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: s.Teacher.ID, SchoolID: "s1"})
	marks := []*ejournal.Mark{{StudentID: s.Student.ID, Value: 5}, {StudentID: s.Student.ID, Value: 3, WorkType: "test", Comment: "ошибки в задаче 2"}}
	must(t, db.CreateMarks(ctx, l, marks))
	for _, m := range marks {
		if !strings.HasPrefix(m.ID, l.ID+"_") || m.Version != 1 || m.Date != l.Date || m.TeacherID != s.Teacher.ID {
			t.Fatalf("created mark = %+v", m)
		}
	}
	if marks[0].WorkType != "classwork" || marks[0].Weight != 100 || marks[1].Weight != 300 {
		t.Fatalf("captured types and weights: %+v %+v", marks[0], marks[1])
	}

	// The stored item carries what the stream consumer needs.
	lid, mid, _ := strings.Cut(marks[1].ID, "_")
	out, err := dynamotest.Client(t).GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(db.Table()), Key: map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: "S#s1#LESSON#" + lid}, "SK": &types.AttributeValueMemberS{Value: "MARK#" + mid},
	}})
	must(t, err)
	for name, want := range map[string]string{"type": "mark", "school_id": "s1", "student_id": s.Student.ID, "lesson_id": l.ID, "subject_id": s.Subject.ID, "class_id": s.Class.ID, "date": "2025-10-01"} {
		if got, _ := out.Item[name].(*types.AttributeValueMemberS); got == nil || got.Value != want {
			t.Errorf("stored mark %s = %v, want %q", name, out.Item[name], want)
		}
	}
	if v, _ := out.Item["value"].(*types.AttributeValueMemberN); v == nil || v.Value != "3" {
		t.Errorf("stored mark value = %v", out.Item["value"])
	}

	edit := ejournal.MarkChange{Value: 4, Version: 1, MayEdit: true}
	got, err := db.UpdateMark(ctx, l, marks[1].ID, edit)
	must(t, err)
	if got.Value != 4 || got.Version != 2 || got.Weight != 300 || got.Comment != "ошибки в задаче 2" {
		t.Fatalf("updated mark = %+v", got)
	}
	_, err = db.UpdateMark(ctx, l, marks[1].ID, edit)
	wantError(t, err, ejournal.ECONFLICT)
	_, err = db.UpdateMark(ctx, l, marks[1].ID, ejournal.MarkChange{Value: 4, Version: 2})
	wantError(t, err, ejournal.EFORBIDDEN)
	_, err = db.DeleteMark(ctx, l, marks[1].ID, ejournal.MarkChange{Version: 2, MayEdit: true, Reason: "не тот ученик"})
	must(t, err)
	_, err = db.UpdateMark(ctx, l, marks[1].ID, ejournal.MarkChange{Value: 4, Version: 3, MayEdit: true})
	wantError(t, err, ejournal.ENOTFOUND)
	if got, want := strings.Join(auditActions(t, db, "mark", marks[1].ID), ","), "create:,update:,delete:не тот ученик"; got != want {
		t.Fatalf("mark audit = %s, want %s", got, want)
	}
}

func TestCreateMarksRefusesAll(t *testing.T) {
	t.Parallel()
	db, s, l, stranger := markWorld(t)
	ctx := t.Context()
	many := make([]*ejournal.Mark, ejournal.MaxMarksPerRequest+1)
	for i := range many {
		many[i] = &ejournal.Mark{StudentID: s.Student.ID, Value: 4}
	}
	for _, tc := range []struct {
		name   string
		marks  []*ejournal.Mark
		fields []string
	}{
		{"none", nil, []string{"marks"}},
		{"too many", many, []string{"marks"}},
		{"mark 7", []*ejournal.Mark{{StudentID: s.Student.ID, Value: 5}, {StudentID: s.Student.ID, Value: 7}}, []string{"marks[1].value"}},
		{"mark 1 not allowed", []*ejournal.Mark{{StudentID: s.Student.ID, Value: 1}}, []string{"marks[0].value"}},
		{"student of another class", []*ejournal.Mark{{StudentID: s.Student.ID, Value: 5}, {StudentID: stranger.ID, Value: 5}}, []string{"marks[1].student_id"}},
		{"unknown work type", []*ejournal.Mark{{StudentID: s.Student.ID, Value: 5, WorkType: "dance"}}, []string{"marks[0].work_type"}},
		{"no student", []*ejournal.Mark{{Value: 5}}, []string{"marks[0].student_id"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, db.CreateMarks(ctx, l, tc.marks), ejournal.EINVALID, tc.fields...)
		})
	}
	rows, err := db.TermSheet(ctx, "s1", s.Class.ID, s.Subject.ID, "h1")
	must(t, err)
	if len(rows) != 1 || rows[0].Suggestion.Average.Count != 0 {
		t.Fatalf("marks were written: %+v", rows)
	}
}

func TestMarkEditWindow(t *testing.T) {
	t.Parallel()
	db, s, l, _ := markWorld(t)
	ctx := t.Context()
	m := &ejournal.Mark{StudentID: s.Student.ID, Value: 3}
	must(t, db.CreateMarks(ctx, l, []*ejournal.Mark{m}))
	// The window of 7 days closes at the end of 2025-10-08 in Yekaterinburg (UTC+5).
	db.Now = func() time.Time { return time.Date(2025, 10, 8, 18, 59, 0, 0, time.UTC) }
	_, err := db.UpdateMark(ctx, l, m.ID, ejournal.MarkChange{Value: 4, Version: 1, MayEdit: true})
	must(t, err)
	db.Now = func() time.Time { return time.Date(2025, 10, 8, 19, 0, 0, 0, time.UTC) }
	_, err = db.UpdateMark(ctx, l, m.ID, ejournal.MarkChange{Value: 5, Version: 2, MayEdit: true})
	wantError(t, err, ejournal.EINVALID, "reason")
	_, err = db.UpdateMark(ctx, l, m.ID, ejournal.MarkChange{Value: 5, Version: 2, MayEdit: true, Reason: "пересдача"})
	wantError(t, err, ejournal.EFORBIDDEN)
	_, err = db.DeleteMark(ctx, l, m.ID, ejournal.MarkChange{Version: 2, MayEdit: true})
	wantError(t, err, ejournal.EINVALID, "reason")
	got, err := db.UpdateMark(ctx, l, m.ID, ejournal.MarkChange{Value: 5, Version: 2, MayEditLate: true, Reason: "пересдача"})
	must(t, err)
	if got.Value != 5 || got.Version != 3 {
		t.Fatalf("late edit = %+v", got)
	}
}

func TestTermMarksAndDebts(t *testing.T) {
	t.Parallel()
	db, s, l, stranger := markWorld(t)
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: s.Teacher.ID, SchoolID: "s1"})
	must(t, db.CreateMarks(ctx, l, []*ejournal.Mark{
		{StudentID: s.Student.ID, Value: 2}, {StudentID: s.Student.ID, Value: 3}, {StudentID: s.Student.ID, Value: 2, WorkType: "test"},
	}))
	rows, err := db.TermSheet(ctx, "s1", s.Class.ID, s.Subject.ID, "h1")
	must(t, err)
	// (2 + 3 + 2×3) / 5 = 2.2 → 2.
	if len(rows) != 1 || rows[0].Suggestion.Mark != "2" || rows[0].Suggestion.Average.Value != 220 || rows[0].Confirmed != nil {
		t.Fatalf("term sheet = %+v", rows)
	}
	_, err = db.TermSheet(ctx, "s1", s.Class.ID, s.Subject.ID, "q7")
	wantError(t, err, ejournal.EINVALID, "term_id")

	h1 := &ejournal.TermMark{SubjectID: s.Subject.ID, Period: "h1", Value: "2"}
	must(t, db.SetTermMark(ctx, s.Student, h1))
	if h1.Version != 1 || h1.Suggested != "2" || h1.ConfirmedBy != s.Teacher.ID || h1.YearID != s.Year.ID {
		t.Fatalf("term mark = %+v", h1)
	}
	wantError(t, db.SetTermMark(ctx, s.Student, &ejournal.TermMark{SubjectID: s.Subject.ID, Period: "h1", Value: "3"}), ejournal.ECONFLICT)
	wantError(t, db.SetTermMark(ctx, s.Student, &ejournal.TermMark{SubjectID: s.Subject.ID, Period: "h1", Value: "6", Version: 1}), ejournal.EINVALID, "value")
	wantError(t, db.SetTermMark(ctx, s.Student, &ejournal.TermMark{SubjectID: s.Subject.ID, Period: "h9", Value: "3"}), ejournal.EINVALID, "term_id")
	year := &ejournal.TermMark{SubjectID: s.Subject.ID, Period: ejournal.YearPeriod, Value: ejournal.NotAssessed}
	must(t, db.SetTermMark(ctx, s.Student, year))
	// A student's term marks are filed in their own partition only.
	debts, err := db.Debts(ctx, "s1", stranger.ID)
	must(t, err)
	if len(debts) != 0 {
		t.Fatalf("debts of another student = %+v", debts)
	}

	debts, err = db.Debts(ctx, "s1", s.Student.ID)
	must(t, err)
	if len(debts) != 2 || debts[0].Period != "h1" || debts[0].Value != "2" || debts[1].Period != ejournal.YearPeriod || debts[1].Value != ejournal.NotAssessed || debts[0].Closed() {
		t.Fatalf("debts = %+v", debts)
	}
	d := &ejournal.Debt{SchoolID: "s1", StudentID: s.Student.ID, YearID: s.Year.ID, SubjectID: s.Subject.ID, Period: "h1", RetakeValue: 2, RetakeDate: "2026-01-20"}
	_, err = db.CloseDebt(ctx, d)
	wantError(t, err, ejournal.EINVALID, "retake_value")
	d.RetakeValue = 4
	closed, err := db.CloseDebt(ctx, d)
	must(t, err)
	if !closed.Closed() || closed.ClosedBy != s.Teacher.ID || closed.Version != 2 {
		t.Fatalf("closed debt = %+v", closed)
	}
	_, err = db.CloseDebt(ctx, d)
	wantError(t, err, ejournal.ECONFLICT)
	d.Period = "h2"
	_, err = db.CloseDebt(ctx, d)
	wantError(t, err, ejournal.ENOTFOUND)

	// Changing the term mark keeps the retake.
	h1.Value = "3"
	h1.Version = 2
	must(t, db.SetTermMark(ctx, s.Student, h1))
	debts, err = db.Debts(ctx, "s1", s.Student.ID)
	must(t, err)
	if len(debts) != 1 || debts[0].Period != ejournal.YearPeriod {
		t.Fatalf("debts after the change = %+v", debts)
	}
	if got, want := strings.Join(auditActions(t, db, "term_mark", s.Student.ID), ","), "create:,create:,update:,update:"; got != want {
		t.Fatalf("term mark audit = %s, want %s", got, want)
	}
}

func TestLessonWorkTypeAndMarks(t *testing.T) {
	t.Parallel()
	db, s, l, _ := markWorld(t)
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: s.Teacher.ID, SchoolID: "s1"})

	// A type the school does not have is refused, and nothing is written.
	bad := *l
	bad.WorkType = "dance"
	wantError(t, db.UpdateLesson(ctx, &bad), ejournal.EINVALID, "work_type")
	typed := *l
	typed.WorkType = "test"
	must(t, db.UpdateLesson(ctx, &typed))
	if got, err := db.Lesson(ctx, "s1", l.ID); err != nil || got.WorkType != "test" || got.Version != 2 {
		t.Fatalf("lesson after setting its type = %+v, %v", got, err)
	}

	// Marks without a type take the lesson's; a mark's own type wins.
	marks := []*ejournal.Mark{{StudentID: s.Student.ID, Value: 4}, {StudentID: s.Student.ID, Value: 5, WorkType: "oral"}}
	must(t, db.CreateMarks(ctx, &typed, marks))
	if marks[0].WorkType != "test" || marks[0].Weight != 300 || marks[1].WorkType != "oral" || marks[1].Weight != 100 {
		t.Fatalf("marks on a test lesson: %+v %+v", marks[0], marks[1])
	}

	// The school retires the type: the lesson keeps it through other edits,
	// and its new marks get the school's default type.
	g, err := db.GradingSettings(ctx, "s1", s.Year.ID)
	must(t, err)
	g.WorkTypes = slices.DeleteFunc(g.WorkTypes, func(w ejournal.WorkType) bool { return w.ID == "test" })
	must(t, db.SaveGradingSettings(ctx, "s1", s.Year.ID, g, 0))
	typed.Homework = "№ 7"
	must(t, db.UpdateLesson(ctx, &typed))
	late := []*ejournal.Mark{{StudentID: s.Student.ID, Value: 3}}
	must(t, db.CreateMarks(ctx, &typed, late))
	if late[0].WorkType != "classwork" || late[0].Weight != 100 {
		t.Fatalf("a mark on a lesson of a retired type = %+v", late[0])
	}
	// "" is the default type again.
	typed.WorkType = ""
	must(t, db.UpdateLesson(ctx, &typed))
	if got := strings.Join(auditActions(t, db, "lesson", l.ID), ","); got != "create:,update:,update:,update:" {
		t.Fatalf("lesson audit = %s", got)
	}
}

func TestMarkWorkTypeChange(t *testing.T) {
	t.Parallel()
	db, s, l, _ := markWorld(t)
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: s.Teacher.ID, SchoolID: "s1"})
	m := &ejournal.Mark{StudentID: s.Student.ID, Value: 4, Comment: "у доски"}
	must(t, db.CreateMarks(ctx, l, []*ejournal.Mark{m}))

	_, err := db.UpdateMark(ctx, l, m.ID, ejournal.MarkChange{WorkType: "dance", Version: 1, MayEdit: true})
	wantError(t, err, ejournal.EINVALID, "work_type")
	// The type alone: the value and the comment stay, the weight follows the type.
	got, err := db.UpdateMark(ctx, l, m.ID, ejournal.MarkChange{WorkType: "test", Version: 1, MayEdit: true})
	must(t, err)
	if got.Value != 4 || got.Comment != "у доски" || got.WorkType != "test" || got.Weight != 300 || got.Version != 2 {
		t.Fatalf("retyped mark = %+v", got)
	}
	_, err = db.UpdateMark(ctx, l, m.ID, ejournal.MarkChange{WorkType: "oral", Version: 1, MayEdit: true})
	wantError(t, err, ejournal.ECONFLICT)
	got, err = db.UpdateMark(ctx, l, m.ID, ejournal.MarkChange{Value: 5, WorkType: "lab", Version: 2, MayEdit: true})
	must(t, err)
	if got.Value != 5 || got.WorkType != "lab" || got.Weight != 200 {
		t.Fatalf("value and type changed = %+v", got)
	}
	// Past the edit window a change of type is a late edit like any other.
	db.Now = func() time.Time { return time.Date(2025, 10, 9, 6, 0, 0, 0, time.UTC) }
	_, err = db.UpdateMark(ctx, l, m.ID, ejournal.MarkChange{WorkType: "oral", Version: 3, MayEdit: true})
	wantError(t, err, ejournal.EINVALID, "reason")
	_, err = db.UpdateMark(ctx, l, m.ID, ejournal.MarkChange{WorkType: "oral", Version: 3, MayEdit: true, Reason: "устный ответ"})
	wantError(t, err, ejournal.EFORBIDDEN)

	trail, err := db.AuditTrail(ctx, "s1", "mark", m.ID)
	must(t, err)
	if len(trail) != 3 || trail[1].Action != "update" || !strings.Contains(string(trail[1].Old), `"classwork"`) || !strings.Contains(string(trail[1].New), `"test"`) {
		t.Fatalf("mark audit = %+v", trail)
	}
}

func TestDeleteTermMark(t *testing.T) {
	t.Parallel()
	db, s, _, stranger := markWorld(t)
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: s.Teacher.ID, SchoolID: "s1"})
	h1 := &ejournal.TermMark{SubjectID: s.Subject.ID, Period: "h1", Value: "4"}
	must(t, db.SetTermMark(ctx, s.Student, h1))

	for _, tc := range []struct {
		name, subject, period string
		version               int64
		code                  string
		fields                []string
	}{
		{"no version", s.Subject.ID, "h1", 0, ejournal.EINVALID, []string{"version"}},
		{"stale version", s.Subject.ID, "h1", 2, ejournal.ECONFLICT, nil},
		{"a term the year does not have", s.Subject.ID, "h9", 1, ejournal.EINVALID, []string{"term_id"}},
		{"another term", s.Subject.ID, "h2", 1, ejournal.ENOTFOUND, nil},
		{"another subject", "other", "h1", 1, ejournal.ENOTFOUND, nil},
	} {
		_, err := db.DeleteTermMark(ctx, s.Student, tc.subject, tc.period, tc.version)
		wantError(t, err, tc.code, tc.fields...)
	}
	_, err := db.DeleteTermMark(ctx, stranger, s.Subject.ID, "h1", 1)
	wantError(t, err, ejournal.ENOTFOUND)

	gone, err := db.DeleteTermMark(ctx, s.Student, s.Subject.ID, "h1", 1)
	must(t, err)
	if gone.Value != "4" || gone.Period != "h1" || gone.Version != 1 {
		t.Fatalf("removed term mark = %+v", gone)
	}
	rows, err := db.TermSheet(ctx, "s1", s.Class.ID, s.Subject.ID, "h1")
	must(t, err)
	if len(rows) != 1 || rows[0].Confirmed != nil {
		t.Fatalf("term sheet after the removal = %+v", rows)
	}
	_, err = db.DeleteTermMark(ctx, s.Student, s.Subject.ID, "h1", 1)
	wantError(t, err, ejournal.ENOTFOUND)
	// Set again after the removal: a new mark at version 1.
	again := &ejournal.TermMark{SubjectID: s.Subject.ID, Period: "h1", Value: "2"}
	must(t, db.SetTermMark(ctx, s.Student, again))
	if again.Version != 1 {
		t.Fatalf("term mark set again = %+v", again)
	}

	// A debt made up by a retake keeps its mark.
	_, err = db.CloseDebt(ctx, &ejournal.Debt{SchoolID: "s1", StudentID: s.Student.ID, YearID: s.Year.ID, SubjectID: s.Subject.ID, Period: "h1", RetakeValue: 3, RetakeDate: "2026-01-20"})
	must(t, err)
	_, err = db.DeleteTermMark(ctx, s.Student, s.Subject.ID, "h1", 2)
	wantError(t, err, ejournal.ECONFLICT)
	if debts, err := db.Debts(ctx, "s1", s.Student.ID); err != nil || len(debts) != 1 || !debts[0].Closed() {
		t.Fatalf("debts after a refused removal = %+v, %v", debts, err)
	}

	trail, err := db.AuditTrail(ctx, "s1", "term_mark", s.Student.ID)
	must(t, err)
	var actions []string
	for _, e := range trail {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); got != "create,delete,create,update" || !strings.Contains(string(trail[1].Old), `"value":"4"`) || trail[1].ActorID != s.Teacher.ID {
		t.Fatalf("term mark audit = %s; removal %+v", got, trail[1])
	}
}
