package sms

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"ejournal/internal/ejournal"
)

// Options tune an SNSSender; zero fields take the defaults.
type Options struct {
	// MaxAttempts bounds the calls made for one message (default 4).
	MaxAttempts int
	// BaseDelay is the wait before the first retry (default 200ms); each
	// retry doubles it up to MaxDelay (default 5s), with random jitter.
	BaseDelay, MaxDelay time.Duration
	// Endpoint overrides SNS's endpoint (tests, local fakes); the
	// configuration's BaseEndpoint works too.
	Endpoint string
}

// Defaults of Options.
const (
	DefaultMaxAttempts = 4
	DefaultBaseDelay   = 200 * time.Millisecond
	DefaultMaxDelay    = 5 * time.Second
)

// SNSSender sends SMS through Amazon SNS: Publish to a phone number as a
// transactional message, from the configured sender ID. Throttling and
// server errors are retried with exponential backoff and jitter, a bounded
// number of times; other errors are returned at once.
type SNSSender struct {
	client   *sns.Client
	senderID string
	opts     Options
}

var _ Sender = (*SNSSender)(nil)

// senderIDPattern is what SNS accepts as an alphanumeric sender ID: up to
// 11 letters, digits and hyphens with at least one letter.
var (
	senderIDPattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,11}$`)
	letter          = regexp.MustCompile(`[A-Za-z]`)
)

// NewSNSSender returns a sender using cfg; senderID is the alphanumeric
// sender ID shown to recipients, or "" for none (SNS then uses a number).
func NewSNSSender(cfg aws.Config, senderID string, opts Options) (*SNSSender, error) {
	if senderID != "" && (!senderIDPattern.MatchString(senderID) || !letter.MatchString(senderID)) {
		return nil, fmt.Errorf("sms sender ID %q: 1 to 11 letters, digits or hyphens, at least one letter", senderID)
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	if opts.BaseDelay <= 0 {
		opts.BaseDelay = DefaultBaseDelay
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = DefaultMaxDelay
	}
	client := sns.NewFromConfig(cfg, func(o *sns.Options) {
		// Retries are ours: they know which errors are worth another call.
		o.Retryer = aws.NopRetryer{}
		if opts.Endpoint != "" {
			o.BaseEndpoint = aws.String(opts.Endpoint)
		}
	})
	return &SNSSender{client: client, senderID: senderID, opts: opts}, nil
}

// Send publishes m.Text to m.Phone.
func (s *SNSSender) Send(ctx context.Context, m *ejournal.OutboxMessage) (string, error) {
	if err := checkMessage(m); err != nil {
		return "", err
	}
	attrs := map[string]types.MessageAttributeValue{
		"AWS.SNS.SMS.SMSType": {DataType: aws.String("String"), StringValue: aws.String("Transactional")},
	}
	if s.senderID != "" {
		attrs["AWS.SNS.SMS.SenderID"] = types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(s.senderID)}
	}
	in := &sns.PublishInput{PhoneNumber: aws.String(m.Phone), Message: aws.String(m.Text), MessageAttributes: attrs}
	var id string
	attempts, err := s.retry(ctx, "publish", func(ctx context.Context) error {
		out, err := s.client.Publish(ctx, in)
		if err == nil {
			id = aws.ToString(out.MessageId)
		}
		return err
	})
	m.Attempts += attempts
	return id, err
}

// OptedOut asks SNS whether phone has opted out of SMS.
func (s *SNSSender) OptedOut(ctx context.Context, phone string) (bool, error) {
	const op = "opt-out check"
	if !ValidPhone(phone) {
		return false, invalidPhone(op)
	}
	var opted bool
	_, err := s.retry(ctx, op, func(ctx context.Context) error {
		out, err := s.client.CheckIfPhoneNumberIsOptedOut(ctx, &sns.CheckIfPhoneNumberIsOptedOutInput{PhoneNumber: aws.String(phone)})
		if err == nil {
			opted = out.IsOptedOut
		}
		return err
	})
	return opted, err
}

// retry calls call until it succeeds, fails permanently, the context ends
// or MaxAttempts calls were made, and returns how many calls it made.
func (s *SNSSender) retry(ctx context.Context, op string, call func(context.Context) error) (int, error) {
	for attempt := 1; ; attempt++ {
		err := call(ctx)
		if err == nil {
			return attempt, nil
		}
		code, permanent := classify(err)
		fail := &Error{Op: op, Code: code, Permanent: permanent, Attempts: attempt, Err: err}
		if permanent || code == codeCanceled || attempt >= s.opts.MaxAttempts {
			return attempt, fail
		}
		t := time.NewTimer(s.backoff(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			fail.Code, fail.Err = codeCanceled, errors.Join(err, ctx.Err())
			return attempt, fail
		case <-t.C:
		}
	}
}

// backoff is the wait after the attempt-th call: BaseDelay doubled for
// each earlier retry, capped at MaxDelay, of which a random half is kept
// ("equal jitter"), so that senders throttled together do not retry together.
func (s *SNSSender) backoff(attempt int) time.Duration {
	d := min(s.opts.BaseDelay, s.opts.MaxDelay)
	for i := 1; i < attempt && d < s.opts.MaxDelay; i++ {
		d = min(2*d, s.opts.MaxDelay)
	}
	return d/2 + rand.N(d/2+1)
}
