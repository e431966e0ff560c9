// Package config reads the environment of a Lambda function or the local
// server and wires the store and the API from it, so that every entry point
// builds the system the same way.
package config

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"ejournal/internal/api"
	"ejournal/internal/dynamo"
)

// Config is what the environment says.
type Config struct {
	// Table is the DynamoDB table (TABLE_NAME; default "ejournal").
	Table string
	// Endpoint points the SDK at another DynamoDB engine (DYNAMODB_ENDPOINT).
	Endpoint string
	// DevAdmin turns on the credential-less developer administrator
	// (EJOURNAL_DEV_INSECURE_ADMIN=1). Never set in a deployment.
	DevAdmin bool
	// DefaultSchool is the school the developer administrator acts in when a
	// request names none (EJOURNAL_DEV_SCHOOL).
	DefaultSchool string
}

// FromEnv reads the configuration from the environment.
func FromEnv() Config {
	c := Config{
		Table:         os.Getenv("TABLE_NAME"),
		Endpoint:      os.Getenv("DYNAMODB_ENDPOINT"),
		DevAdmin:      os.Getenv(api.DevAdminSwitch) == "1",
		DefaultSchool: os.Getenv("EJOURNAL_DEV_SCHOOL"),
	}
	if c.Table == "" {
		c.Table = "ejournal"
	}
	return c
}

// Open connects to the store.
func (c Config) Open(ctx context.Context) (*dynamo.DB, error) {
	client, err := dynamo.NewClient(ctx, c.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("dynamodb client: %w", err)
	}
	return dynamo.New(client, c.Table), nil
}

// Server builds the API server on db.
func (c Config) Server(db *dynamo.DB, logger *slog.Logger) *api.Server {
	s := &api.Server{Directory: db, Identity: db, Records: db, Logger: logger}
	if c.DevAdmin {
		s.Auth = api.DevAdmin{DefaultSchool: c.DefaultSchool}
		logger.Warn("developer administrator is ON: every request acts as an administrator without credentials", "switch", api.DevAdminSwitch)
	}
	return s
}
