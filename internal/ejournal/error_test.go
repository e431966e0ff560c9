package ejournal_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"ejournal/internal/ejournal"
)

func TestErrorCode(t *testing.T) {
	inner := ejournal.Errorf(ejournal.EFORBIDDEN, ejournal.T("Нет доступа.", "Access denied."))
	tests := []struct {
		name string
		err  error
		code string
	}{
		{"nil", nil, ""},
		{"plain error", errors.New("disk on fire"), ejournal.EINTERNAL},
		{"domain error", inner, ejournal.EFORBIDDEN},
		{"wrapped domain error", fmt.Errorf("load: %w", inner), ejournal.EFORBIDDEN},
		{"not found", ejournal.NotFound(ejournal.T("Класс", "Class")), ejournal.ENOTFOUND},
		{"conflict", ejournal.Conflict(ejournal.T("Уже есть.", "Exists.")), ejournal.ECONFLICT},
		{"stale version", ejournal.StaleVersion(), ejournal.ECONFLICT},
		{"internal", ejournal.Internal(errors.New("boom")), ejournal.EINTERNAL},
		{"problems", ejournal.Problems{"name": ejournal.T("a", "b")}.Err(), ejournal.EINVALID},
	}
	for _, tt := range tests {
		if got := ejournal.ErrorCode(tt.err); got != tt.code {
			t.Errorf("%s: ErrorCode = %q, want %q", tt.name, got, tt.code)
		}
	}
}

func TestErrorText(t *testing.T) {
	cause := context.DeadlineExceeded
	tests := []struct {
		name string
		err  *ejournal.Error
		want string
	}{
		{"message", ejournal.Errorf(ejournal.EFORBIDDEN, ejournal.T("Нет доступа.", "Access denied.")), "forbidden: Access denied."},
		{"fields in order", &ejournal.Error{Code: ejournal.EINVALID, Message: ejournal.T("Ошибка.", "Bad."), Fields: map[string]ejournal.Text{"b": {}, "a": {}, "c": {}}}, "invalid: Bad. (a, b, c)"},
		{"cause", ejournal.Internal(cause), "internal: Internal server error. Please try again.: context deadline exceeded"},
		{"not found", ejournal.NotFound(ejournal.T("Класс", "Class")), "not_found: Class not found"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s: Error() = %q, want %q", tt.name, got, tt.want)
		}
	}

	e := ejournal.Internal(cause)
	if !errors.Is(e, context.DeadlineExceeded) {
		t.Error("Internal does not unwrap to its cause")
	}
	for _, lang := range []string{"ru", "en"} {
		if msg := e.Message.In(lang); msg == "" || strings.Contains(msg, "deadline") {
			t.Errorf("Internal message in %s = %q: users must see a generic message", lang, msg)
		}
	}
	if got := ejournal.NotFound(ejournal.T("Класс", "Class")).Message.RU; got != "Класс: запись не найдена" {
		t.Errorf("NotFound Russian message = %q", got)
	}
}

func TestProblems(t *testing.T) {
	if err := (ejournal.Problems{}).Err(); err != nil {
		t.Fatalf("empty Problems.Err() = %v, want nil", err)
	}
	p := ejournal.Problems{}
	p.Add("name", ejournal.T("Обязательное поле.", "Required."))
	p.Add("grade", ejournal.T("От 1 до 11.", "From 1 to 11."))
	p.Add("grade", ejournal.T("Ещё раз.", "Again."))
	var e *ejournal.Error
	if err := p.Err(); !errors.As(err, &e) {
		t.Fatalf("Problems.Err() = %v, want *ejournal.Error", err)
	}
	if e.Code != ejournal.EINVALID || e.Message.RU == "" || e.Message.EN == "" {
		t.Errorf("Problems.Err() = %+v, want EINVALID with a message in both languages", e)
	}
	if len(e.Fields) != 2 || e.Fields["name"].EN != "Required." || e.Fields["grade"].EN != "Again." {
		t.Errorf("Fields = %v, want name and the last message of grade", e.Fields)
	}
}

func TestTextIn(t *testing.T) {
	tests := []struct {
		text ejournal.Text
		lang string
		want string
	}{
		{ejournal.T("Привет", "Hello"), "en", "Hello"},
		{ejournal.T("Привет", "Hello"), "ru", "Привет"},
		{ejournal.T("Привет", "Hello"), "", "Привет"},
		{ejournal.T("Привет", "Hello"), "de", "Привет"},
		{ejournal.T("Привет", ""), "en", "Привет"},
	}
	for _, tt := range tests {
		if got := tt.text.In(tt.lang); got != tt.want {
			t.Errorf("%+v.In(%q) = %q, want %q", tt.text, tt.lang, got, tt.want)
		}
	}
}

func TestPrincipal(t *testing.T) {
	if p := ejournal.PrincipalFrom(context.Background()); p != nil {
		t.Fatalf("PrincipalFrom(empty) = %+v, want nil", p)
	}
	p := &ejournal.Principal{PersonID: "p1", SchoolID: "s1", Roles: []ejournal.Role{ejournal.Administrator}}
	got := ejournal.PrincipalFrom(ejournal.WithPrincipal(context.Background(), p))
	if got != p || !got.Has(ejournal.Administrator) || got.Has("teacher") {
		t.Fatalf("PrincipalFrom = %+v", got)
	}
}
