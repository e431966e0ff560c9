package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"ejournal/internal/api"
	"ejournal/internal/apitest"
	"ejournal/internal/auth"
	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// signIn is the API with real sign-in (TokenAuth) on a fresh table, with
// one school: an administrator, a teacher who teaches 5А, the class
// teacher of 5А, a student of 5А and the student's parent. Everyone but
// the teacher-less records has an account whose password is password.
type signIn struct {
	db     *dynamo.DB
	clock  *apitest.Clock
	client apitest.Client
	log    *apitest.Buffer
	ids    map[string]string // role name → person id
}

const (
	signInSchool = "sch"
	password     = "Secret-pass-42"
)

// passwordHash is the hash of password, made once for every test.
var passwordHash = sync.OnceValue(func() string { return auth.HashPassword(password) })

// newSignIn builds the world; opts adjust the server before it serves.
func newSignIn(tb testing.TB, opts ...func(*api.Server)) *signIn {
	tb.Helper()
	db := dynamotest.MustOpen(tb)
	clock := apitest.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	db.Now = clock.Now
	key, _, err := auth.GenerateKey()
	if err != nil {
		tb.Fatal(err)
	}
	tokens := auth.NewTokens(key, "")
	tokens.Now = clock.Now
	ta := api.NewTokenAuth(tokens, db)
	ta.Now = clock.Now
	e := &signIn{db: db, clock: clock, log: &apitest.Buffer{}, ids: map[string]string{}}
	srv := &api.Server{Directory: db, Identity: db, Records: db, Tokens: tokens, Auth: ta, Logger: slog.New(slog.NewJSONHandler(e.log, nil))}
	for _, opt := range opts {
		opt(srv)
	}
	e.client = apitest.Client{Handler: srv.Handler(), Doc: apitest.API(tb)}
	e.seed(tb)
	return e
}

func (e *signIn) seed(tb testing.TB) {
	tb.Helper()
	ctx := context.Background()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(e.db.CreateSchool(ctx, &ejournal.School{ID: signInSchool, Name: "Школа", TimeZone: "Asia/Yekaterinburg"}))
	must(e.db.CreateYear(ctx, &ejournal.SchoolYear{ID: "y", SchoolID: signInSchool, Name: "2026/2027", Start: "2026-09-01", End: "2027-08-31", TermKind: ejournal.Halves,
		Terms: []ejournal.Term{{ID: "h1", Name: "I", Start: "2026-09-01", End: "2026-12-28"}, {ID: "h2", Name: "II", Start: "2027-01-12", End: "2027-05-26"}}}))
	staff := func(id, last string, roles ...ejournal.Role) {
		must(e.db.Hire(ctx, &ejournal.Person{ID: id, SchoolID: signInSchool, Kind: ejournal.Staff, LastName: last, FirstName: "Анна", Roles: roles,
			Employment: &ejournal.Employment{Position: "учитель", HiredOn: "2020-08-25"}}))
	}
	staff("admin", "Админова", ejournal.Administrator)
	staff("teacher", "Учителева", ejournal.Teacher)
	staff("ct", "Классная", ejournal.Teacher, ejournal.ClassTeacher)
	must(e.db.CreateClass(ctx, &ejournal.Class{ID: "5a", SchoolID: signInSchool, YearID: "y", Grade: 5, Letter: "А", ClassTeacherID: "ct"}))
	must(e.db.CreateSubject(ctx, &ejournal.Subject{ID: "math", SchoolID: signInSchool, Name: "Математика", ShortName: "Матем"}))
	must(e.db.CreateAssignment(ctx, &ejournal.Assignment{ID: "a1", SchoolID: signInSchool, YearID: "y", TeacherID: "teacher", ClassID: "5a", SubjectID: "math"}))
	must(e.db.CreatePerson(ctx, &ejournal.Person{ID: "student", SchoolID: signInSchool, Kind: ejournal.Student, LastName: "Ученикова", FirstName: "Вера", ClassID: "5a"}))
	must(e.db.CreatePerson(ctx, &ejournal.Person{ID: "parent", SchoolID: signInSchool, Kind: ejournal.Parent, LastName: "Ученикова", FirstName: "Ольга"}))
	must(e.db.Link(ctx, &ejournal.Link{SchoolID: signInSchool, ParentID: "parent", ChildID: "student", Relation: ejournal.Mother}))
	for _, id := range []string{"admin", "teacher", "ct", "student", "parent"} {
		must(e.db.CreateAccount(ctx, &ejournal.Account{Login: id + ".login", SchoolID: signInSchool, PersonID: id, PasswordHash: passwordHash()}))
	}
}

// tokenPair is the answer of a sign-in.
type tokenPair struct {
	AccessToken        string `json:"access_token"`
	TokenType          string `json:"token_type"`
	ExpiresIn          int    `json:"expires_in"`
	RefreshToken       string `json:"refresh_token"`
	MustChangePassword bool   `json:"must_change_password"`
}

func (e *signIn) tryLogin(tb testing.TB, login, pw string) *apitest.Response {
	tb.Helper()
	return e.client.Post(tb, "/v1/auth/login", map[string]string{"login": login, "password": pw})
}

// login signs in and returns the tokens.
func (e *signIn) login(tb testing.TB, login, pw string) tokenPair {
	tb.Helper()
	var t tokenPair
	e.tryLogin(tb, login, pw).Want(tb, http.StatusOK).Decode(tb, &t)
	return t
}

func (e *signIn) as(t tokenPair) apitest.Client { return e.client.As(t.AccessToken) }

func (e *signIn) refresh(tb testing.TB, rt string) *apitest.Response {
	tb.Helper()
	return e.client.Post(tb, "/v1/auth/refresh", map[string]string{"refresh_token": rt})
}

func TestLogin(t *testing.T) {
	t.Parallel()
	e := newSignIn(t)
	tk := e.login(t, "  Teacher.LOGIN ", password)
	if tk.TokenType != "Bearer" || tk.ExpiresIn != 900 || tk.AccessToken == "" || tk.RefreshToken == "" || tk.MustChangePassword {
		t.Fatalf("tokens = %+v", tk)
	}
	me := e.as(tk).Get(t, "/v1/me").Want(t, http.StatusOK).Object(t)
	if me["id"] != "teacher" || me["school_id"] != signInSchool || me["full_name"] != "Учителева Анна" {
		t.Fatalf("me = %v", me)
	}
	e.client.Get(t, "/v1/me").Want(t, http.StatusUnauthorized)
	for _, bad := range []string{"Bearer x.y.z", "Bearer " + tk.RefreshToken, "Basic " + tk.AccessToken, tk.AccessToken} {
		e.client.With("Authorization", bad).Get(t, "/v1/me").Want(t, http.StatusUnauthorized)
	}
	if strings.Contains(e.log.String(), password) || strings.Contains(e.log.String(), tk.AccessToken) {
		t.Fatal("the log holds the password or a token")
	}
}

// TestLoginSameAnswer: whatever is wrong, the answer is the same 401.
func TestLoginSameAnswer(t *testing.T) {
	t.Parallel()
	e := newSignIn(t)
	ctx := context.Background()
	if _, err := e.db.Dismiss(ctx, signInSchool, "ct", "2026-10-01", "12-к"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Move(ctx, &ejournal.Movement{SchoolID: signInSchool, StudentID: "student", Kind: ejournal.Leave, Date: "2026-10-15", OrderNo: "7-у"}); err != nil {
		t.Fatal(err)
	}
	a, err := e.db.Account(ctx, "parent.login")
	if err != nil {
		t.Fatal(err)
	}
	a.Disabled = true
	if err := e.db.UpdateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	var first apitest.ErrorBody
	for i, c := range []struct{ name, login, password string }{
		{"unknown login", "nobody", password},
		{"wrong password", "teacher.login", password + "x"},
		{"malformed login", "no#such login", password},
		{"empty", "", ""},
		{"dismissed employee", "ct.login", password},
		{"student who left", "student.login", password},
		{"disabled account", "parent.login", password},
	} {
		got := e.tryLogin(t, c.login, c.password).Want(t, http.StatusUnauthorized).Error(t)
		if i == 0 {
			first = got
		} else if got.Code != first.Code || got.Message != first.Message {
			t.Errorf("%s: %+v, want the same answer as for an unknown login %+v", c.name, got, first)
		}
	}
	if first.Code != "unauthorized" || first.Message != "Неверный логин или пароль." {
		t.Errorf("answer = %+v", first)
	}
}

func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	t.Run("login", func(t *testing.T) {
		t.Parallel()
		e := newSignIn(t)
		for range 5 {
			e.tryLogin(t, "teacher.login", "wrong-pass-1").Want(t, http.StatusUnauthorized)
		}
		e.clock.Advance(5 * time.Minute)
		r := e.tryLogin(t, "teacher.login", password).Want(t, http.StatusTooManyRequests)
		if got := r.Header.Get("Retry-After"); got != "600" {
			t.Fatalf("Retry-After = %q, want 600 (the window began 5 minutes ago)", got)
		}
		log := e.log.String()
		if !strings.Contains(log, `"msg":"sign-in throttled"`) || strings.Contains(log, "teacher.login") || strings.Contains(log, "wrong-pass-1") || strings.Contains(log, password) {
			t.Fatalf("log must record the refusal without logins or passwords:\n%s", log)
		}
		// Other logins from elsewhere are not affected; after the window the login works.
		e.login(t, "admin.login", password)
		e.clock.Advance(10 * time.Minute)
		e.login(t, "teacher.login", password)
	})
	t.Run("client address", func(t *testing.T) {
		t.Parallel()
		e := newSignIn(t)
		for i := range 20 {
			e.tryLogin(t, fmt.Sprintf("nobody%d", i), password).Want(t, http.StatusUnauthorized)
		}
		r := e.tryLogin(t, "admin.login", password).Want(t, http.StatusTooManyRequests)
		if r.Header.Get("Retry-After") != "900" {
			t.Fatalf("Retry-After = %q, want 900", r.Header.Get("Retry-After"))
		}
		if !strings.Contains(e.log.String(), `"by":"ip"`) {
			t.Fatal("the refusal by address is not logged")
		}
	})
	// Behind the web stack's CloudFront distribution every request comes
	// from an edge server (httptest's 192.0.2.1 here); with the origin
	// secret the viewer's address counts instead.
	t.Run("viewer address behind CloudFront", func(t *testing.T) {
		t.Parallel()
		const secret = "0123456789abcdef0123456789abcdef"
		e := newSignIn(t, func(s *api.Server) { s.OriginSecret = secret })
		viewer := func(verify, addr string) apitest.Client {
			return e.client.With("X-Origin-Verify", verify).With("X-Viewer-Address", addr)
		}
		a, b := viewer(secret, "198.51.100.7"), viewer(secret, "2001:db8::42")
		login := func(c apitest.Client, login, pw string) *apitest.Response {
			return c.Post(t, "/v1/auth/login", map[string]string{"login": login, "password": pw})
		}
		for i := range 20 {
			login(a, fmt.Sprintf("nobody%d", i), password).Want(t, http.StatusUnauthorized)
		}
		login(a, "admin.login", password).Want(t, http.StatusTooManyRequests)
		if !strings.Contains(e.log.String(), `"by":"ip"`) || !strings.Contains(e.log.String(), `"client":"198.51.100.7"`) {
			t.Fatalf("the refusal is not logged with the viewer's address:\n%s", e.log.String())
		}
		// Viewer B behind the same edge server, and a request straight to
		// the API from that address, are not throttled by A's failures.
		login(b, "admin.login", password).Want(t, http.StatusOK)
		login(e.client, "teacher.login", password).Want(t, http.StatusOK)

		// Without the secret, X-Viewer-Address is the client's word: the
		// failures count for the source address, whatever it names.
		for i := range 20 {
			login(viewer(secret[:31]+"x", fmt.Sprintf("203.0.113.%d", i)), fmt.Sprintf("nobody%d", i), password).Want(t, http.StatusUnauthorized)
		}
		login(viewer("", "203.0.113.99"), "ct.login", password).Want(t, http.StatusTooManyRequests)
		login(b, "ct.login", password).Want(t, http.StatusOK)
	})
}

func TestMustChangePassword(t *testing.T) {
	t.Parallel()
	e := newSignIn(t)
	admin := e.as(e.login(t, "admin.login", password))
	if err := e.db.CreatePerson(context.Background(), &ejournal.Person{ID: "newbie", SchoolID: signInSchool, Kind: ejournal.Staff, LastName: "Новикова", FirstName: "Ия", Roles: []ejournal.Role{ejournal.Teacher}}); err != nil {
		t.Fatal(err)
	}
	var otp struct {
		Login           string `json:"login"`
		OneTimePassword string `json:"one_time_password"`
	}
	admin.Post(t, "/v1/people/newbie/account", map[string]string{"login": "Novikova"}).Want(t, http.StatusCreated).Decode(t, &otp)
	if otp.Login != "novikova" || len(otp.OneTimePassword) != auth.OneTimePasswordLen {
		t.Fatalf("account = %+v", otp)
	}
	admin.Post(t, "/v1/people/newbie/account", map[string]string{"login": "other"}).Want(t, http.StatusConflict)
	admin.Post(t, "/v1/people/teacher/account", map[string]string{"login": "novikova"}).Want(t, http.StatusConflict)
	admin.Post(t, "/v1/people/nobody/account", map[string]string{"login": "x-y-z"}).Want(t, http.StatusNotFound)
	if f := admin.Post(t, "/v1/people/newbie/account", map[string]string{"login": "a b"}).Want(t, http.StatusBadRequest).Error(t).Fields; f["login"] == "" {
		t.Fatalf("a bad login: fields %v", f)
	}
	teacher := e.as(e.login(t, "teacher.login", password))
	teacher.Post(t, "/v1/people/newbie/account/reset", nil).Want(t, http.StatusForbidden)

	tk := e.login(t, "novikova", otp.OneTimePassword)
	if !tk.MustChangePassword {
		t.Fatal("a one-time password's sign-in does not say must_change_password")
	}
	newbie := e.as(tk)
	msg := newbie.Get(t, "/v1/years").Want(t, http.StatusForbidden).Error(t).Message
	if !strings.Contains(msg, "временным паролем") {
		t.Fatalf("403 message %q does not say why", msg)
	}
	newbie.Get(t, "/v1/auth/sessions").Want(t, http.StatusForbidden)
	newbie.Get(t, "/v1/me").Want(t, http.StatusOK)

	change := func(old, new string) *apitest.Response {
		return newbie.Post(t, "/v1/auth/password", map[string]string{"old_password": old, "new_password": new})
	}
	for _, c := range []struct{ old, new, field string }{
		{"wrong-old-1", "Brand-new-77", "old_password"},
		{otp.OneTimePassword, "short1", "new_password"},
		{otp.OneTimePassword, "novikova", "new_password"},
		{otp.OneTimePassword, "password123", "new_password"},
		{otp.OneTimePassword, otp.OneTimePassword, "new_password"},
	} {
		if f := change(c.old, c.new).Want(t, http.StatusBadRequest).Error(t).Fields; f[c.field] == "" {
			t.Errorf("change %q → %q: fields %v, want %s", c.old, c.new, f, c.field)
		}
	}
	var changed tokenPair
	change(otp.OneTimePassword, "Brand-new-77").Want(t, http.StatusOK).Decode(t, &changed)
	if changed.MustChangePassword {
		t.Fatal("must_change_password is still set after the change")
	}
	e.as(changed).Get(t, "/v1/years").Want(t, http.StatusOK)
	e.tryLogin(t, "novikova", otp.OneTimePassword).Want(t, http.StatusUnauthorized)
	e.login(t, "novikova", "Brand-new-77")

	// A reset gives a new one-time password and ends every session.
	admin.Post(t, "/v1/people/newbie/account/reset", nil).Want(t, http.StatusOK).Decode(t, &otp)
	e.refresh(t, changed.RefreshToken).Want(t, http.StatusUnauthorized)
	e.as(changed).Get(t, "/v1/me").Want(t, http.StatusUnauthorized)
	if !e.login(t, "novikova", otp.OneTimePassword).MustChangePassword {
		t.Fatal("a reset password need not be changed")
	}
	admin.Post(t, "/v1/people/parent/account/reset", nil).Want(t, http.StatusOK)
	if err := e.db.CreatePerson(context.Background(), &ejournal.Person{ID: "nologin", SchoolID: signInSchool, Kind: ejournal.Parent, LastName: "Безлогина", FirstName: "Ия"}); err != nil {
		t.Fatal(err)
	}
	admin.Post(t, "/v1/people/nologin/account/reset", nil).Want(t, http.StatusNotFound)
}

func TestRefreshRotation(t *testing.T) {
	t.Parallel()
	e := newSignIn(t)
	first := e.login(t, "student.login", password)
	var second, third tokenPair
	e.refresh(t, first.RefreshToken).Want(t, http.StatusOK).Decode(t, &second)
	if second.RefreshToken == first.RefreshToken || second.AccessToken == "" {
		t.Fatal("refresh did not rotate the refresh token")
	}
	e.as(second).Get(t, "/v1/me").Want(t, http.StatusOK)
	e.refresh(t, second.RefreshToken).Want(t, http.StatusOK).Decode(t, &third)

	// Reuse of a spent token: the whole family is revoked.
	e.refresh(t, first.RefreshToken).Want(t, http.StatusUnauthorized)
	if !strings.Contains(e.log.String(), "refresh token reused") {
		t.Fatal("the reuse is not logged")
	}
	e.refresh(t, third.RefreshToken).Want(t, http.StatusUnauthorized)
	e.as(third).Get(t, "/v1/me").Want(t, http.StatusUnauthorized)

	// Another family is untouched; malformed tokens are refused.
	other := e.login(t, "student.login", password)
	for _, bad := range []string{"", "x", other.RefreshToken + "x", strings.Replace(other.RefreshToken, "rt1.", "rt2.", 1)} {
		e.refresh(t, bad).Want(t, http.StatusUnauthorized)
	}
	e.refresh(t, other.RefreshToken).Want(t, http.StatusOK)

	// A refresh token expires after 30 days unused.
	last := e.login(t, "student.login", password)
	e.clock.Advance(auth.RefreshTTL)
	e.refresh(t, last.RefreshToken).Want(t, http.StatusUnauthorized)
}

func TestSessionsAndLogout(t *testing.T) {
	t.Parallel()
	e := newSignIn(t)
	phone := e.login(t, "parent.login", password)
	laptop := e.as(e.login(t, "parent.login", password))
	var list struct {
		Items []struct {
			ID      string `json:"id"`
			Current bool   `json:"current"`
		} `json:"items"`
	}
	laptop.Get(t, "/v1/auth/sessions").Want(t, http.StatusOK).Decode(t, &list)
	if len(list.Items) != 2 || list.Items[0].Current == list.Items[1].Current {
		t.Fatalf("sessions = %+v, want two with one current", list.Items)
	}
	var phoneID string
	for _, s := range list.Items {
		if !s.Current {
			phoneID = s.ID
		}
	}
	// Another person cannot see or revoke these sessions.
	e.as(e.login(t, "student.login", password)).Do(t, http.MethodDelete, "/v1/auth/sessions/"+phoneID, nil).Want(t, http.StatusNotFound)
	laptop.Do(t, http.MethodDelete, "/v1/auth/sessions/"+phoneID, nil).Want(t, http.StatusOK)
	laptop.Do(t, http.MethodDelete, "/v1/auth/sessions/"+phoneID, nil).Want(t, http.StatusNotFound)
	e.as(phone).Get(t, "/v1/me").Want(t, http.StatusUnauthorized)
	e.refresh(t, phone.RefreshToken).Want(t, http.StatusUnauthorized)

	if n := laptop.Post(t, "/v1/auth/logout", nil).Want(t, http.StatusOK).Object(t)["revoked"]; n != 1.0 {
		t.Fatalf("logout revoked %v sessions", n)
	}
	laptop.Get(t, "/v1/me").Want(t, http.StatusUnauthorized)

	a, b := e.login(t, "parent.login", password), e.login(t, "parent.login", password)
	if n := e.as(a).Post(t, "/v1/auth/logout-all", nil).Want(t, http.StatusOK).Object(t)["revoked"]; n != 2.0 {
		t.Fatalf("logout-all revoked %v sessions, want 2", n)
	}
	e.refresh(t, b.RefreshToken).Want(t, http.StatusUnauthorized)
}

// TestDismissedEmployee: a dismissed employee cannot sign in, and a token
// they hold stops working within the authenticator's cache lifetime.
func TestDismissedEmployee(t *testing.T) {
	t.Parallel()
	e := newSignIn(t)
	tk := e.login(t, "teacher.login", password)
	c := e.as(tk)
	c.Get(t, "/v1/me").Want(t, http.StatusOK)
	if _, err := e.db.Dismiss(context.Background(), signInSchool, "teacher", "2026-11-02", "15-к"); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(30 * time.Second)
	c.Get(t, "/v1/me").Want(t, http.StatusOK) // cached for up to a minute
	e.clock.Advance(31 * time.Second)
	c.Get(t, "/v1/me").Want(t, http.StatusUnauthorized)
	e.tryLogin(t, "teacher.login", password).Want(t, http.StatusUnauthorized)
	e.refresh(t, tk.RefreshToken).Want(t, http.StatusUnauthorized)
}

type meBody struct {
	ID          string              `json:"id"`
	Roles       []string            `json:"roles"`
	Permissions map[string][]string `json:"permissions"`
	ClassID     string              `json:"class_id"`
	Assignments []struct {
		ClassID   string `json:"class_id"`
		SubjectID string `json:"subject_id"`
	} `json:"assignments"`
	Children []struct {
		ID       string `json:"id"`
		FullName string `json:"full_name"`
		ClassID  string `json:"class_id"`
	} `json:"children"`
	ClassTeacherOf []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"class_teacher_of"`
}

func TestMe(t *testing.T) {
	t.Parallel()
	e := newSignIn(t)
	me := func(login string) meBody {
		var m meBody
		e.as(e.login(t, login, password)).Get(t, "/v1/me").Want(t, http.StatusOK).Decode(t, &m)
		return m
	}
	teacher := me("teacher.login")
	if len(teacher.Assignments) != 1 || teacher.Assignments[0].ClassID != "5a" || teacher.Assignments[0].SubjectID != "math" ||
		fmt.Sprint(teacher.Permissions["marks.write"]) != "[lessons]" || fmt.Sprint(teacher.Roles) != "[teacher]" {
		t.Errorf("teacher: %+v", teacher)
	}
	if ct := me("ct.login"); len(ct.ClassTeacherOf) != 1 || ct.ClassTeacherOf[0].ID != "5a" || ct.ClassTeacherOf[0].Name != "5А" {
		t.Errorf("class teacher: %+v", ct)
	}
	parent := me("parent.login")
	if len(parent.Children) != 1 || parent.Children[0].ID != "student" || parent.Children[0].FullName != "Ученикова Вера" || parent.Children[0].ClassID != "5a" ||
		fmt.Sprint(parent.Roles) != "[parent]" {
		t.Errorf("parent: %+v", parent)
	}
	if student := me("student.login"); student.ClassID != "5a" || fmt.Sprint(student.Roles) != "[student]" {
		t.Errorf("student: %+v", student)
	}

	// A change of the school's role permissions applies within a minute.
	c := e.as(e.login(t, "teacher.login", password))
	if err := e.db.SetRolePermissions(context.Background(), signInSchool, ejournal.Teacher, map[string][]string{"directory.read": {"school"}}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	var after meBody
	c.Get(t, "/v1/me").Want(t, http.StatusOK).Decode(t, &after)
	if _, ok := after.Permissions["marks.write"]; ok || len(after.Permissions) != 1 {
		t.Errorf("a minute after the change the teacher still has %v", after.Permissions)
	}
}

// FuzzLogin sends arbitrary bodies to POST /v1/auth/login: the server never
// fails (5xx) and every answer matches the OpenAPI document, so each
// refusal is the error envelope. Run it for real with
//
//	go run ./cmd/ejournal with-dynamodb -- go test -run '^$' -fuzz FuzzLogin -fuzztime 30s ./internal/api
func FuzzLogin(f *testing.F) {
	e := newSignIn(f)
	for _, s := range []string{
		`{"login":"teacher.login","password":"` + password + `"}`, `{"login":"teacher.login","password":"x"}`,
		`{"login":"nobody","password":"x"}`, `{"login":"","password":""}`, `{"login":null,"password":null}`,
		`{"login":1,"password":true}`, `{"login":"a#b","password":"x"}`, `{"login":"` + strings.Repeat("a", 300) + `","password":"x"}`,
		`{"login":"teacher.login"}`, `{"password":"x"}`, `{"login":"x","password":"y","extra":1}`, `{"login":"\u0000","password":"\ud800"}`,
		"{\"login\":\"\xff\",\"password\":\"x\"}", `[]`, `null`, ``, `{`, `{"login":"x","password":"y"} {}`,
		`{"login":"` + strings.Repeat("я", 1000) + `","password":"` + strings.Repeat("x", 5000) + `"}`,
	} {
		f.Add([]byte(s))
	}
	c := e.client
	c.LaxRequests = true
	f.Fuzz(func(t *testing.T, body []byte) {
		r := c.Post(t, "/v1/auth/login", body)
		if r.Status >= http.StatusInternalServerError {
			t.Fatalf("status %d for body %q: %s", r.Status, body, r.Body)
		}
		if r.Status != http.StatusOK {
			var env struct {
				Error *apitest.ErrorBody `json:"error"`
			}
			if err := json.Unmarshal(r.Body, &env); err != nil || env.Error == nil || env.Error.Code == "" {
				t.Fatalf("status %d without the error envelope: %s", r.Status, r.Body)
			}
		}
	})
}
