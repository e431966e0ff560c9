// Package oidc signs people in through an external OpenID Connect provider
// (Gosuslugi/ESIA through an OpenID Connect gateway, or any standard
// provider) with the authorization-code flow and PKCE. It is the only
// package that imports the OpenID Connect and OAuth 2 libraries.
//
// The provider is discovered on first use, not at start-up, so a cold
// start never waits for it and a provider that is down is retried on the
// next sign-in.
package oidc

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"ejournal/internal/ejournal"
)

// Environment variables of the provider.
const (
	EnvIssuer       = "OIDC_ISSUER"
	EnvClientID     = "OIDC_CLIENT_ID"
	EnvClientSecret = "OIDC_CLIENT_SECRET"
	EnvRedirectURL  = "OIDC_REDIRECT_URL"
	EnvDisplayName  = "OIDC_DISPLAY_NAME"
)

// Config configures the provider.
type Config struct {
	// Issuer is the provider's issuer URL; its discovery document is at
	// Issuer + "/.well-known/openid-configuration".
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is where the provider sends the browser back with code
	// and state: the web app's sign-in page, which passes them on to
	// GET /v1/auth/oidc/callback.
	RedirectURL string
	// DisplayName is what the sign-in screen calls the provider
	// ("Госуслуги"); the issuer's host when empty.
	DisplayName string
	// HTTPClient reaches the provider; one with a 10-second timeout when nil.
	HTTPClient *http.Client
}

// FromEnv reads the configuration from the environment. It returns the
// zero Config when OIDC_ISSUER is unset: no provider is configured.
func FromEnv(getenv func(string) string) Config {
	return Config{
		Issuer:       getenv(EnvIssuer),
		ClientID:     getenv(EnvClientID),
		ClientSecret: getenv(EnvClientSecret),
		RedirectURL:  getenv(EnvRedirectURL),
		DisplayName:  getenv(EnvDisplayName),
	}
}

// Configured reports whether a provider is configured at all.
func (c Config) Configured() bool { return c.Issuer != "" }

// Validate checks a configured provider's settings.
func (c Config) Validate() error {
	var errs []error
	if !ejournal.ValidIssuer(c.Issuer) {
		errs = append(errs, fmt.Errorf("%s: not an http(s) URL without a query", EnvIssuer))
	}
	if c.ClientID == "" {
		errs = append(errs, fmt.Errorf("%s is empty", EnvClientID))
	}
	if u, err := url.Parse(c.RedirectURL); err != nil || !u.IsAbs() {
		errs = append(errs, fmt.Errorf("%s: not an absolute URL", EnvRedirectURL))
	}
	return errors.Join(errs...)
}

// Client signs people in through one provider. It is safe for concurrent use.
type Client struct {
	cfg    Config
	client *http.Client

	mu       sync.Mutex
	provider *gooidc.Provider
}

// New returns a client of the provider cfg describes, or an error when cfg
// is invalid. Nothing is fetched yet.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("OpenID Connect provider: %w", err)
	}
	if cfg.DisplayName == "" {
		u, _ := url.Parse(cfg.Issuer)
		cfg.DisplayName = u.Host
	}
	c := &Client{cfg: cfg, client: cfg.HTTPClient}
	if c.client == nil {
		c.client = &http.Client{Timeout: 10 * time.Second}
	}
	return c, nil
}

// Issuer is the provider's issuer URL.
func (c *Client) Issuer() string { return c.cfg.Issuer }

// DisplayName is what the sign-in screen calls the provider.
func (c *Client) DisplayName() string { return c.cfg.DisplayName }

// discover returns the provider, fetching its discovery document once.
func (c *Client) discover(ctx context.Context) (*gooidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.provider, nil
	}
	// The provider keeps this context to fetch its signing keys later,
	// so it must outlive the request.
	pctx := gooidc.ClientContext(context.WithoutCancel(ctx), c.client)
	dctx, cancel := context.WithTimeout(pctx, c.client.Timeout)
	defer cancel()
	p, err := gooidc.NewProvider(dctx, c.cfg.Issuer)
	if err != nil {
		return nil, ejournal.Internal(fmt.Errorf("discover OpenID Connect provider %s: %w", c.cfg.Issuer, err))
	}
	c.provider = p
	return p, nil
}

func (c *Client) oauth(p *gooidc.Provider) *oauth2.Config {
	ep := p.Endpoint()
	// client_secret_basic is the method OpenID Connect assumes by default;
	// guessing would spend the one-time code on a failed first attempt.
	ep.AuthStyle = oauth2.AuthStyleInHeader
	return &oauth2.Config{
		ClientID:     c.cfg.ClientID,
		ClientSecret: c.cfg.ClientSecret,
		RedirectURL:  c.cfg.RedirectURL,
		Endpoint:     ep,
		Scopes:       []string{gooidc.ScopeOpenID},
	}
}

// NewVerifier returns a fresh PKCE code verifier.
func NewVerifier() string { return oauth2.GenerateVerifier() }

// NewNonce returns a fresh random value for a state or nonce parameter:
// 256 bits, base64url without padding.
func NewNonce() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// AuthURL returns the provider's authorization URL for a sign-in with
// state, nonce and the S256 challenge of verifier.
func (c *Client) AuthURL(ctx context.Context, state, nonce, verifier string) (string, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return "", err
	}
	return c.oauth(p).AuthCodeURL(state, gooidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), nil
}

// rejected is the error of a sign-in the provider or the checks of its ID
// token refused; cause is for the log.
func rejected(cause error) error {
	return &ejournal.Error{
		Code:    ejournal.EUNAUTHORIZED,
		Message: ejournal.T("Не удалось войти через внешнего провайдера. Попробуйте ещё раз.", "Signing in through the external provider failed. Please try again."),
		Err:     cause,
	}
}

// Exchange redeems an authorization code with the PKCE verifier and
// returns the subject of the ID token, after checking its signature
// against the provider's keys, its issuer, audience, expiry and nonce.
// A refusal is EUNAUTHORIZED; a provider that cannot be reached, EINTERNAL.
func (c *Client) Exchange(ctx context.Context, code, verifier, nonce string) (string, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return "", err
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, c.client)
	tok, err := c.oauth(p).Exchange(ctx, code, oauth2.VerifierOption(verifier))
	var re *oauth2.RetrieveError
	switch {
	case errors.As(err, &re):
		return "", rejected(fmt.Errorf("token endpoint: %s", strings.TrimSpace(re.ErrorCode+" "+re.ErrorDescription)))
	case err != nil:
		return "", ejournal.Internal(fmt.Errorf("token endpoint: %w", err))
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return "", rejected(errors.New("token response has no id_token"))
	}
	id, err := p.Verifier(&gooidc.Config{ClientID: c.cfg.ClientID}).Verify(ctx, raw)
	if err != nil {
		return "", rejected(fmt.Errorf("verify ID token: %w", err))
	}
	if id.Nonce != nonce {
		return "", rejected(errors.New("ID token nonce does not match the sign-in"))
	}
	if !ejournal.ValidSubject(id.Subject) {
		return "", rejected(errors.New("ID token subject is malformed"))
	}
	return id.Subject, nil
}
