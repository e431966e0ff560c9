// Package ejournal is the domain of the school e-journal: schools, school years
// and terms, classes, groups, subjects, teacher assignments and the rules that
// keep them valid. It knows nothing of AWS, HTTP or storage; adapters in other
// packages implement the service interfaces declared here.
package ejournal

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. Each maps to exactly one HTTP status in the API package.
const (
	EINVALID      = "invalid"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	ERATELIMITED  = "rate_limited"
	EINTERNAL     = "internal"
)

// Text is a user-facing message in the two languages the system speaks.
// Russian is the default; English is served on request.
type Text struct {
	RU string
	EN string
}

// T builds a Text from its Russian and English forms.
func T(ru, en string) Text { return Text{RU: ru, EN: en} }

// In returns the text in lang ("en" or anything else for Russian).
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.RU
}

// Error is the one error type that carries a code and a message fit for users.
// Internal causes are kept in Err and never shown to users.
type Error struct {
	Code    string
	Message Text
	// Fields names the offending input fields, each with its own message.
	Fields map[string]Text
	// Err is the internal cause, for logs only.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	b.WriteString(": ")
	b.WriteString(e.Message.EN)
	if len(e.Fields) > 0 {
		names := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			names = append(names, k)
		}
		sort.Strings(names)
		fmt.Fprintf(&b, " (%s)", strings.Join(names, ", "))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with the given code and message.
func Errorf(code string, msg Text) *Error { return &Error{Code: code, Message: msg} }

// ErrorCode returns the code of err, EINTERNAL for errors that carry none,
// and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// Internal wraps an unexpected error so that users see a generic message.
func Internal(err error) *Error {
	return &Error{Code: EINTERNAL, Message: T("Внутренняя ошибка сервера. Попробуйте ещё раз.", "Internal server error. Please try again."), Err: err}
}

// NotFound reports that a record does not exist (or is not visible to the caller).
func NotFound(what Text) *Error {
	return &Error{Code: ENOTFOUND, Message: T(what.RU+": запись не найдена", what.EN+" not found")}
}

// Conflict reports a stale version or a duplicate record.
func Conflict(msg Text) *Error { return &Error{Code: ECONFLICT, Message: msg} }

// StaleVersion is the conflict returned when a write carries an outdated version.
func StaleVersion() *Error {
	return Conflict(T("Запись изменена другим пользователем. Обновите страницу и повторите.", "The record was changed by someone else. Reload and try again."))
}

// Problems collects field-level validation messages and turns them into one
// EINVALID error.
type Problems map[string]Text

// Add records a problem with field.
func (p Problems) Add(field string, msg Text) { p[field] = msg }

// Err returns nil when there are no problems, or an EINVALID error naming them.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: T("Проверьте введённые данные.", "Please check the data you entered."), Fields: map[string]Text(p)}
}
