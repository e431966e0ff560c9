package lambdafn_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"ejournal/internal/access"
	"ejournal/internal/auth"
	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
	"ejournal/internal/lambdatest"
)

// The records of a signed-in world: school (see lambdafn_test.go) with a
// clerk who has an account and a student of 5А, and otherSchool with a
// student of its own.
const (
	otherSchool   = "sch-2"
	clerkID       = "clerk-1"
	clerkLogin    = "o.sekretareva"
	clerkPassword = "Журнал-2025-тест"
	studentID     = "student-1"
	otherStudent  = "student-2"
)

// Paths of the identity function.
const (
	loginPath   = "/v1/auth/login"
	refreshPath = "/v1/auth/refresh"
	mePath      = "/v1/me"
)

const mediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// world is a new table with the records above, written straight to the
// store, and the environment of functions that serve it with token
// sign-in.
type world struct {
	db  *dynamo.DB
	env []string
	key ed25519.PrivateKey
}

func newWorld(tb testing.TB) *world {
	tb.Helper()
	c := dynamotest.Client(tb)
	table := dynamotest.NewTable(tb, c)
	w := &world{db: dynamo.New(c, table)}
	w.env, w.key = functionEnv(tb, table)
	w.seed(tb)
	return w
}

// yearOf and classOf name the school year and class 5А of a school.
func yearOf(school string) string  { return school + "-y" }
func classOf(school string) string { return school + "-5a" }

func (w *world) seed(tb testing.TB) {
	tb.Helper()
	ctx := context.Background()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatalf("seed: %v", err)
		}
	}
	for sc, student := range map[string]string{school: studentID, otherSchool: otherStudent} {
		must(w.db.CreateSchool(ctx, &ejournal.School{ID: sc, Name: "Школа " + sc, TimeZone: "Asia/Yekaterinburg"}))
		must(w.db.CreateYear(ctx, &ejournal.SchoolYear{ID: yearOf(sc), SchoolID: sc, Name: "2025/2026", Start: "2025-09-01", End: "2026-08-31", TermKind: ejournal.Halves,
			Terms: []ejournal.Term{{ID: "h1", Name: "I", Start: "2025-09-01", End: "2025-12-31"}, {ID: "h2", Name: "II", Start: "2026-01-09", End: "2026-05-31"}}}))
		must(w.db.CreateClass(ctx, &ejournal.Class{ID: classOf(sc), SchoolID: sc, YearID: yearOf(sc), Grade: 5, Letter: "А"}))
		must(w.db.CreatePerson(ctx, &ejournal.Person{ID: student, SchoolID: sc, Kind: ejournal.Student, LastName: "Петрова", FirstName: "Анна",
			ClassID: classOf(sc), Personal: &ejournal.Personal{BirthDate: "2014-03-01"}}))
	}
	clerk := &ejournal.Person{ID: clerkID, SchoolID: school, Kind: ejournal.Staff, LastName: "Секретарёва", FirstName: "Ольга"}
	must(w.db.CreatePerson(ctx, clerk))
	_, err := w.db.SetPersonRoles(ctx, school, clerkID, []ejournal.Role{ejournal.Clerk}, clerk.Version)
	must(err)
	must(w.db.CreateAccount(ctx, &ejournal.Account{Login: clerkLogin, SchoolID: school, PersonID: clerkID, PasswordHash: auth.HashPassword(clerkPassword)}))
}

// tokens is the answer to a sign-in.
type tokens struct {
	AccessToken        string `json:"access_token"`
	TokenType          string `json:"token_type"`
	ExpiresIn          int    `json:"expires_in"`
	RefreshToken       string `json:"refresh_token"`
	MustChangePassword bool   `json:"must_change_password"`
}

// bearer is the header that presents the access token.
func (tk tokens) bearer() http.Header {
	return http.Header{"Authorization": {"Bearer " + tk.AccessToken}}
}

// signIn signs the clerk in through the identity function fn and checks
// the tokens: the access token is the clerk's, signed with the world's key
// file, good for 15 minutes.
func (w *world) signIn(t *testing.T, fn *lambdatest.Emulator) tokens {
	t.Helper()
	body, err := json.Marshal(map[string]string{"login": clerkLogin, "password": clerkPassword})
	if err != nil {
		t.Fatal(err)
	}
	return w.checkTokens(t, exchange{method: http.MethodPost, target: loginPath, body: string(body), status: http.StatusOK,
		headers: map[string]string{"Cache-Control": "no-store"}}.run(t, fn))
}

func (w *world) checkTokens(t *testing.T, r lambdatest.Response) tokens {
	t.Helper()
	var tk tokens
	if err := json.Unmarshal(r.Body, &tk); err != nil {
		t.Fatal(err)
	}
	if tk.TokenType != "Bearer" || tk.ExpiresIn != int(auth.AccessTTL/time.Second) || tk.RefreshToken == "" || tk.MustChangePassword {
		t.Errorf("tokens %s", r.Body)
	}
	c, err := auth.NewTokens(w.key, auth.DefaultIssuer).Verify(tk.AccessToken)
	if err != nil {
		t.Fatalf("the access token does not verify with the key of SIGNING_KEY_FILE: %v", err)
	}
	if c.Subject != clerkID || c.School != school || c.Session == "" || c.MustChange {
		t.Errorf("claims %+v, want the clerk's", c)
	}
	return tk
}

func TestIdentityFunction(t *testing.T) {
	w := newWorld(t)
	fn := start(t, "./functions/identity", w.env)
	tk := w.signIn(t, fn)

	var me struct {
		ID          string             `json:"id"`
		SchoolID    string             `json:"school_id"`
		Login       string             `json:"login"`
		FullName    string             `json:"full_name"`
		Roles       []ejournal.Role    `json:"roles"`
		Permissions access.Permissions `json:"permissions"`
	}
	r := exchange{method: http.MethodGet, target: mePath, header: tk.bearer(), status: http.StatusOK}.run(t, fn)
	if err := json.Unmarshal(r.Body, &me); err != nil {
		t.Fatal(err)
	}
	if me.ID != clerkID || me.SchoolID != school || me.Login != clerkLogin || me.FullName != "Секретарёва Ольга" ||
		!slices.Equal(me.Roles, []ejournal.Role{ejournal.Clerk}) || !reflect.DeepEqual(me.Permissions, access.Defaults()[ejournal.Clerk]) {
		t.Errorf("me %s, want the clerk with the clerk's default permissions", r.Body)
	}

	renewed := w.checkTokens(t, exchange{method: http.MethodPost, target: refreshPath, body: `{"refresh_token":"` + tk.RefreshToken + `"}`,
		status: http.StatusOK}.run(t, fn))
	if renewed.RefreshToken == tk.RefreshToken {
		t.Error("the refresh token did not rotate")
	}

	// A token of another key: the function checks the signature.
	other, _, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	forged, _ := auth.NewTokens(other, auth.DefaultIssuer).Issue(school, clerkID, ejournal.NewID(), false)
	runAll(t, fn, []exchange{
		{name: "me with the renewed token", method: "GET", target: mePath, header: renewed.bearer(), status: 200},
		{name: "wrong password", method: "POST", target: loginPath, body: `{"login":"` + clerkLogin + `","password":"не тот"}`,
			status: 401, want: `{"error":{"code":"unauthorized","message":"Неверный логин или пароль."}}`, headers: map[string]string{"Content-Language": "ru"}},
		{name: "unknown login in English", method: "POST", target: loginPath, header: http.Header{"Accept-Language": {"en"}}, body: `{"login":"nobody","password":"x"}`,
			status: 401, want: `{"error":{"code":"unauthorized","message":"Wrong login or password."}}`},
		{name: "malformed body", method: "POST", target: loginPath, body: `{"login":`,
			status: 400, want: `{"error":{"code":"invalid","message":"Некорректный JSON."}}`},
		{name: "spent refresh token", method: "POST", target: refreshPath, body: `{"refresh_token":"` + tk.RefreshToken + `"}`,
			status: 401, want: `{"error":{"code":"unauthorized","message":"Сеанс завершён или недействителен. Войдите снова."}}`},
		{name: "me after the reuse revoked the session", method: "GET", target: mePath, header: renewed.bearer(),
			status: 401, want: `{"error":{"code":"unauthorized","message":"Сеанс истёк или недействителен. Войдите снова."}}`},
		{name: "me without a token", method: "GET", target: mePath,
			status: 401, want: `{"error":{"code":"unauthorized","message":"Войдите в систему."}}`},
		{name: "me with a forged token", method: "GET", target: mePath, header: http.Header{"Authorization": {"Bearer " + forged}},
			status: 401, want: `{"error":{"code":"unauthorized","message":"Сеанс истёк или недействителен. Войдите снова."}}`},
	})
}

// TestIdentityFunctionBehindCloudFront: with ORIGIN_SECRET in its
// environment (template.yaml's OriginSecret), the identity function counts
// failed sign-ins by the X-Viewer-Address of requests that carry the secret,
// though all come from one source address (lambdatest's 203.0.113.7).
func TestIdentityFunctionBehindCloudFront(t *testing.T) {
	const secret = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	w := newWorld(t)
	fn := start(t, "./functions/identity", append(w.env, "ORIGIN_SECRET="+secret))
	viewer := func(addr string) http.Header {
		return http.Header{"X-Origin-Verify": {secret}, "X-Viewer-Address": {addr}}
	}
	signIn := func(h http.Header, login, pw string, status int) {
		t.Helper()
		body, err := json.Marshal(map[string]string{"login": login, "password": pw})
		if err != nil {
			t.Fatal(err)
		}
		exchange{method: http.MethodPost, target: loginPath, header: h, body: string(body), status: status}.run(t, fn)
	}
	for i := range 20 {
		signIn(viewer("198.51.100.7"), "nobody"+strconv.Itoa(i), clerkPassword, http.StatusUnauthorized)
	}
	signIn(viewer("198.51.100.7"), clerkLogin, clerkPassword, http.StatusTooManyRequests)
	signIn(viewer("2001:db8::42"), clerkLogin, clerkPassword, http.StatusOK)
	signIn(nil, clerkLogin, clerkPassword, http.StatusOK)
}

func TestRecordsFunction(t *testing.T) {
	w := newWorld(t)
	// The identity function signs in; the records function accepts its
	// tokens, since both load the same key.
	tk := w.signIn(t, start(t, "./functions/identity", w.env))
	fn := start(t, "./functions/records", w.env)
	ctx := context.Background()

	r := exchange{method: http.MethodGet, target: "/v1/students/" + studentID, header: tk.bearer(), status: http.StatusOK}.run(t, fn)
	var card ejournal.Person
	if err := json.Unmarshal(r.Body, &card); err != nil {
		t.Fatal(err)
	}
	if card.ID != studentID || card.SchoolID != school || card.ClassID != classOf(school) || card.Personal == nil || card.Personal.BirthDate != "2014-03-01" {
		t.Errorf("card %s, want the student with personal data (the clerk may read it)", r.Body)
	}
	trail, err := w.db.AuditTrail(ctx, school, "person", studentID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(trail, func(e *ejournal.AuditEntry) bool { return e.Action == "read" && e.ActorID == clerkID }) {
		t.Errorf("no read of the card by the clerk in its audit trail: %+v", trail)
	}

	runAll(t, fn, []exchange{
		{name: "no token", method: "GET", target: "/v1/students/" + studentID,
			status: 401, want: `{"error":{"code":"unauthorized","message":"Войдите в систему."}}`},
		{name: "another school's student", method: "GET", target: "/v1/students/" + otherStudent, header: tk.bearer(),
			status: 404, want: `{"error":{"code":"not_found","message":"Ученик: запись не найдена"}}`},
	})

	t.Run("import dry run of an XLSX file", func(t *testing.T) {
		before, err := w.db.People(ctx, school, ejournal.PersonFilter{Kind: ejournal.Student})
		if err != nil {
			t.Fatal(err)
		}
		// API Gateway hands a binary body over base64-encoded; the adapter
		// must decode it into the very bytes of the workbook.
		file := workbook(t, [][]any{
			{"last_name", "first_name", "birth_date", "class", "parent_last_name", "parent_first_name", "parent_phone", "relation"},
			{"Иванов", "Пётр", time.Date(2014, 3, 8, 0, 0, 0, 0, time.UTC), "5А", "Иванова", "Мария", 79123456789, "mother"},
		})
		ev := lambdatest.Event(http.MethodPost, "/v1/import/students?dry_run=true&year_id="+yearOf(school), withHeader(tk.bearer(), "Content-Type", mediaXLSX), "")
		ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(file), true
		ev.Headers["content-length"] = strconv.Itoa(len(file))
		check(t, ev, fn.HTTP(t, ev), http.StatusOK, `{"valid":true,"rows":1,"errors":[],"summary":{"students":1,"parents":1,"links":1}}`)
		after, err := w.db.People(ctx, school, ejournal.PersonFilter{Kind: ejournal.Student})
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) {
			t.Errorf("a dry run wrote students: %d, before %d", len(after), len(before))
		}
	})
}

// workbook is an XLSX file whose first sheet holds rows from A1 down.
func workbook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		if err := f.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
