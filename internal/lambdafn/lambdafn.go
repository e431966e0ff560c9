// Package lambdafn runs the API's handlers in AWS Lambda behind an API
// Gateway HTTP API (payload format 2.0). It is the only package that imports
// the Lambda runtime and the API proxy.
package lambdafn

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	// Schools are in many time zones; embed the zone data rather than rely
	// on the runtime image having it.
	_ "time/tzdata"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"ejournal/internal/api"
	"ejournal/internal/config"
)

// Logger is the JSON logger every function uses; Lambda's JSON log format
// passes its lines through as they are.
func Logger() *slog.Logger { return slog.New(slog.NewJSONHandler(os.Stdout, nil)) }

// ServeHTTP hands h to the Lambda runtime. It never returns.
func ServeHTTP(h http.Handler) {
	lambda.Start(httpadapter.NewV2(h).ProxyWithContext)
}

// ServeFunction wires the store and the API from the environment and serves
// the routes of the named function. A failure to start is logged and ends the
// process, which Lambda reports as an init error.
func ServeFunction(name string) {
	logger := Logger()
	cfg := config.FromEnv()
	db, err := cfg.Open(context.Background())
	exitOn(logger, name, err)
	ServeHTTP(cfg.Server(db, logger).Handler(name))
}

// exitOn logs a failure to start and ends the process, which Lambda
// reports as an init error.
func exitOn(logger *slog.Logger, function string, err error) {
	if err != nil {
		logger.Error("start", "function", function, "error", err.Error())
		os.Exit(1)
	}
}

// ServeNotifications runs the notifications function: batches of the
// table's stream and the schedule's "send what is due" events, both handled
// by the notification pipeline (internal/notify). It never returns.
func ServeNotifications() {
	logger := Logger()
	cfg := config.FromEnv()
	ctx := context.Background()
	db, err := cfg.Open(ctx)
	exitOn(logger, "notifications", err)
	sender, err := cfg.SMSSender(ctx, logger)
	exitOn(logger, "notifications", err)
	lambda.Start(cfg.Pipeline(db, sender, logger).HandleLambda)
}

// ServeReports runs the reports function: API Gateway requests for its
// routes, and batches of the table's stream holding the report jobs to
// build in the background (api.Server.RunReportJob). It never returns.
func ServeReports() {
	logger := Logger()
	cfg := config.FromEnv()
	db, err := cfg.Open(context.Background())
	exitOn(logger, api.FuncReports, err)
	s := cfg.Server(db, logger)
	lambda.Start(reportsHandler(s, httpadapter.NewV2(s.Handler(api.FuncReports)).ProxyWithContext))
}

// reportsHandler tells a stream batch (with "Records") from an HTTP API
// request and hands each to its handler.
func reportsHandler(s *api.Server, proxy func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)) func(context.Context, json.RawMessage) (any, error) {
	return func(ctx context.Context, raw json.RawMessage) (any, error) {
		var probe struct {
			Records []json.RawMessage `json:"Records"`
		}
		if err := json.Unmarshal(raw, &probe); err == nil && probe.Records != nil {
			var ev events.DynamoDBEvent
			if err := json.Unmarshal(raw, &ev); err != nil {
				return nil, fmt.Errorf("stream event: %w", err)
			}
			return RunReportJobs(ctx, s, ev), nil
		}
		var req events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &req); err != nil {
			return nil, fmt.Errorf("HTTP API event: %w", err)
		}
		return proxy(ctx, req)
	}
}

// RunReportJobs builds the report jobs of a stream batch, one per new
// report_job item, and reports the records that failed so that only they
// are delivered again.
func RunReportJobs(ctx context.Context, s *api.Server, ev events.DynamoDBEvent) events.DynamoDBEventResponse {
	res := events.DynamoDBEventResponse{BatchItemFailures: []events.DynamoDBBatchItemFailure{}}
	for _, r := range ev.Records {
		img := r.Change.NewImage
		if r.EventName != "INSERT" || img["type"].DataType() != events.DataTypeString || img["type"].String() != "report_job" {
			continue
		}
		var school, id string
		if v, ok := img["school_id"]; ok && v.DataType() == events.DataTypeString {
			school = v.String()
		}
		if v, ok := img["id"]; ok && v.DataType() == events.DataTypeString {
			id = v.String()
		}
		if err := s.RunReportJob(ctx, school, id); err != nil {
			s.Logger.Error("report job failed", "job", id, "sequence", r.Change.SequenceNumber, "error", err.Error())
			res.BatchItemFailures = append(res.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: r.Change.SequenceNumber})
		}
	}
	return res
}
