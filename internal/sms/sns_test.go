package sms_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"ejournal/internal/ejournal"
	"ejournal/internal/sms"
	"ejournal/internal/snstest"
)

// newSender is an SNSSender on a fresh fake SNS, with delays short enough
// for tests.
func newSender(t *testing.T, senderID string) (*sms.SNSSender, *snstest.Server) {
	t.Helper()
	srv := snstest.New(t)
	s, err := sms.NewSNSSender(srv.Config(), senderID, sms.Options{BaseDelay: time.Microsecond, MaxDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return s, srv
}

func message(phone string) *ejournal.OutboxMessage {
	return &ejournal.OutboxMessage{ID: "o1", SchoolID: "s1", RecipientID: "parent-1", Phone: phone, Text: "Маша: оценка 5 по матем. за 28.11"}
}

func TestSendPublishes(t *testing.T) {
	s, srv := newSender(t, "School8")
	m := message("+79123456789")
	id, err := s.Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Published()
	if len(got) != 1 {
		t.Fatalf("published %d, want 1", len(got))
	}
	p := got[0]
	if p.Phone != m.Phone || p.Message != m.Text || p.MessageID != id || id == "" || m.Attempts != 1 {
		t.Errorf("published %+v, id %q, attempts %d", p, id, m.Attempts)
	}
	want := map[string]snstest.Attribute{
		"AWS.SNS.SMS.SMSType":  {DataType: "String", StringValue: "Transactional"},
		"AWS.SNS.SMS.SenderID": {DataType: "String", StringValue: "School8"},
	}
	if len(p.Attributes) != len(want) || p.Attributes["AWS.SNS.SMS.SMSType"] != want["AWS.SNS.SMS.SMSType"] ||
		p.Attributes["AWS.SNS.SMS.SenderID"] != want["AWS.SNS.SMS.SenderID"] {
		t.Errorf("attributes = %+v, want %+v", p.Attributes, want)
	}
}

func TestSendWithoutSenderID(t *testing.T) {
	s, srv := newSender(t, "")
	if _, err := s.Send(context.Background(), message("+79123456789")); err != nil {
		t.Fatal(err)
	}
	attrs := srv.Published()[0].Attributes
	if _, ok := attrs["AWS.SNS.SMS.SenderID"]; ok || attrs["AWS.SNS.SMS.SMSType"].StringValue != "Transactional" {
		t.Errorf("attributes = %+v", attrs)
	}
}

func TestEndpointOption(t *testing.T) {
	srv := snstest.New(t)
	cfg := srv.Config()
	cfg.BaseEndpoint = nil
	s, err := sms.NewSNSSender(cfg, "", sms.Options{Endpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(context.Background(), message("+79123456789")); err != nil || len(srv.Published()) != 1 {
		t.Errorf("Send through Options.Endpoint: %v, published %d", err, len(srv.Published()))
	}
}

func TestSenderIDChecked(t *testing.T) {
	for _, id := range []string{"123456", "TooLongSender1", "Школа", "a b"} {
		if _, err := sms.NewSNSSender(snstest.New(t).Config(), id, sms.Options{}); err == nil {
			t.Errorf("sender ID %q accepted", id)
		}
	}
}

func TestSendRetriesTransientErrors(t *testing.T) {
	tests := []struct {
		name string
		fail func(*snstest.Server)
	}{
		{"throttled", func(srv *snstest.Server) { srv.ThrottleNext(3) }},
		{"throttling 400", func(srv *snstest.Server) { srv.FailNext(3, http.StatusBadRequest, "Throttling") }},
		{"server error", func(srv *snstest.Server) { srv.FailNext(3, http.StatusInternalServerError, "InternalError") }},
		{"unavailable", func(srv *snstest.Server) { srv.FailNext(3, http.StatusServiceUnavailable, "ServiceUnavailable") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newSender(t, "School8")
			tt.fail(srv)
			m := message("+79123456789")
			id, err := s.Send(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			if n := srv.PublishAttempts(); n != 4 || m.Attempts != 4 || len(srv.Published()) != 1 || srv.Published()[0].MessageID != id {
				t.Errorf("attempts %d (message says %d), published %d", n, m.Attempts, len(srv.Published()))
			}
		})
	}
}

func TestSendGivesUpAfterMaxAttempts(t *testing.T) {
	s, srv := newSender(t, "School8")
	srv.ThrottleNext(10)
	_, err := s.Send(context.Background(), message("+79123456789"))
	e, ok := errors.AsType[*sms.Error](err)
	if !ok || e.Code != "Throttled" || e.Attempts != sms.DefaultMaxAttempts || sms.IsPermanent(err) {
		t.Fatalf("err = %v", err)
	}
	if n := srv.PublishAttempts(); n != sms.DefaultMaxAttempts {
		t.Errorf("attempts = %d, want %d", n, sms.DefaultMaxAttempts)
	}
}

func TestSendPermanentErrorNotRetried(t *testing.T) {
	s, srv := newSender(t, "School8")
	srv.FailPermanently("+79000000001")
	srv.OptOut("+79000000002")
	for phone, code := range map[string]string{"+79000000001": "InvalidParameter", "+79000000002": "OptedOut"} {
		before := srv.PublishAttempts()
		m := message(phone)
		_, err := s.Send(context.Background(), m)
		if !sms.IsPermanent(err) || sms.Code(err) != code {
			t.Errorf("%s: err = %v, want permanent %s", phone, err, code)
		}
		if n := srv.PublishAttempts() - before; n != 1 || m.Attempts != 1 {
			t.Errorf("%s: %d attempts, want 1", phone, n)
		}
	}
	if len(srv.Published()) != 0 {
		t.Errorf("published %d", len(srv.Published()))
	}
}

func TestSendRefusesBadInputWithoutCalling(t *testing.T) {
	s, srv := newSender(t, "School8")
	empty := message("+79123456789")
	empty.Text = ""
	for _, tt := range []struct {
		m    *ejournal.OutboxMessage
		code string
	}{
		{message("89123456789"), sms.CodeInvalidPhone},
		{message(""), sms.CodeInvalidPhone},
		{empty, sms.CodeEmptyMessage},
	} {
		_, err := s.Send(context.Background(), tt.m)
		if !sms.IsPermanent(err) || sms.Code(err) != tt.code {
			t.Errorf("%q %q: err = %v, want permanent %s", tt.m.Phone, tt.m.Text, err, tt.code)
		}
	}
	if n := srv.PublishAttempts(); n != 0 {
		t.Errorf("%d calls reached SNS", n)
	}
}

func TestSendNetworkErrorIsTransient(t *testing.T) {
	s, srv := newSender(t, "School8")
	srv.Close()
	_, err := s.Send(context.Background(), message("+79123456789"))
	e, ok := errors.AsType[*sms.Error](err)
	if !ok || e.Permanent || e.Attempts != sms.DefaultMaxAttempts {
		t.Errorf("err = %v", err)
	}
}

func TestSendStopsWhenContextEnds(t *testing.T) {
	srv := snstest.New(t)
	s, err := sms.NewSNSSender(srv.Config(), "", sms.Options{BaseDelay: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	srv.ThrottleNext(1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Send(ctx, message("+79123456789")); sms.IsPermanent(err) || sms.Code(err) != "Canceled" {
		t.Errorf("cancelled before: err = %v", err)
	}
	// Cancelled while waiting an hour to retry: returns at once.
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = s.Send(ctx, message("+79123456789"))
	if sms.IsPermanent(err) || sms.Code(err) != "Canceled" || !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 10*time.Second {
		t.Errorf("cancelled while waiting: err = %v after %v", err, time.Since(start))
	}
	if n := srv.PublishAttempts(); n != 1 {
		t.Errorf("attempts = %d, want 1", n)
	}
}

func TestOptedOut(t *testing.T) {
	s, srv := newSender(t, "")
	srv.OptOut("+79000000002")
	for phone, want := range map[string]bool{"+79000000002": true, "+79123456789": false} {
		got, err := s.OptedOut(context.Background(), phone)
		if err != nil || got != want {
			t.Errorf("OptedOut(%s) = %v, %v; want %v", phone, got, err, want)
		}
	}
	if _, err := s.OptedOut(context.Background(), "9123"); !sms.IsPermanent(err) {
		t.Errorf("bad number: err = %v", err)
	}
	if n := len(srv.OptOutChecks()); n != 2 {
		t.Errorf("checks = %d, want 2", n)
	}
}
