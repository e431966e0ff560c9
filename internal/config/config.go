// Package config reads the environment of a Lambda function or the local
// server and wires the store and the API from it, so that every entry point
// builds the system the same way.
package config

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"ejournal/internal/api"
	"ejournal/internal/auth"
	"ejournal/internal/dynamo"
	"ejournal/internal/dynamolocal"
	"ejournal/internal/notify"
	"ejournal/internal/oidc"
	"ejournal/internal/sms"
	"ejournal/internal/ssmparam"
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
	// OIDC is the external sign-in provider (OIDC_ISSUER, …); none when
	// OIDC_ISSUER is unset.
	OIDC oidc.Config
	// SigningKeyParameter names the SSM Parameter Store SecureString that
	// holds the access tokens' Ed25519 key in PEM (SIGNING_KEY_PARAMETER).
	SigningKeyParameter string
	// SigningKeyFile is the key file of a local run, generated on first use
	// (SIGNING_KEY_FILE; default .data/signing-key.pem under the module
	// root). It is used when SigningKeyParameter is unset outside Lambda or
	// with a DynamoDB endpoint (an emulator).
	SigningKeyFile string
	// InLambda is set in AWS Lambda (AWS_LAMBDA_FUNCTION_NAME).
	InLambda bool
	// LocalMode mounts the local-only routes (GET /v1/dev/sms); only
	// `ejournal serve` sets it.
	LocalMode bool
	// SMSSink says where SMS go (SMS_SINK): "sns" sends them through Amazon
	// SNS; "outbox" only records them in the outbox and a log line. Unset,
	// it is "sns" in Lambda and "outbox" elsewhere.
	SMSSink string
	// SMSSenderID is the alphanumeric sender ID of SMS (SMS_SENDER_ID).
	SMSSenderID string
	// OriginSecret is the secret the web stack's CloudFront distribution
	// sends to the API (ORIGIN_SECRET; see api.Server.OriginSecret); unset
	// when the API is not behind it.
	OriginSecret string
}

// FromEnv reads the configuration from the environment.
func FromEnv() Config {
	c := Config{
		Table:         os.Getenv("TABLE_NAME"),
		Endpoint:      os.Getenv("DYNAMODB_ENDPOINT"),
		DevAdmin:      os.Getenv(api.DevAdminSwitch) == "1",
		DefaultSchool: os.Getenv("EJOURNAL_DEV_SCHOOL"),
		OIDC:          oidc.FromEnv(os.Getenv),

		SigningKeyParameter: os.Getenv("SIGNING_KEY_PARAMETER"),
		SigningKeyFile:      os.Getenv("SIGNING_KEY_FILE"),
		InLambda:            os.Getenv("AWS_LAMBDA_FUNCTION_NAME") != "",
		SMSSink:             os.Getenv("SMS_SINK"),
		SMSSenderID:         os.Getenv("SMS_SENDER_ID"),
		OriginSecret:        os.Getenv("ORIGIN_SECRET"),
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
	s := &api.Server{Directory: db, Identity: db, Records: db, Views: db, Marks: db, Attendance: db, Lessons: db, Calendar: db, Events: db, Timetable: db, Generator: db, Plans: db, Notify: db, Messages: db, Outbox: db, Reports: db, LocalMode: c.LocalMode, OriginSecret: c.OriginSecret, Logger: logger}
	if c.OIDC.Configured() {
		if p, err := oidc.New(c.OIDC); err != nil {
			logger.Error("external sign-in is off", "error", err)
		} else {
			s.OIDC = p
		}
	}
	key, err := c.signingKey()
	if err != nil {
		logger.Error("sign-in is off: no signing key", "error", err.Error())
	} else {
		s.Tokens = auth.NewTokens(key, auth.DefaultIssuer)
		s.Auth = api.NewTokenAuth(s.Tokens, db)
	}
	if c.DevAdmin {
		dev := api.DevAdmin{DefaultSchool: c.DefaultSchool}
		if ta, ok := s.Auth.(*api.TokenAuth); ok {
			// Signed-in requests act as their user; the rest as the administrator.
			ta.Fallback = dev
		} else {
			s.Auth = dev
		}
		logger.Warn("developer administrator is ON: every request acts as an administrator without credentials", "switch", api.DevAdminSwitch)
	}
	return s
}

// signingKey loads the access tokens' key: from SSM Parameter Store when
// SIGNING_KEY_PARAMETER is set, else from the local key file, which a
// deployed function (in Lambda, with no DynamoDB endpoint) never uses.
func (c Config) signingKey() (ed25519.PrivateKey, error) {
	if c.SigningKeyParameter != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		b, err := ssmparam.Load(ctx, c.SigningKeyParameter)
		if err != nil {
			return nil, err
		}
		return auth.ParseKey(b)
	}
	if c.InLambda && c.Endpoint == "" {
		return nil, errors.New("SIGNING_KEY_PARAMETER is not set")
	}
	path := c.SigningKeyFile
	if path == "" {
		path = defaultKeyFile()
	}
	return auth.LoadOrCreateKeyFile(path)
}

// defaultKeyFile is .data/signing-key.pem under the module root, or under
// the working directory when there is no module root above it.
func defaultKeyFile() string {
	dir, _ := os.Getwd()
	if root, err := dynamolocal.FindRoot(dir); err == nil {
		dir = root
	}
	return filepath.Join(dir, ".data", "signing-key.pem")
}

// SMSSender builds the SMS sender SMS_SINK names: the outbox sink (a log
// line, nothing sent) or Amazon SNS with the default AWS configuration.
func (c Config) SMSSender(ctx context.Context, logger *slog.Logger) (sms.Sender, error) {
	sink := c.SMSSink
	if sink == "" {
		sink = "outbox"
		if c.InLambda {
			sink = "sns"
		}
	}
	switch sink {
	case "outbox":
		return sms.NewOutboxSink(logger), nil
	case "sns":
		cfg, err := awsconfig.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, fmt.Errorf("load AWS config: %w", err)
		}
		sender, err := sms.NewSNSSender(cfg, c.SMSSenderID, sms.Options{})
		if err != nil {
			// Not a typed nil inside the interface.
			return nil, err
		}
		return sender, nil
	}
	return nil, fmt.Errorf("SMS_SINK=%q: want outbox or sns", c.SMSSink)
}

// Pipeline builds the notification pipeline on db with sender.
func (c Config) Pipeline(db *dynamo.DB, sender sms.Sender, logger *slog.Logger) *notify.Pipeline {
	return &notify.Pipeline{Store: db, Sender: sender, Logger: logger, Now: func() time.Time { return db.Now() }}
}
