package apitest

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"ejournal/internal/api"
	"ejournal/internal/dynamo"
	"ejournal/internal/dynamotest"
	"ejournal/internal/ejournal"
)

// Tokens is an Authenticator for tests: "Authorization: Bearer <token>"
// names the principal; a request without the header is anonymous and an
// unknown token is unauthorized.
type Tokens map[string]*ejournal.Principal

// Authenticate implements api.Authenticator.
func (t Tokens) Authenticate(r *http.Request) (*ejournal.Principal, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, nil
	}
	token, _ := strings.CutPrefix(h, "Bearer ")
	if p, ok := t[token]; ok {
		return p, nil
	}
	return nil, ejournal.Errorf(ejournal.EUNAUTHORIZED, ejournal.T("Неизвестный токен.", "Unknown token."))
}

// Client sends requests straight to a handler and checks every response
// against the OpenAPI document. The zero Header sends none.
type Client struct {
	Handler http.Handler
	Doc     *Doc
	// Header is sent with every request.
	Header http.Header
	// LaxRequests skips checking that a request that succeeded matches the
	// documented request body; fuzz tests send what the schema forbids but
	// the server ignores.
	LaxRequests bool
}

// With returns a copy of c that also sends the header key: value.
func (c Client) With(key, value string) Client {
	c.Header = c.Header.Clone()
	if c.Header == nil {
		c.Header = http.Header{}
	}
	c.Header.Set(key, value)
	return c
}

// As returns a copy of c that acts as the principal of token.
func (c Client) As(token string) Client { return c.With("Authorization", "Bearer "+token) }

// Get sends a GET request.
func (c Client) Get(tb testing.TB, target string) *Response {
	tb.Helper()
	return c.Do(tb, http.MethodGet, target, nil)
}

// Post sends a POST request with body (see Do).
func (c Client) Post(tb testing.TB, target string, body any) *Response {
	tb.Helper()
	return c.Do(tb, http.MethodPost, target, body)
}

// Patch sends a PATCH request with body (see Do).
func (c Client) Patch(tb testing.TB, target string, body any) *Response {
	tb.Helper()
	return c.Do(tb, http.MethodPatch, target, body)
}

// Do sends a request. A []byte or string body is sent as it is, nil sends
// none, anything else is marshalled to JSON. The response must match the
// document (see Doc.CheckResponse), and the body of a successful request
// must match the documented request body.
func (c Client) Do(tb testing.TB, method, target string, body any) *Response {
	tb.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		raw = b
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			tb.Fatalf("marshal request body: %v", err)
		}
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, target, rd)
	for k, v := range c.Header {
		req.Header[k] = v
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	c.Handler.ServeHTTP(rec, req)
	res := &Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes(), request: method + " " + target}
	if err := c.Doc.CheckResponse(method, target, res.Status, res.Header, res.Body); err != nil {
		tb.Errorf("%s: response does not match the OpenAPI document: %v\nbody: %s", res.request, err, res.Body)
	}
	if !c.LaxRequests && res.Status < 300 && body != nil {
		if err := c.Doc.CheckRequest(method, target, req.Header.Get("Content-Type"), raw); err != nil {
			tb.Errorf("%s succeeded with a request the OpenAPI document does not allow: %v\nbody: %s", res.request, err, raw)
		}
	}
	return res
}

// Response is a recorded response.
type Response struct {
	Status  int
	Header  http.Header
	Body    []byte
	request string
}

// Want fails the test unless the status is status, and returns r.
func (r *Response) Want(tb testing.TB, status int) *Response {
	tb.Helper()
	if r.Status != status {
		tb.Fatalf("%s: status %d, want %d; body: %s", r.request, r.Status, status, r.Body)
	}
	return r
}

// Decode unmarshals the body into v.
func (r *Response) Decode(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("%s: decode %s: %v", r.request, r.Body, err)
	}
}

// Object decodes the body as a JSON object.
func (r *Response) Object(tb testing.TB) map[string]any {
	tb.Helper()
	var m map[string]any
	r.Decode(tb, &m)
	return m
}

// ErrorBody is the error envelope's content.
type ErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

// Error decodes the error envelope.
func (r *Response) Error(tb testing.TB) ErrorBody {
	tb.Helper()
	var e struct {
		Error ErrorBody `json:"error"`
	}
	r.Decode(tb, &e)
	return e.Error
}

// Env is the API on a fresh table of the test engine.
type Env struct {
	DB     *dynamo.DB
	Server *api.Server
	// Client acts anonymously; use Client.As for a principal.
	Client Client
	// Log holds the server's log lines.
	Log *Buffer
}

// New starts the API on a fresh table, which serves as its directory,
// identity and records store, with tokens as its Authenticator.
func New(tb testing.TB, tokens Tokens) *Env {
	tb.Helper()
	db := dynamotest.MustOpen(tb)
	e := &Env{DB: db, Log: &Buffer{}}
	e.Server = &api.Server{Directory: db, Identity: db, Records: db, Views: db, Marks: db, Attendance: db, Lessons: db, Calendar: db, Events: db, Timetable: db, Generator: db, Plans: db, Notify: db, Messages: db, Outbox: db, Reports: db, Auth: tokens, Logger: slog.New(slog.NewJSONHandler(e.Log, nil))}
	e.Client = Client{Handler: e.Server.Handler(), Doc: API(tb)}
	return e
}

// Buffer is a bytes.Buffer safe for concurrent use.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
