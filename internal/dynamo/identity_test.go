package dynamo_test

import (
	"strings"
	"testing"
	"time"

	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

func TestCreateAccount(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := ejournal.WithPrincipal(t.Context(), &ejournal.Principal{PersonID: "clerk-1", SchoolID: "a"})
	a := mustSchool(t, db, "a")
	b := mustSchool(t, db, "b")

	acct := &ejournal.Account{Login: " Ivanova.M ", SchoolID: "a", PersonID: a.Student.ID, PasswordHash: "$argon2id$secret-hash", MustChange: true}
	must(t, db.CreateAccount(ctx, acct))
	if acct.Login != "ivanova.m" || acct.Version != 1 {
		t.Fatalf("account = %+v, want the login in lower case at version 1", acct)
	}
	got, err := db.Account(ctx, "IVANOVA.M")
	must(t, err)
	if got.PersonID != a.Student.ID || got.SchoolID != "a" || got.PasswordHash != acct.PasswordHash || !got.MustChange {
		t.Fatalf("stored account = %+v", got)
	}
	p, err := db.Person(ctx, "a", a.Student.ID)
	must(t, err)
	if p.Login != "ivanova.m" || p.Version != 2 {
		t.Fatalf("person after the account: login %q, version %d; want ivanova.m, 2", p.Login, p.Version)
	}
	for _, kind := range []string{"account", "person"} {
		trail, err := db.AuditTrail(ctx, "a", kind, a.Student.ID)
		must(t, err)
		last := trail[len(trail)-1]
		if last.ActorID != "clerk-1" || !strings.Contains(string(last.New), "ivanova.m") || strings.Contains(string(last.New), "secret-hash") {
			t.Errorf("%s audit entry = %+v with new %s; want the login by clerk-1 and no hash", kind, last, last.New)
		}
	}

	// The login is taken across schools; a person has one account; the person must exist.
	wantError(t, db.CreateAccount(ctx, &ejournal.Account{Login: "ivanova.m", SchoolID: "b", PersonID: b.Student.ID, PasswordHash: "h"}), ejournal.ECONFLICT)
	wantError(t, db.CreateAccount(ctx, &ejournal.Account{Login: "other", SchoolID: "a", PersonID: a.Student.ID, PasswordHash: "h"}), ejournal.ECONFLICT)
	wantError(t, db.CreateAccount(ctx, &ejournal.Account{Login: "nobody", SchoolID: "a", PersonID: b.Student.ID, PasswordHash: "h"}), ejournal.ENOTFOUND)
	wantError(t, db.CreateAccount(ctx, &ejournal.Account{Login: "a#b", SchoolID: "a", PersonID: a.Teacher.ID, PasswordHash: "h"}), ejournal.EINVALID, "login")
	if _, err := db.Account(ctx, "other"); ejournal.ErrorCode(err) != ejournal.ENOTFOUND {
		t.Fatalf("a refused account was stored: %v", err)
	}
	if p, _ := db.Person(ctx, "b", b.Student.ID); p.Login != "" {
		t.Fatalf("a refused account changed the person: %+v", p)
	}

	got.PasswordHash, got.MustChange = "$argon2id$new-hash", false
	stale := *got
	must(t, db.UpdateAccount(ctx, got))
	wantError(t, db.UpdateAccount(ctx, &stale), ejournal.ECONFLICT)
	again, err := db.Account(ctx, "ivanova.m")
	must(t, err)
	if again.PasswordHash != "$argon2id$new-hash" || again.MustChange || again.Version != 2 {
		t.Fatalf("updated account = %+v", again)
	}
	trail, err := db.AuditTrail(ctx, "a", "account", a.Student.ID)
	must(t, err)
	if len(trail) != 2 || trail[1].Action != "update" || strings.Contains(string(trail[1].Old)+string(trail[1].New), "hash\"") {
		t.Fatalf("account trail = %d entries, last %+v", len(trail), trail[len(trail)-1])
	}
}

func TestSessions(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := t.Context()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	mk := func(id string, created time.Time, expires time.Duration) *ejournal.Session {
		s := &ejournal.Session{ID: id, SchoolID: "a", PersonID: "p1", SecretHash: "h-" + id, CreatedAt: created, LastUsedAt: created, ExpiresAt: now.Add(expires)}
		must(t, db.CreateSession(ctx, s))
		return s
	}
	mk("s1", now.Add(-2*time.Hour), time.Hour)
	s2 := mk("s2", now.Add(-time.Hour), time.Hour)
	mk("old", now.Add(-3*time.Hour), -time.Second)
	must(t, db.CreateSession(ctx, &ejournal.Session{ID: "x", SchoolID: "a", PersonID: "p2", SecretHash: "h", ExpiresAt: now.Add(time.Hour)}))

	list, err := db.Sessions(ctx, "a", "p1")
	must(t, err)
	if got := ids(list, func(s *ejournal.Session) string { return s.ID }); strings.Join(got, ",") != "s2,s1" {
		t.Fatalf("sessions = %v, want the live ones newest first: s2,s1", got)
	}
	wantError(t, func() error { _, err := db.Session(ctx, "a", "p1", "old"); return err }(), ejournal.ENOTFOUND)
	wantError(t, func() error { _, err := db.Session(ctx, "b", "p1", "s1"); return err }(), ejournal.ENOTFOUND)

	stale := *s2
	s2.SecretHash, s2.Spent = "h-next", []string{"h-s2"}
	must(t, db.UpdateSession(ctx, s2))
	wantError(t, db.UpdateSession(ctx, &stale), ejournal.ECONFLICT)
	got, err := db.Session(ctx, "a", "p1", "s2")
	must(t, err)
	if got.SecretHash != "h-next" || len(got.Spent) != 1 || got.Version != 2 {
		t.Fatalf("rotated session = %+v", got)
	}

	must(t, db.DeleteSession(ctx, "a", "p1", "s1"))
	must(t, db.DeleteSession(ctx, "a", "p1", "s1"))
	must(t, db.DeleteSessions(ctx, "a", "p1", "s2"))
	list, err = db.Sessions(ctx, "a", "p1")
	must(t, err)
	if len(list) != 1 || list[0].ID != "s2" {
		t.Fatalf("after revoking all but s2: %v", ids(list, func(s *ejournal.Session) string { return s.ID }))
	}
	must(t, db.DeleteSessions(ctx, "a", "p1", ""))
	if list, _ = db.Sessions(ctx, "a", "p1"); len(list) != 0 {
		t.Fatalf("sessions left after revoking all: %d", len(list))
	}
	if _, err := db.Session(ctx, "a", "p2", "x"); err != nil {
		t.Fatalf("another person's session was revoked: %v", err)
	}
}

func TestThrottle(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := t.Context()
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	now := start
	db.Now = func() time.Time { return now }
	const window = 15 * time.Minute
	count := func(want int) {
		t.Helper()
		got, err := db.CountFailure(ctx, "login", "ivanova", window)
		must(t, err)
		peek, err := db.Throttle(ctx, "login", "ivanova", window)
		must(t, err)
		if got.Count != want || peek != got {
			t.Fatalf("after a failure: %+v (peek %+v), want count %d", got, peek, want)
		}
	}
	count(1)
	now = start.Add(5 * time.Minute)
	count(2)
	if got, _ := db.Throttle(ctx, "login", "ivanova", window); !got.Start.Equal(start) {
		t.Fatalf("window start = %v, want the first failure %v", got.Start, start)
	}
	if got, _ := db.Throttle(ctx, "ip", "ivanova", window); got.Count != 0 {
		t.Fatalf("another kind of counter counted: %+v", got)
	}
	now = start.Add(window)
	if got, _ := db.Throttle(ctx, "login", "ivanova", window); got.Count != 0 {
		t.Fatalf("a passed window still counts: %+v", got)
	}
	count(1)
	must(t, db.ResetThrottle(ctx, "login", "ivanova"))
	if got, _ := db.Throttle(ctx, "login", "ivanova", window); got.Count != 0 {
		t.Fatalf("a reset counter counts: %+v", got)
	}
	// Values that cannot be keys are never counted.
	if got, err := db.CountFailure(ctx, "login", "a#b", window); err != nil || got.Count != 0 {
		t.Fatalf("CountFailure(a#b) = %+v, %v", got, err)
	}
}

func TestRelations(t *testing.T) {
	t.Parallel()
	db := dynamotest.MustOpen(t)
	ctx := t.Context()
	db.Now = func() time.Time { return time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) }
	a := mustSchool(t, db, "a") // its year 2025/26 is over by "now"
	next := newYear("a", 2026)
	must(t, db.CreateYear(ctx, next))
	class := &ejournal.Class{SchoolID: "a", YearID: next.ID, Grade: 6, Letter: "А", ClassTeacherID: a.Teacher.ID}
	must(t, db.CreateClass(ctx, class))
	assign := &ejournal.Assignment{SchoolID: "a", YearID: next.ID, TeacherID: a.Teacher.ID, ClassID: class.ID, SubjectID: a.Subject.ID}
	must(t, db.CreateAssignment(ctx, assign))
	student := newPerson("a", ejournal.Student, "Петрова", class.ID)
	must(t, db.CreatePerson(ctx, student))
	parent := newPerson("a", ejournal.Parent, "Петров", "")
	must(t, db.CreatePerson(ctx, parent))
	must(t, db.Link(ctx, &ejournal.Link{SchoolID: "a", ParentID: parent.ID, ChildID: student.ID, Relation: ejournal.Father}))

	rel, err := db.Relations(ctx, "a", a.Teacher.ID)
	must(t, err)
	if len(rel.Assignments) != 1 || rel.Assignments[0].ID != assign.ID || len(rel.ClassTeacherOf) != 1 || rel.ClassTeacherOf[0].ID != class.ID {
		t.Fatalf("teacher relations: assignments %v, classes %v; want only this year's %s and %s",
			ids(rel.Assignments, func(a *ejournal.Assignment) string { return a.ID }), ids(rel.ClassTeacherOf, func(c *ejournal.Class) string { return c.ID }), assign.ID, class.ID)
	}
	rel, err = db.Relations(ctx, "a", parent.ID)
	must(t, err)
	if rel.Person.ID != parent.ID || len(rel.Children) != 1 || rel.Children[0].ID != student.ID || rel.Children[0].ClassID != class.ID {
		t.Fatalf("parent relations = %+v", rel)
	}
	rel, err = db.Relations(ctx, "a", student.ID)
	must(t, err)
	if rel.Person.ClassID != class.ID || len(rel.Children)+len(rel.Assignments)+len(rel.ClassTeacherOf) != 0 {
		t.Fatalf("student relations = %+v", rel)
	}
	_, err = db.Relations(ctx, "b", a.Teacher.ID)
	wantError(t, err, ejournal.ENOTFOUND)
}
