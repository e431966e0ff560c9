package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ejournal/internal/api"
	"ejournal/internal/auth"
	"ejournal/internal/config"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// A new deployment's first administrator can sign in with the printed
// one-time password and must change it first; the school is created once.
func TestBootstrapCreatesAFirstAdministrator(t *testing.T) {
	c := dynamotest.Client(t)
	table := dynamotest.NewTable(t, c)
	t.Setenv("TABLE_NAME", table)
	t.Setenv("DYNAMODB_ENDPOINT", dynamotest.Endpoint(t))
	var out bytes.Buffer
	args := []string{"-school-id", "new-school", "-school-name", "МКОУ «Новая школа»", "-login", "Head.Admin", "-last-name", "Иванова", "-first-name", "Мария"}
	if err := bootstrap(args, &out); err != nil {
		t.Fatalf("bootstrap: %v\n%s", err, out.String())
	}
	m := regexp.MustCompile(`one-time password: (\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no one-time password printed:\n%s", out.String())
	}

	key, err := auth.LoadOrCreateKeyFile(filepath.Join(t.TempDir(), "key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := config.FromEnv().Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s := &api.Server{Directory: db, Identity: db, Records: db, Tokens: auth.NewTokens(key, auth.DefaultIssuer)}
	s.Auth = api.NewTokenAuth(s.Tokens, db)
	h := s.Handler()
	login := func(password string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/v1/auth/login", strings.NewReader(`{"login":"head.admin","password":"`+password+`"}`)))
		return w
	}
	if w := login(m[1]); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"must_change_password":true`) {
		t.Fatalf("sign-in with the one-time password: %d %s, want 200 with must_change_password", w.Code, w.Body.String())
	}

	// A second administrator for the same school reuses the school; a taken
	// login is refused before anything is written.
	out.Reset()
	if err := bootstrap([]string{"-school-id", "new-school", "-login", "second", "-last-name", "Петров", "-first-name", "Пётр"}, &out); err != nil {
		t.Fatalf("second administrator: %v", err)
	}
	if err := bootstrap([]string{"-school-id", "new-school", "-login", "second", "-last-name", "Сидоров", "-first-name", "Иван"}, &out); err == nil || !strings.Contains(err.Error(), "taken") {
		t.Fatalf("a taken login: %v, want refused", err)
	}
	staff, err := db.People(context.Background(), "new-school", ejournal.PersonFilter{Kind: ejournal.Staff})
	if err != nil {
		t.Fatal(err)
	}
	if len(staff) != 2 {
		t.Fatalf("%d staff after two bootstraps and one refusal, want 2", len(staff))
	}
}
