// Package lambdafn runs the API's handlers in AWS Lambda behind an API
// Gateway HTTP API (payload format 2.0). It is the only package that imports
// the Lambda runtime and the API proxy.
package lambdafn

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	// Schools are in many time zones; embed the zone data rather than rely
	// on the runtime image having it.
	_ "time/tzdata"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

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
	if err != nil {
		logger.Error("start", "function", name, "error", err.Error())
		os.Exit(1)
	}
	ServeHTTP(cfg.Server(db, logger).Handler(name))
}
