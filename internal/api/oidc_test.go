package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ejournal/internal/auth"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
	"ejournal/internal/oidc"
	"ejournal/internal/oidc/oidctest"
)

const oidcRedirect = "https://journal.test/signin"

// oidcWorld is the test world with an external provider configured.
type oidcWorld struct {
	*world
	provider *oidctest.Provider
	tokens   *auth.Tokens
}

func newOIDCWorld(t *testing.T) *oidcWorld {
	t.Helper()
	w := &oidcWorld{world: newWorld(t), provider: oidctest.New(t, "journal", "s3cret")}
	key, _, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	w.tokens = auth.NewTokens(key, "")
	c, err := oidc.New(oidc.Config{Issuer: w.provider.Issuer, ClientID: "journal", ClientSecret: "s3cret", RedirectURL: oidcRedirect, DisplayName: "Госуслуги"})
	if err != nil {
		t.Fatal(err)
	}
	w.Server.Tokens, w.Server.OIDC = w.tokens, c
	return w
}

// link links subject to a person of school A through the API.
func (w *oidcWorld) link(t *testing.T, person, subject string) {
	t.Helper()
	w.Client.As(adminA).Post(t, "/v1/people/"+person+"/external-identities", map[string]string{"subject": subject}).Want(t, http.StatusCreated)
}

// toProvider starts a sign-in, lets the provider answer and returns the
// query it sends back to the web app (code, state or error).
func (w *oidcWorld) toProvider(t *testing.T, redirect string) url.Values {
	t.Helper()
	res := w.Client.Get(t, "/v1/auth/oidc/start?redirect="+url.QueryEscape(redirect)).Want(t, http.StatusFound)
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	pres, err := hc.Get(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	pres.Body.Close()
	back, err := url.Parse(pres.Header.Get("Location"))
	if pres.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(back.String(), oidcRedirect+"?") {
		t.Fatalf("provider answered %d to %q, want 302 to %s", pres.StatusCode, back, oidcRedirect)
	}
	return back.Query()
}

func callback(q url.Values) string { return "/v1/auth/oidc/callback?" + q.Encode() }

// signIn runs a whole sign-in as subject and returns the callback's response.
func (w *oidcWorld) signIn(t *testing.T, subject string) (int, signInAnswer) {
	t.Helper()
	w.provider.Approve(subject)
	res := w.Client.Get(t, callback(w.toProvider(t, "/")))
	var body signInAnswer
	res.Decode(t, &body)
	return res.Status, body
}

// signInAnswer is either answer of the callback.
type signInAnswer struct {
	AccessToken string `json:"access_token"`
	Error       struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func TestOIDCSignIn(t *testing.T) {
	t.Parallel()
	w := newOIDCWorld(t)
	teacher := w.a["teacher"]
	w.link(t, teacher, "esia-1000001")

	var providers struct {
		Items []struct{ ID, Name, StartURL string }
	}
	w.Client.Get(t, "/v1/auth/providers").Want(t, http.StatusOK).Decode(t, &providers)
	if len(providers.Items) != 1 || providers.Items[0].Name != "Госуслуги" {
		t.Fatalf("providers = %+v, want Госуслуги", providers)
	}

	w.provider.Approve("esia-1000001")
	start := w.Client.Get(t, "/v1/auth/oidc/start?redirect="+url.QueryEscape("/diary?week=12#today")).Want(t, http.StatusFound)
	auth := start.Header.Get("Location")
	if q := mustURL(t, auth).Query(); !strings.HasPrefix(auth, w.provider.Issuer+"/authorize?") || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" {
		t.Fatalf("start redirected to %s: want the provider with state, nonce and an S256 challenge", auth)
	}
	back := w.toProvider(t, "/diary?week=12#today")
	res := w.Client.Get(t, callback(back)).Want(t, http.StatusOK)
	if got := res.Header.Get("X-Sign-In-Redirect"); got != "/diary?week=12#today" {
		t.Errorf("X-Sign-In-Redirect = %q, want the path given to the start", got)
	}
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	res.Decode(t, &tok)
	claims, err := w.tokens.Verify(tok.AccessToken)
	if err != nil || claims.Subject != teacher || claims.School != schoolA {
		t.Fatalf("access token claims %+v, %v: want the linked teacher of school A", claims, err)
	}
	sessions, err := w.DB.Sessions(t.Context(), schoolA, teacher)
	if err != nil || len(sessions) != 1 {
		t.Fatalf("the teacher has %d sessions (%v), want 1", len(sessions), err)
	}

	// The callback is good once.
	replay := w.Client.Get(t, callback(back)).Want(t, http.StatusBadRequest)
	if e := replay.Error(t); e.Fields["state"] == "" {
		t.Errorf("a replayed callback says %+v, want a message about state", e)
	}
}

func TestOIDCUnknownSubject(t *testing.T) {
	t.Parallel()
	w := newOIDCWorld(t)
	people := countPeople(t, w)
	w.provider.Approve("esia-stranger")
	for lang, want := range map[string]string{"ru": "Обратитесь в школу", "en": "Ask the school"} {
		res := w.Client.With("Accept-Language", lang).Get(t, callback(w.toProvider(t, "/"))).Want(t, http.StatusForbidden)
		if e := res.Error(t); !strings.Contains(e.Message, want) || !strings.Contains(e.Message, "Госуслуги") {
			t.Errorf("%s: message %q, want it to name Госуслуги and say %q", lang, e.Message, want)
		}
	}
	if n := countPeople(t, w); n != people {
		t.Fatalf("an unknown external account changed the number of people from %d to %d", people, n)
	}
	if _, err := w.DB.ExternalIdentity(t.Context(), w.provider.Issuer, "esia-stranger"); ejournal.ErrorCode(err) != ejournal.ENOTFOUND {
		t.Fatalf("an unknown external account was linked: %v", err)
	}
}

// countPeople counts the person records of the table (a test-only scan).
func countPeople(t *testing.T, w *oidcWorld) int {
	t.Helper()
	out, err := dynamotest.Client(t).Scan(t.Context(), &dynamodb.ScanInput{
		TableName:                 aws.String(w.DB.Table()),
		FilterExpression:          aws.String("begins_with(SK, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: "PERSON#"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return int(out.Count)
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestOIDCRefused: a sign-in that the provider or the checks of its answer
// refuse issues no tokens.
func TestOIDCRefused(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		status int
		// run returns the callback to call after setting up w.
		run func(t *testing.T, w *oidcWorld) string
	}{
		{"unknown state", http.StatusBadRequest, func(t *testing.T, w *oidcWorld) string {
			q := w.toProvider(t, "/")
			q.Set("state", oidc.NewNonce())
			return callback(q)
		}},
		{"no state", http.StatusBadRequest, func(t *testing.T, w *oidcWorld) string {
			q := w.toProvider(t, "/")
			q.Del("state")
			return callback(q)
		}},
		{"no code", http.StatusBadRequest, func(t *testing.T, w *oidcWorld) string {
			q := w.toProvider(t, "/")
			q.Del("code")
			return callback(q)
		}},
		{"cancelled at the provider", http.StatusUnauthorized, func(t *testing.T, w *oidcWorld) string {
			w.provider.Approve("")
			return callback(w.toProvider(t, "/"))
		}},
		{"code of another sign-in: PKCE verifier does not match", http.StatusUnauthorized, func(t *testing.T, w *oidcWorld) string {
			first, second := w.toProvider(t, "/"), w.toProvider(t, "/")
			first.Set("state", second.Get("state"))
			return callback(first)
		}},
		{"forged code", http.StatusUnauthorized, func(t *testing.T, w *oidcWorld) string {
			q := w.toProvider(t, "/")
			q.Set("code", "forged")
			return callback(q)
		}},
		{"nonce mismatch", http.StatusUnauthorized, func(t *testing.T, w *oidcWorld) string {
			w.provider.Tamper(func(c map[string]any) { c["nonce"] = oidc.NewNonce() })
			return callback(w.toProvider(t, "/"))
		}},
		{"ID token signed by another key", http.StatusUnauthorized, func(t *testing.T, w *oidcWorld) string {
			w.provider.SignWith(oidctest.NewKey(t))
			return callback(w.toProvider(t, "/"))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newOIDCWorld(t)
			w.link(t, w.a["teacher"], "esia-1000001")
			w.provider.Approve("esia-1000001")
			target := tc.run(t, w)
			w.Client.Get(t, target).Want(t, tc.status)
			if code := mustURL(t, target).Query().Get("code"); code != "" && strings.Contains(w.Log.String(), code) {
				t.Errorf("the log holds the authorization code: %s", w.Log.String())
			}
			if s, err := w.DB.Sessions(t.Context(), schoolA, w.a["teacher"]); err != nil || len(s) != 0 {
				t.Fatalf("a refused sign-in opened %d sessions (%v)", len(s), err)
			}
		})
	}
}

// TestOIDCClosedPeople: those who may not sign in with a password may not
// sign in through the provider either.
func TestOIDCClosedPeople(t *testing.T) {
	t.Parallel()
	w := newOIDCWorld(t)
	ctx := context.Background()
	dismissed := &ejournal.Person{ID: "dismissed", SchoolID: schoolA, Kind: ejournal.Staff, LastName: "Уволенная", FirstName: "Анна",
		Employment: &ejournal.Employment{Position: "учитель", HiredOn: "2020-09-01", DismissedOn: "2025-06-30"}}
	left := &ejournal.Person{ID: "left", SchoolID: schoolA, Kind: ejournal.Student, LastName: "Выбывший", FirstName: "Иван", Left: true}
	disabled := &ejournal.Person{ID: "disabled", SchoolID: schoolA, Kind: ejournal.Staff, LastName: "Отключённая", FirstName: "Анна"}
	for _, p := range []*ejournal.Person{dismissed, left, disabled} {
		if err := w.DB.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		w.link(t, p.ID, "esia-"+p.ID)
	}
	if err := w.DB.CreateAccount(ctx, &ejournal.Account{Login: "disabled.anna", SchoolID: schoolA, PersonID: disabled.ID, PasswordHash: "x", Disabled: true}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*ejournal.Person{dismissed, left, disabled} {
		if status, body := w.signIn(t, "esia-"+p.ID); status != http.StatusForbidden || body.AccessToken != "" {
			t.Errorf("%s signed in through the provider: %d %+v", p.ID, status, body)
		}
	}
	// A person linked and still in the school signs in even with an account.
	if err := w.DB.CreateAccount(ctx, &ejournal.Account{Login: "teacher.a", SchoolID: schoolA, PersonID: w.a["teacher"], PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	w.link(t, w.a["teacher"], "esia-teacher")
	if status, body := w.signIn(t, "esia-teacher"); status != http.StatusOK || body.AccessToken == "" {
		t.Fatalf("the teacher could not sign in: %d %+v", status, body)
	}
}

func TestOIDCNotConfigured(t *testing.T) {
	t.Parallel()
	w := newOIDCWorld(t)
	w.Server.OIDC = nil
	var providers struct{ Items []any }
	w.Client.Get(t, "/v1/auth/providers").Want(t, http.StatusOK).Decode(t, &providers)
	if len(providers.Items) != 0 {
		t.Fatalf("providers = %v, want none", providers.Items)
	}
	for _, target := range []string{"/v1/auth/oidc/start", "/v1/auth/oidc/callback?state=x&code=y"} {
		if e := w.Client.Get(t, target).Want(t, http.StatusNotFound).Error(t); e.Code != "not_found" {
			t.Errorf("%s: code %q, want not_found", target, e.Code)
		}
	}
	w.Client.As(adminA).Post(t, "/v1/people/"+w.a["teacher"]+"/external-identities", map[string]string{"subject": "1"}).Want(t, http.StatusBadRequest)
}

func TestOIDCRedirectTargets(t *testing.T) {
	t.Parallel()
	w := newOIDCWorld(t)
	for _, good := range []string{"", "/", "/diary", "/marks?class=5a&term=1#end", "/a/b/c"} {
		w.Client.Get(t, "/v1/auth/oidc/start?redirect="+url.QueryEscape(good)).Want(t, http.StatusFound)
	}
	bad := []string{
		"https://evil.test/", "//evil.test/x", "/\\evil.test", "\\\\evil.test", "javascript:alert(1)", "diary",
		"http:/evil.test", "/diary\r\nSet-Cookie: x=1", "/a\x00b", "/" + strings.Repeat("a", 600),
	}
	for _, b := range bad {
		res := w.Client.Get(t, "/v1/auth/oidc/start?redirect="+url.QueryEscape(b)).Want(t, http.StatusBadRequest)
		if res.Error(t).Fields["redirect"] == "" {
			t.Errorf("redirect %q: the error names no redirect field", b)
		}
	}
}

func TestExternalIdentityLinks(t *testing.T) {
	t.Parallel()
	w := newOIDCWorld(t)
	student := w.a["student"]
	path := "/v1/people/" + student + "/external-identities"
	admin := w.Client.As(adminA)

	created := admin.Post(t, path, map[string]string{"issuer": w.provider.Issuer, "subject": "1000001"}).Want(t, http.StatusCreated).Object(t)
	if created["person_id"] != student || created["school_id"] != schoolA || created["issuer"] != w.provider.Issuer || created["created_by"] != "p-admin-a" {
		t.Fatalf("created link %v", created)
	}
	admin.Post(t, path, map[string]string{"subject": "1000002"}).Want(t, http.StatusCreated)

	cases := []struct {
		name   string
		client string
		path   string
		body   any
		status int
		field  string
	}{
		{"the same account again", adminA, path, map[string]string{"subject": "1000001"}, http.StatusConflict, ""},
		{"the same account to another person", adminA, "/v1/people/" + w.a["teacher"] + "/external-identities", map[string]string{"subject": "1000001"}, http.StatusConflict, ""},
		{"a person of another school", adminA, "/v1/people/" + w.b["student"] + "/external-identities", map[string]string{"subject": "9"}, http.StatusNotFound, ""},
		{"no such person", adminA, "/v1/people/nobody/external-identities", map[string]string{"subject": "9"}, http.StatusNotFound, ""},
		{"without accounts.manage", teacherA, path, map[string]string{"subject": "9"}, http.StatusForbidden, ""},
		{"anonymous", "", path, map[string]string{"subject": "9"}, http.StatusUnauthorized, ""},
		{"another provider", adminA, path, map[string]string{"issuer": "https://evil.test", "subject": "9"}, http.StatusBadRequest, "issuer"},
		{"a subject with a space", adminA, path, map[string]string{"subject": "a b"}, http.StatusBadRequest, "subject"},
		{"an empty subject", adminA, path, map[string]string{"subject": ""}, http.StatusBadRequest, "subject"},
		{"a long subject", adminA, path, map[string]string{"subject": strings.Repeat("1", 256)}, http.StatusBadRequest, "subject"},
		{"an unknown field", adminA, path, map[string]any{"subject": "9", "person_id": "x"}, http.StatusBadRequest, "person_id"},
	}
	for _, tc := range cases {
		c := w.Client
		if tc.client != "" {
			c = c.As(tc.client)
		}
		res := c.Post(t, tc.path, tc.body)
		if res.Status != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.name, res.Status, tc.status, res.Body)
			continue
		}
		if tc.field != "" && res.Error(t).Fields[tc.field] == "" {
			t.Errorf("%s: the error does not name %s: %s", tc.name, tc.field, res.Body)
		}
	}

	var links struct {
		Items []ejournal.ExternalIdentity `json:"items"`
	}
	admin.Get(t, path).Want(t, http.StatusOK).Decode(t, &links)
	if len(links.Items) != 2 {
		t.Fatalf("the student has %d links, want 2", len(links.Items))
	}
	w.Client.As(adminB).Get(t, path).Want(t, http.StatusNotFound)
	w.Client.As(teacherA).Get(t, path).Want(t, http.StatusForbidden)

	// Unlinking: the wrong person, school or subject is not found.
	w.Client.As(adminB).Do(t, http.MethodDelete, path+"/1000001", nil).Want(t, http.StatusNotFound)
	admin.Do(t, http.MethodDelete, "/v1/people/"+w.a["teacher"]+"/external-identities/1000001", nil).Want(t, http.StatusNotFound)
	admin.Do(t, http.MethodDelete, path+"/1000009", nil).Want(t, http.StatusNotFound)
	admin.Do(t, http.MethodDelete, path+"/1000001?issuer="+url.QueryEscape("https://other.test"), nil).Want(t, http.StatusNotFound)
	w.Client.As(teacherA).Do(t, http.MethodDelete, path+"/1000001", nil).Want(t, http.StatusForbidden)
	admin.Do(t, http.MethodDelete, path+"/1000001?issuer="+url.QueryEscape(w.provider.Issuer), nil).Want(t, http.StatusOK)
	admin.Do(t, http.MethodDelete, path+"/1000001", nil).Want(t, http.StatusNotFound)
	admin.Get(t, path).Want(t, http.StatusOK).Decode(t, &links)
	if len(links.Items) != 1 || links.Items[0].Subject != "1000002" {
		t.Fatalf("after unlinking the student has %+v, want only 1000002", links.Items)
	}

	// An unlinked account no longer signs in.
	if status, _ := w.signIn(t, "1000001"); status != http.StatusForbidden {
		t.Fatalf("an unlinked account signed in: %d", status)
	}
	if status, _ := w.signIn(t, "1000002"); status != http.StatusOK {
		t.Fatalf("a linked student could not sign in: %d", status)
	}

	trail, err := w.DB.AuditTrail(t.Context(), schoolA, "person", student)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range trail {
		raw := e.New
		if raw == nil {
			raw = e.Old
		}
		var x ejournal.ExternalIdentity
		if raw != nil && json.Unmarshal(raw, &x) == nil && x.Subject != "" {
			got = append(got, e.Action+" "+x.Subject+" by "+e.ActorID)
		}
	}
	want := []string{"create 1000001 by p-admin-a", "create 1000002 by p-admin-a", "delete 1000001 by p-admin-a"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Fatalf("audit trail of the student's links: %q, want %q", got, want)
	}
}
