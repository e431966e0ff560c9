package sms_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"ejournal/internal/ejournal"
	"ejournal/internal/sms"
)

// responseError is an SDK error as the SDK wraps one answered with status.
func responseError(status int, err error) error {
	return &smithy.OperationError{ServiceID: "SNS", OperationName: "Publish", Err: &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}}, Err: err,
	}}
}

func TestIsPermanent(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		code      string
		permanent bool
	}{
		{"nil", nil, "", false},
		{"invalid parameter", responseError(400, &smithy.GenericAPIError{Code: "InvalidParameter"}), "InvalidParameter", true},
		{"authorization", responseError(403, &smithy.GenericAPIError{Code: "AuthorizationError"}), "AuthorizationError", true},
		{"opted out", responseError(400, &smithy.GenericAPIError{Code: "OptedOut"}), "OptedOut", true},
		{"api error without a status", &smithy.GenericAPIError{Code: "InvalidParameter"}, "InvalidParameter", true},
		{"throttled 429", responseError(429, &smithy.GenericAPIError{Code: "Throttled"}), "Throttled", false},
		{"throttling 400", responseError(400, &smithy.GenericAPIError{Code: "Throttling"}), "Throttling", false},
		{"429 with any code", responseError(429, &smithy.GenericAPIError{Code: "Whatever"}), "Whatever", false},
		{"500 without a body", responseError(500, errors.New("deserialization failed")), "HTTP500", false},
		{"503", responseError(503, &smithy.GenericAPIError{Code: "ServiceUnavailable"}), "ServiceUnavailable", false},
		{"network", &smithy.OperationError{Err: errors.New("connection refused")}, "NetworkError", false},
		{"cancelled", fmt.Errorf("publish: %w", context.Canceled), "Canceled", false},
		{"sms error", &sms.Error{Code: "X", Permanent: true}, "X", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sms.IsPermanent(tt.err); got != tt.permanent {
				t.Errorf("IsPermanent = %v, want %v", got, tt.permanent)
			}
			if got := sms.Code(tt.err); got != tt.code {
				t.Errorf("Code = %q, want %q", got, tt.code)
			}
		})
	}
}

func TestErrorHidesPhone(t *testing.T) {
	err := &sms.Error{Op: "publish", Code: "InvalidParameter", Permanent: true, Attempts: 1,
		Err: errors.New("Invalid parameter: PhoneNumber Reason: +79123456789 is not valid")}
	if msg := err.Error(); strings.Contains(msg, "912345") || !strings.Contains(msg, "+…89") || !strings.Contains(msg, "InvalidParameter") {
		t.Errorf("Error() = %q", msg)
	}
}

func TestOutboxSink(t *testing.T) {
	var logs bytes.Buffer
	sink := sms.NewOutboxSink(slog.New(slog.NewJSONHandler(&logs, nil)))
	sink.OptOut("+79000000002")
	m := &ejournal.OutboxMessage{ID: "o1", SchoolID: "s1", RecipientID: "parent-1", Phone: "+79123456789", Text: "Маша: оценка 5 по матем. за 28.11"}
	id, err := sink.Send(context.Background(), m)
	if err != nil || !strings.HasPrefix(id, "local-") || m.Attempts != 1 {
		t.Fatalf("Send = %q, %v (attempts %d)", id, err, m.Attempts)
	}
	if strings.Contains(logs.String(), "912345") || strings.Contains(logs.String(), "79123") {
		t.Errorf("the log holds the phone number: %s", logs.String())
	}
	var line map[string]any
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatalf("log line %q: %v", logs.String(), err)
	}
	for k, want := range map[string]any{"sms_id": id, "outbox_id": "o1", "school_id": "s1", "recipient_id": "parent-1", "phone_tail": "89", "segments": 1.0, "text": m.Text} {
		if line[k] != want {
			t.Errorf("log %s = %v, want %v", k, line[k], want)
		}
	}
	sent := sink.Sent()
	if len(sent) != 1 || sent[0].SNSMessageID != id || sent[0].Text != m.Text {
		t.Errorf("Sent = %+v", sent)
	}

	if opted, err := sink.OptedOut(context.Background(), "+79000000002"); !opted || err != nil {
		t.Errorf("OptedOut = %v, %v", opted, err)
	}
	if opted, err := sink.OptedOut(context.Background(), m.Phone); opted || err != nil {
		t.Errorf("OptedOut = %v, %v", opted, err)
	}
	out := *m
	out.Phone = "+79000000002"
	if _, err := sink.Send(context.Background(), &out); !sms.IsPermanent(err) || sms.Code(err) != sms.CodeOptedOut {
		t.Errorf("opted out: err = %v", err)
	}
	out.Phone = "12"
	if _, err := sink.Send(context.Background(), &out); !sms.IsPermanent(err) || sms.Code(err) != sms.CodeInvalidPhone {
		t.Errorf("bad number: err = %v", err)
	}
	if len(sink.Sent()) != 1 {
		t.Errorf("Sent = %d, want 1", len(sink.Sent()))
	}
}
