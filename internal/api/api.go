// Package api is the e-journal's HTTP API: net/http handlers on ServeMux
// patterns under /v1, the shared middleware and the JSON error envelope. The
// same handlers run in the local all-in-one server and, one function's routes
// at a time, in Lambda behind API Gateway.
package api

import (
	"embed"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"

	"ejournal/internal/access"
	"ejournal/internal/auth"
	"ejournal/internal/ejournal"
	"ejournal/internal/oidc"
)

// Function names. Each is a Lambda function in template.yaml serving exactly
// the routes that name it.
const (
	FuncDirectory  = "directory"
	FuncIdentity   = "identity"   // sign-in, sessions, accounts, roles and rights
	FuncRecords    = "records"    // people, family links, movement, import, audit trail
	FuncGrading    = "grading"    // lessons, marks, term marks, debts, journal and diary views
	FuncAttendance = "attendance" // attendance and its totals
	FuncScheduling = "scheduling" // calendar, bells, timetable, substitutions, events, plans (КТП), lesson generation
	FuncReports    = "reports"    // performance, attendance, analysis, forecasts, standard reports and their files
	FuncMessages   = "messages"   // messages and inboxes, notification settings and preferences, SMS delivery report
)

// OpenAPI returns the API's OpenAPI 3.1 document, served at
// /v1/openapi.json. It is kept in parts, one per area (openapi.json,
// openapi.<area>.json), merged on first use rather than at start-up, so a
// cold start does not pay for it.
var OpenAPI = sync.OnceValue(mustMergeOpenAPI)

//go:embed openapi*.json
var openAPIParts embed.FS

// Authenticator tells who makes a request. It returns nil, nil for an
// anonymous request.
type Authenticator interface {
	Authenticate(r *http.Request) (*ejournal.Principal, error)
}

// Server holds what the handlers need.
type Server struct {
	Directory ejournal.DirectoryService
	Identity  ejournal.IdentityService
	Records   ejournal.RecordsService
	Views     ejournal.ViewService
	Lessons   ejournal.LessonService
	// Marks keeps marks, term marks and academic debts.
	Marks ejournal.MarksService
	// Attendance keeps attendance (the attendance function).
	Attendance AttendanceService
	// Scheduling (Step 4).
	Calendar  ejournal.CalendarService
	Events    ejournal.EventService
	Timetable ejournal.TimetableService
	Generator ejournal.LessonGenerator
	Plans     ejournal.PlanService
	// Reports (Step 6).
	Reports ejournal.ReportService
	// Notifications and messages (Step 5).
	Notify   ejournal.NotifySettingsService
	Messages ejournal.MessageService
	Outbox   ejournal.OutboxService
	// LocalMode mounts the routes marked LocalOnly (GET /v1/dev/sms); it is
	// set by `ejournal serve`, never in Lambda.
	LocalMode bool
	Auth      Authenticator
	// Tokens signs the access tokens of password sign-in (and verifies
	// them in TokenAuth); sign-in answers 500 without it.
	Tokens *auth.Tokens
	// OIDC is the external sign-in provider (Gosuslugi); nil when none is configured.
	OIDC *oidc.Client
	// OriginSecret is the secret the web stack's CloudFront distribution
	// sends with every request it forwards (X-Origin-Verify). A request
	// that carries it has its sign-in attempts counted by the viewer's
	// address the distribution reports (X-Viewer-Address), not by the edge
	// server's; empty when the API is not behind the distribution.
	OriginSecret string
	Logger       *slog.Logger
	// MaxBodyBytes bounds request bodies; 0 means 1 MiB.
	MaxBodyBytes int64
}

// Route is one operation of the API.
type Route struct {
	// Function is the Lambda function that serves the route.
	Function string
	Method   string
	// Pattern is a ServeMux path pattern; API Gateway uses the same {name} syntax.
	Pattern string
	// Public routes need no signed-in user.
	Public bool
	// MaxBodyBytes, when set, bounds the route's request body in place of
	// Server.MaxBodyBytes (file uploads).
	MaxBodyBytes int64
	// LocalOnly routes exist only in the local server (Server.LocalMode)
	// and are not deployed.
	LocalOnly bool
	handle    func(w http.ResponseWriter, r *http.Request) error
}

// Routes lists every route of the API. It needs no dependencies, so tests
// and tools can list the routes of a zero Server.
func (s *Server) Routes() []Route {
	var rs []Route
	rs = append(rs, s.platformRoutes()...)
	rs = append(rs, s.directoryRoutes()...)
	rs = append(rs, s.authRoutes()...)
	rs = append(rs, s.oidcRoutes()...)
	rs = append(rs, s.roleRoutes()...)
	rs = append(rs, s.peopleRoutes()...)
	rs = append(rs, s.importRoutes()...)
	rs = append(rs, s.lessonRoutes()...)
	rs = append(rs, s.viewRoutes()...)
	rs = append(rs, s.attendanceRoutes()...)
	rs = append(rs, s.markRoutes()...)
	rs = append(rs, s.messageRoutes()...)
	rs = append(rs, s.outboxRoutes()...)
	rs = append(rs, s.planRoutes()...)
	rs = append(rs, s.timetableRoutes()...)
	rs = append(rs, s.calendarRoutes()...)
	rs = append(rs, s.generateRoutes()...)
	rs = append(rs, s.reportRoutes()...)
	return rs
}

func (s *Server) platformRoutes() []Route {
	return []Route{
		{Function: FuncDirectory, Method: http.MethodGet, Pattern: "/healthz", Public: true, handle: s.health},
		{Function: FuncDirectory, Method: http.MethodGet, Pattern: "/v1/openapi.json", Public: true, handle: s.openAPI},
	}
}

// Handler returns the routes of the named functions (all routes when none is
// named) wrapped in the shared middleware.
func (s *Server) Handler(functions ...string) http.Handler {
	if s.Logger == nil {
		s.Logger = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	want := map[string]bool{}
	for _, f := range functions {
		want[f] = true
	}
	mux := http.NewServeMux()
	paths := map[string][]string{}
	for _, rt := range s.Routes() {
		if len(want) > 0 && !want[rt.Function] || rt.LocalOnly && !s.LocalMode {
			continue
		}
		mux.Handle(rt.Method+" "+rt.Pattern, s.endpoint(rt))
		paths[rt.Pattern] = append(paths[rt.Pattern], rt.Method)
	}
	// The other methods of a path answer 405, each registered with its
	// method: a pattern without one would conflict with a sibling pattern
	// (POST /v1/messages/preview beside GET /v1/messages/{id}).
	for p, methods := range paths {
		allow := strings.Join(methods, ", ")
		notAllowed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			writeErrorStatus(w, r, http.StatusMethodNotAllowed, ejournal.Errorf(ejournal.EINVALID, ejournal.T("Метод не поддерживается для этого адреса.", "Method not allowed for this resource.")))
		})
		for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions} {
			if !slices.Contains(methods, m) && !(m == http.MethodHead && slices.Contains(methods, http.MethodGet)) {
				mux.Handle(m+" "+p, notAllowed)
			}
		}
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, ejournal.Errorf(ejournal.ENOTFOUND, ejournal.T("Такого адреса нет в API.", "No such API resource.")))
	})
	return s.middleware(mux)
}

// endpoint wraps a route's handler: the body size limit, authentication
// for non-public routes and the error envelope for any error it returns.
func (s *Server) endpoint(rt Route) http.Handler {
	limit := rt.MaxBodyBytes
	if limit <= 0 {
		limit = s.MaxBodyBytes
	}
	if limit <= 0 {
		limit = 1 << 20
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		if !rt.Public {
			p, err := s.authenticate(r)
			if err != nil {
				writeError(w, r, err)
				return
			}
			if p.Grants == nil {
				p.Grants = access.Effective(p.Roles, nil)
			}
			r = r.WithContext(ejournal.WithPrincipal(r.Context(), p))
			setLogPerson(r, p.PersonID)
		}
		if err := rt.handle(w, r); err != nil {
			writeError(w, r, err)
		}
	})
}

func (s *Server) authenticate(r *http.Request) (*ejournal.Principal, error) {
	var p *ejournal.Principal
	var err error
	if s.Auth != nil {
		p, err = s.Auth.Authenticate(r)
	}
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, ejournal.Errorf(ejournal.EUNAUTHORIZED, ejournal.T("Войдите в систему.", "Please sign in."))
	}
	return p, nil
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(OpenAPI())
	return nil
}
