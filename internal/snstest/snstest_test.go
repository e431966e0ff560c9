package snstest_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"ejournal/internal/snstest"
)

// client is a real SNS client talking to srv, without the SDK's retries.
func client(srv *snstest.Server) *sns.Client {
	return sns.NewFromConfig(srv.Config(), func(o *sns.Options) { o.Retryer = aws.NopRetryer{} })
}

func publish(c *sns.Client, phone, text string) (*sns.PublishOutput, error) {
	return c.Publish(context.Background(), &sns.PublishInput{
		PhoneNumber: aws.String(phone),
		Message:     aws.String(text),
		MessageAttributes: map[string]types.MessageAttributeValue{
			"AWS.SNS.SMS.SMSType":  {DataType: aws.String("String"), StringValue: aws.String("Transactional")},
			"AWS.SNS.SMS.SenderID": {DataType: aws.String("String"), StringValue: aws.String("School8")},
			"Z":                    {DataType: aws.String("Number"), StringValue: aws.String("1")},
		},
	})
}

func TestPublishDecoded(t *testing.T) {
	srv := snstest.New(t)
	c := client(srv)
	out, err := publish(c, "+79123456789", "Маша: оценка 5 по матем. & <ок>")
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Published()
	if len(got) != 1 {
		t.Fatalf("published %d, want 1", len(got))
	}
	p := got[0]
	if p.Phone != "+79123456789" || p.Message != "Маша: оценка 5 по матем. & <ок>" || p.MessageID != aws.ToString(out.MessageId) || p.MessageID == "" {
		t.Errorf("published %+v, SDK got id %q", p, aws.ToString(out.MessageId))
	}
	want := map[string]snstest.Attribute{
		"AWS.SNS.SMS.SMSType":  {DataType: "String", StringValue: "Transactional"},
		"AWS.SNS.SMS.SenderID": {DataType: "String", StringValue: "School8"},
		"Z":                    {DataType: "Number", StringValue: "1"},
	}
	if len(p.Attributes) != len(want) {
		t.Errorf("attributes = %v, want %v", p.Attributes, want)
	}
	for k, v := range want {
		if p.Attributes[k] != v {
			t.Errorf("attribute %s = %+v, want %+v", k, p.Attributes[k], v)
		}
	}
}

func TestErrorsMapToSDKTypes(t *testing.T) {
	srv := snstest.New(t)
	c := client(srv)
	srv.ThrottleNext(1)
	srv.FailNext(1, http.StatusInternalServerError, "InternalError")
	srv.FailPermanently("+79000000001")
	srv.OptOut("+79000000002")

	var throttled *types.ThrottledException
	if _, err := publish(c, "+79123456789", "x"); !errors.As(err, &throttled) {
		t.Errorf("throttled: err = %v", err)
	}
	var internal *types.InternalErrorException
	if _, err := publish(c, "+79123456789", "x"); !errors.As(err, &internal) {
		t.Errorf("internal: err = %v", err)
	}
	var invalid *types.InvalidParameterException
	if _, err := publish(c, "+79000000001", "x"); !errors.As(err, &invalid) {
		t.Errorf("permanent: err = %v", err)
	}
	var optedOut *types.OptedOutException
	if _, err := publish(c, "+79000000002", "x"); !errors.As(err, &optedOut) {
		t.Errorf("opted out: err = %v", err)
	}
	if _, err := publish(c, "89123456789", "x"); !errors.As(err, &invalid) {
		t.Errorf("not E.164: err = %v", err)
	}
	if _, err := publish(c, "+79123456789", "x"); err != nil {
		t.Errorf("after the injected failures: %v", err)
	}
	if n, p := srv.PublishAttempts(), len(srv.Published()); n != 6 || p != 1 {
		t.Errorf("attempts %d, published %d; want 6, 1", n, p)
	}
}

func TestFailPermanentlyAll(t *testing.T) {
	srv := snstest.New(t)
	srv.FailPermanently("")
	var invalid *types.InvalidParameterException
	if _, err := publish(client(srv), "+79123456789", "x"); !errors.As(err, &invalid) {
		t.Errorf("err = %v", err)
	}
}

func TestCheckIfPhoneNumberIsOptedOut(t *testing.T) {
	srv := snstest.New(t)
	srv.OptOut("+79000000002")
	c := client(srv)
	for phone, want := range map[string]bool{"+79000000002": true, "+79123456789": false} {
		out, err := c.CheckIfPhoneNumberIsOptedOut(context.Background(), &sns.CheckIfPhoneNumberIsOptedOutInput{PhoneNumber: aws.String(phone)})
		if err != nil {
			t.Fatal(err)
		}
		if out.IsOptedOut != want {
			t.Errorf("%s opted out = %v, want %v", phone, out.IsOptedOut, want)
		}
	}
	if n := len(srv.OptOutChecks()); n != 2 {
		t.Errorf("checks = %d, want 2", n)
	}
}

func TestUnsignedRequestRefused(t *testing.T) {
	srv := snstest.New(t)
	form := url.Values{"Action": {"Publish"}, "Version": {"2010-03-31"}, "PhoneNumber": {"+79123456789"}, "Message": {"x"}}
	resp, err := http.Post(srv.URL, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || len(srv.Published()) != 0 {
		t.Errorf("status %d, published %d", resp.StatusCode, len(srv.Published()))
	}
}
