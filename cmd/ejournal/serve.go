package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"ejournal/internal/api"
	"ejournal/internal/config"
	"ejournal/internal/demo"
	"ejournal/internal/dynamo"
	"ejournal/internal/dynamolocal"
	"ejournal/internal/streams"
)

// defaultAddr is where serve listens when ADDR is not set.
const defaultAddr = "127.0.0.1:8080"

// options say how run serves; serve fills them from the environment.
type options struct {
	// addr is host:port to listen on; port 0 picks a free one.
	addr string
	cfg  config.Config
	// dataDir keeps DynamoDB Local's data when cfg.Endpoint is empty.
	dataDir string
	// out receives the start-up banner; logger the request log.
	out    io.Writer
	logger *slog.Logger
	// seed writes the demo data and accounts with password; nil means
	// demo.Seed.
	seed     func(ctx context.Context, s demo.Store, password string) (bool, error)
	password string
	// streamState keeps the stream poller's position between runs; ""
	// keeps it in memory.
	streamState string
	// webDir is the built front end (web/dist) served beside the API; ""
	// serves the API alone.
	webDir string
}

// started is what run reports once it serves.
type started struct {
	// URL is the API's base URL, e.g. http://127.0.0.1:8080.
	URL string
	// Endpoint is the DynamoDB engine's URL.
	Endpoint string
	// Seeded says the demo was written by this run (false: it was there).
	Seeded bool
}

// serve is `ejournal serve`: the whole system on one port until Ctrl-C or SIGTERM.
func serve(args []string) error {
	if len(args) > 0 {
		return errors.New("serve takes no arguments; it is configured by the environment: ADDR, DEMO_PASSWORD, TABLE_NAME, DYNAMODB_ENDPOINT, SIGNING_KEY_FILE, OIDC_… (see README.md)")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o := options{
		addr: os.Getenv("ADDR"), cfg: config.FromEnv(), out: os.Stdout, logger: slog.New(slog.NewJSONHandler(os.Stderr, nil)),
		password: cmp.Or(os.Getenv("DEMO_PASSWORD"), demo.DefaultPassword),
	}
	if o.addr == "" {
		o.addr = defaultAddr
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root, rootErr := dynamolocal.FindRoot(wd)
	if rootErr == nil {
		o.streamState = filepath.Join(root, ".data", "stream-"+o.cfg.Table+".json")
		o.webDir = webDist(root)
	}
	if o.cfg.Endpoint == "" {
		if rootErr != nil {
			return rootErr
		}
		o.dataDir = filepath.Join(root, ".data", "dynamodb")
	}
	err = run(ctx, o, nil)
	if err != nil && ctx.Err() != nil {
		return nil // interrupted while starting
	}
	return err
}

// run serves every function's routes on o.addr until ctx ends, then shuts
// the HTTP server down gracefully and stops the DynamoDB Local it started.
// It calls ready, if not nil, once requests are served.
func run(ctx context.Context, o options, ready func(started)) error {
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	st := started{URL: "http://" + loopback(ln.Addr().(*net.TCPAddr)), Endpoint: o.cfg.Endpoint}
	if st.Endpoint == "" {
		engine, err := startDynamoDB(ctx, o.dataDir)
		if err != nil {
			return err
		}
		defer engine.Stop()
		st.Endpoint = engine.Endpoint
	}
	client, err := dynamo.NewClient(ctx, st.Endpoint)
	if err != nil {
		return err
	}
	// The table is made without its stream, and the stream is turned on
	// once the demo is written (dynamo.EnsureStream).
	schema := dynamo.TableSchema(o.cfg.Table)
	schema.StreamSpecification = nil
	if err := dynamo.EnsureTableFrom(ctx, client, schema); err != nil {
		return err
	}
	db := dynamo.New(client, o.cfg.Table)
	if o.seed == nil {
		o.seed = demo.Seed
	}
	fmt.Fprintln(o.out, "ejournal: checking the demo schools (the first run writes them: people, the timetable and the lessons of the current term, about a minute)…")
	if st.Seeded, err = o.seed(ctx, db, o.password); err != nil {
		return err
	}
	if err := dynamo.EnsureStream(ctx, client, o.cfg.Table); err != nil {
		return err
	}
	if o.cfg.DefaultSchool == "" {
		o.cfg.DefaultSchool = demo.SchoolID
	}
	o.cfg.LocalMode = true
	stopNotify, err := startNotifications(ctx, o, db, st.Endpoint)
	if err != nil {
		return err
	}
	defer stopNotify()
	handler := o.cfg.Server(db, o.logger).Handler()
	if o.webDir != "" {
		handler = withWeb(handler, o.webDir)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(o.logger.Handler(), slog.LevelError),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	banner(o, st)
	if ready != nil {
		ready(st)
	}
	select {
	case err := <-served:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	fmt.Fprintln(o.out, "ejournal: stopping…")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("http shutdown: %w", err)
	}
	return nil
}

// notifyInterval is how often the local server reads the table's stream
// and sends the SMS that are due.
const notifyInterval = time.Second

// startNotifications runs the notification function's work locally: a
// poller of the table's stream feeds the stream handler, and after each
// poll the SMS that are due are sent (SMS_SINK, by default to the outbox
// and a log line). Writes made after it returns are notified. The returned
// stop ends both and waits for them.
func startNotifications(ctx context.Context, o options, db *dynamo.DB, endpoint string) (func(), error) {
	sender, err := o.cfg.SMSSender(ctx, o.logger)
	if err != nil {
		return nil, err
	}
	pipeline := o.cfg.Pipeline(db, sender, o.logger)
	poller := &streams.Poller{API: streams.NewClient(endpoint), Table: o.cfg.Table, Handler: pipeline.Handle, StateFile: o.streamState, Logger: o.logger}
	if err := poller.Start(ctx); err != nil {
		return nil, fmt.Errorf("table stream: %w", err)
	}
	pctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		poller.Run(pctx, notifyInterval, func(ctx context.Context) {
			if _, err := pipeline.Dispatch(ctx); err != nil && ctx.Err() == nil {
				o.logger.Error("sms dispatch failed", "error", err.Error())
			}
		})
	}()
	return func() { cancel(); <-done }, nil
}

// startDynamoDB starts DynamoDB Local with its data in dir and its output
// in dir/dynamodb-local.log.
func startDynamoDB(ctx context.Context, dir string) (*dynamolocal.Server, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	log, err := os.Create(filepath.Join(dir, "dynamodb-local.log"))
	if err != nil {
		return nil, err
	}
	defer log.Close() // the child keeps its own descriptor
	return dynamolocal.Start(ctx, dynamolocal.Options{DBPath: dir, Log: log})
}

// loopback turns a wildcard listening address into one a browser can open.
func loopback(a *net.TCPAddr) string {
	if a.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", fmt.Sprint(a.Port))
	}
	return a.String()
}

// banner tells the developer where everything runs, how to sign in and
// what to try.
func banner(o options, st started) {
	w := o.out
	fmt.Fprintf(w, "\nejournal is serving on %s\n", st.URL)
	if o.cfg.Endpoint == "" {
		fmt.Fprintf(w, "  DynamoDB Local:  %s, data in %s\n", st.Endpoint, o.dataDir)
	} else {
		fmt.Fprintf(w, "  DynamoDB:        %s\n", st.Endpoint)
	}
	fmt.Fprintf(w, "  table:           %s\n", o.cfg.Table)
	state := "already there, nothing written"
	if st.Seeded {
		state = "written now"
	}
	fmt.Fprintf(w, "  demo data:       %s\n", state)
	if o.webDir != "" {
		fmt.Fprintf(w, "  web front end:   %s/ (from %s)\n", st.URL, o.webDir)
	} else {
		fmt.Fprintf(w, "  web front end:   not built (npm run build; make run builds it)\n")
	}
	if o.cfg.SMSSink == "" || o.cfg.SMSSink == "outbox" {
		fmt.Fprintf(w, "  SMS:             not sent (SMS_SINK=outbox): listed at %s/v1/dev/sms and logged\n", st.URL)
	} else {
		fmt.Fprintf(w, "  SMS:             SMS_SINK=%s\n", o.cfg.SMSSink)
	}
	fmt.Fprintf(w, "  demo schools:    %s  %s, year %s\n", demo.SchoolID, demo.Name(demo.SchoolID), demo.YearID)
	fmt.Fprintf(w, "                   %s     %s\n", demo.SmallSchoolID, demo.Name(demo.SmallSchoolID))

	fmt.Fprintf(w, "\n  demo accounts, all with the password %s:\n", o.password)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "    login\trole\twho")
	for _, a := range demo.Accounts() {
		who := a.Who
		if a.SchoolID != demo.SchoolID {
			who += " — " + demo.Name(a.SchoolID)
		}
		fmt.Fprintf(tw, "    %s\t%s\t%s\n", a.Login, a.Role, who)
	}
	tw.Flush()

	login, _ := json.Marshal(map[string]string{"login": "teacher", "password": o.password})
	fmt.Fprintf(w, "\n  try:\n    curl %s/healthz\n", st.URL)
	fmt.Fprintf(w, "    TOKEN=$(curl -s %s/v1/auth/login -d %s | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')\n", st.URL, shellQuote(string(login)))
	fmt.Fprintf(w, "    curl -H \"Authorization: Bearer $TOKEN\" %s/v1/classes\n", st.URL)
	fmt.Fprintf(w, "    curl -H \"Authorization: Bearer $TOKEN\" %s/v1/me\n", st.URL)
	if o.cfg.DevAdmin {
		fmt.Fprintf(w, "    curl -H 'X-School-Id: %s' %s/v1/classes\n", demo.SmallSchoolID, st.URL)
		fmt.Fprintf(w, "  (requests with a bearer token act as their user; those without one as the administrator,\n   in the school of X-School-Id or else %s)\n", o.cfg.DefaultSchool)
		fmt.Fprintf(w, "\n!!! WARNING: %s=1 — every request without a token acts as an administrator WITHOUT credentials.\n!!! For a developer's machine only; never set it in a deployment.\n", api.DevAdminSwitch)
	}
	stops := "the server"
	if o.cfg.Endpoint == "" {
		stops += " and DynamoDB Local"
	}
	fmt.Fprintf(w, "\nCtrl-C stops %s.\n", stops)
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
