// Package snstest is a fake of Amazon SNS's SMS calls for tests: an
// httptest server that speaks the awsQuery protocol the SDK uses (a signed
// form-encoded POST with Action and Version, XML responses and XML errors),
// records the Publish and CheckIfPhoneNumberIsOptedOut calls it decodes, and
// can be told to throttle, fail or treat numbers as opted out.
package snstest

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// apiVersion is the SNS API version the SDK sends.
const apiVersion = "2010-03-31"

const xmlns = "http://sns.amazonaws.com/doc/" + apiVersion + "/"

// Attribute is one message attribute of a Publish call.
type Attribute struct {
	DataType    string
	StringValue string
}

// Publish is one Publish call the server accepted.
type Publish struct {
	Phone      string
	Message    string
	Attributes map[string]Attribute
	MessageID  string
}

// failure is a canned error response.
type failure struct {
	status int
	code   string
}

// Server is the fake SNS endpoint. Its zero knobs accept every valid call.
type Server struct {
	*httptest.Server

	mu        sync.Mutex
	published []Publish
	attempts  int
	checks    []string
	failNext  []failure
	failAll   bool
	failPhone map[string]bool
	optedOut  map[string]bool
	seq       int
}

// New starts a server that is closed when the test ends.
func New(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{failPhone: map[string]bool{}, optedOut: map[string]bool{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

// Config is an AWS configuration whose SNS calls go to s, with static
// credentials (the SDK signs requests as it would for AWS).
func (s *Server) Config() aws.Config {
	return aws.Config{
		Region:       "eu-central-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDSNSTEST", "secret", ""),
		BaseEndpoint: aws.String(s.URL),
	}
}

// ThrottleNext makes the next n Publish calls fail with SNS's throttling
// error (HTTP 429, code Throttled).
func (s *Server) ThrottleNext(n int) { s.FailNext(n, http.StatusTooManyRequests, "Throttled") }

// FailNext makes the next n Publish calls fail with the given HTTP status
// and error code (e.g. 500 InternalError).
func (s *Server) FailNext(n, status int, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failNext = append(s.failNext, failure{status, code})
	}
}

// FailPermanently makes every Publish to phone, or to any number when phone
// is "", fail with HTTP 400 InvalidParameter.
func (s *Server) FailPermanently(phone string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if phone == "" {
		s.failAll = true
	}
	s.failPhone[phone] = true
}

// OptOut marks phone as opted out: CheckIfPhoneNumberIsOptedOut says so and
// Publish to it fails with OptedOut.
func (s *Server) OptOut(phone string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.optedOut[phone] = true
}

// Published returns the Publish calls accepted so far, in order.
func (s *Server) Published() []Publish {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.published)
}

// PublishAttempts is how many Publish requests arrived, failed ones included.
func (s *Server) PublishAttempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// OptOutChecks returns the numbers CheckIfPhoneNumberIsOptedOut was asked about.
func (s *Server) OptOutChecks() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.checks)
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method != http.MethodPost:
		writeError(w, http.StatusMethodNotAllowed, "InvalidAction", "awsQuery requests are POST")
		return
	case !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		writeError(w, http.StatusBadRequest, "MalformedQueryString", "form-encoded body expected")
		return
	case !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 "):
		writeError(w, http.StatusForbidden, "IncompleteSignature", "request is not signed with SigV4")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, "MalformedQueryString", err.Error())
		return
	}
	if v := r.PostForm.Get("Version"); v != apiVersion {
		writeError(w, http.StatusBadRequest, "InvalidParameter", "unsupported Version "+v)
		return
	}
	switch a := r.PostForm.Get("Action"); a {
	case "Publish":
		s.publish(w, r)
	case "CheckIfPhoneNumberIsOptedOut":
		s.checkOptedOut(w, r)
	default:
		writeError(w, http.StatusBadRequest, "InvalidAction", "unsupported Action "+a)
	}
}

func (s *Server) publish(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	p := Publish{Phone: f.Get("PhoneNumber"), Message: f.Get("Message"), Attributes: attributes(f)}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts++
	if len(s.failNext) > 0 {
		fail := s.failNext[0]
		s.failNext = s.failNext[1:]
		writeError(w, fail.status, fail.code, "injected failure")
		return
	}
	switch {
	case !e164.MatchString(p.Phone):
		writeError(w, http.StatusBadRequest, "InvalidParameter", "Invalid parameter: PhoneNumber Reason: not in E.164 format")
	case p.Message == "":
		writeError(w, http.StatusBadRequest, "InvalidParameter", "Invalid parameter: Empty message")
	case s.optedOut[p.Phone]:
		writeError(w, http.StatusBadRequest, "OptedOut", "Phone number is opted out")
	case s.failAll || s.failPhone[p.Phone]:
		writeError(w, http.StatusBadRequest, "InvalidParameter", "Invalid parameter: PhoneNumber Reason: cannot deliver")
	default:
		s.seq++
		p.MessageID = fmt.Sprintf("00000000-0000-4000-8000-%012d", s.seq)
		s.published = append(s.published, p)
		writeResult(w, "Publish", "MessageId", p.MessageID)
	}
}

func (s *Server) checkOptedOut(w http.ResponseWriter, r *http.Request) {
	phone := r.PostForm.Get("phoneNumber")
	s.mu.Lock()
	defer s.mu.Unlock()
	if !e164.MatchString(phone) {
		writeError(w, http.StatusBadRequest, "InvalidParameter", "Invalid parameter: phoneNumber")
		return
	}
	s.checks = append(s.checks, phone)
	writeResult(w, "CheckIfPhoneNumberIsOptedOut", "isOptedOut", strconv.FormatBool(s.optedOut[phone]))
}

// attributes decodes MessageAttributes.entry.N.Name and
// MessageAttributes.entry.N.Value.{DataType,StringValue}.
func attributes(f map[string][]string) map[string]Attribute {
	out := map[string]Attribute{}
	for i := 1; ; i++ {
		prefix := fmt.Sprintf("MessageAttributes.entry.%d.", i)
		name, ok := f[prefix+"Name"]
		if !ok {
			return out
		}
		value := func(k string) string {
			if v := f[prefix+"Value."+k]; len(v) > 0 {
				return v[0]
			}
			return ""
		}
		out[name[0]] = Attribute{DataType: value("DataType"), StringValue: value("StringValue")}
	}
}

// writeResult writes an awsQuery response: <ActionResponse><ActionResult>
// holding one element, and the response metadata.
func writeResult(w http.ResponseWriter, action, element, value string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, `<%sResponse xmlns="%s"><%sResult><%s>%s</%s></%sResult><ResponseMetadata><RequestId>snstest</RequestId></ResponseMetadata></%sResponse>`,
		action, xmlns, action, element, escape(value), element, action, action)
}

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// writeError writes an awsQuery error response, which the SDK maps to the
// modelled error of that code.
func writeError(w http.ResponseWriter, status int, code, message string) {
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<ErrorResponse xmlns="%s"><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>snstest</RequestId></ErrorResponse>`,
		xmlns, typ, code, escape(message))
}
