// Package sms sends the journal's text messages: through Amazon SNS in AWS
// (SNSSender), or into a log line when running locally (OutboxSink). It is
// the only package that imports the SNS SDK. Errors say whether trying the
// same message again can help (IsPermanent).
package sms

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"

	"github.com/aws/smithy-go"

	"ejournal/internal/ejournal"
)

// Sender sends one SMS and answers whether a number has opted out.
type Sender interface {
	// Send sends m.Text to m.Phone and returns the provider's message id. It
	// adds the attempts it made to m.Attempts. Errors are *Error.
	Send(ctx context.Context, m *ejournal.OutboxMessage) (messageID string, err error)
	// OptedOut reports whether phone (E.164) has opted out of SMS.
	OptedOut(ctx context.Context, phone string) (bool, error)
}

// Error codes of errors raised before anything is sent. Errors from SNS
// carry SNS's own code (InvalidParameter, OptedOut, Throttled …).
const (
	CodeInvalidPhone = "InvalidPhone"
	CodeEmptyMessage = "EmptyMessage"
	CodeOptedOut     = "OptedOut"
	codeNetwork      = "NetworkError"
	codeCanceled     = "Canceled"
)

// Error is a failed send or check.
type Error struct {
	// Op is the operation: "publish" or "opt-out check".
	Op string
	// Code is SNS's error code or one of the Code constants.
	Code string
	// Permanent is true when trying again cannot help (a bad number, an
	// opted-out number, missing permissions); false for throttling, server
	// errors and network trouble that outlasted the retries.
	Permanent bool
	// Attempts is how many calls were made.
	Attempts int
	// Err is the cause: the SDK's error or a check's.
	Err error
}

// Error describes the failure with its code, kind and attempts (never the
// phone number).
func (e *Error) Error() string {
	kind := "transient"
	if e.Permanent {
		kind = "permanent"
	}
	cause := phoneLike.ReplaceAllStringFunc(fmt.Sprint(e.Err), func(p string) string { return "+…" + p[len(p)-2:] })
	return fmt.Sprintf("sms %s: %s (%s, %d attempts): %s", e.Op, e.Code, kind, e.Attempts, cause)
}

// phoneLike matches phone numbers that an SDK message may quote, so that
// Error can hide them.
var phoneLike = regexp.MustCompile(`\+?[0-9]{7,15}`)

// Unwrap returns the SDK's error.
func (e *Error) Unwrap() error { return e.Err }

// IsPermanent reports whether err means the message must not be retried.
func IsPermanent(err error) bool {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Permanent
	}
	_, permanent := classify(err)
	return permanent
}

// Code is the error code of err ("" for nil or an error without one).
func Code(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	code, _ := classify(err)
	return code
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// ValidPhone reports whether phone is in E.164 form.
func ValidPhone(phone string) bool { return e164.MatchString(phone) }

func invalidPhone(op string) *Error {
	return &Error{Op: op, Code: CodeInvalidPhone, Permanent: true, Err: errors.New("phone number is not in E.164 form")}
}

// checkMessage refuses, before any call, what SNS would refuse anyway.
func checkMessage(m *ejournal.OutboxMessage) error {
	switch {
	case !ValidPhone(m.Phone):
		return invalidPhone("publish")
	case m.Text == "":
		return &Error{Op: "publish", Code: CodeEmptyMessage, Permanent: true, Err: errors.New("empty message")}
	}
	return nil
}

// transientCodes are the error codes of throttling and of SNS's own
// failures: trying again later can succeed.
var transientCodes = map[string]bool{
	"Throttled": true, "Throttling": true, "ThrottlingException": true, "ThrottledException": true,
	"TooManyRequestsException": true, "RequestThrottled": true, "KMSThrottling": true,
	"InternalError": true, "InternalFailure": true, "ServiceUnavailable": true, "RequestTimeout": true,
}

// classify names err's code and says whether it is permanent: an error
// answered by SNS with a 4xx status other than 429 and a code that is not
// throttling. Server errors, throttling and errors without a response
// (network trouble) are transient; a cancelled context is neither retried
// nor permanent.
func classify(err error) (code string, permanent bool) {
	if err == nil {
		return "", false
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return codeCanceled, false
	}
	status := 0
	if re, ok := errors.AsType[interface {
		error
		HTTPStatusCode() int
	}](err); ok {
		status = re.HTTPStatusCode()
	}
	code = codeNetwork
	if status != 0 {
		code = fmt.Sprintf("HTTP%d", status)
	}
	apiErr, isAPI := errors.AsType[smithy.APIError](err)
	if isAPI {
		code = apiErr.ErrorCode()
	}
	switch {
	case transientCodes[code], status == http.StatusTooManyRequests, status >= 500:
		return code, false
	case status >= 400, isAPI && status == 0:
		return code, true
	}
	return code, false
}
