package oidc_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"ejournal/internal/ejournal"
	"ejournal/internal/oidc"
	"ejournal/internal/oidc/oidctest"
)

const redirectURL = "https://journal.test/signin"

func newClient(t *testing.T, p *oidctest.Provider, secret string) *oidc.Client {
	t.Helper()
	c, err := oidc.New(oidc.Config{Issuer: p.Issuer, ClientID: p.ClientID, ClientSecret: secret, RedirectURL: redirectURL, DisplayName: "Госуслуги"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// authorize follows an authorization URL to the provider and returns the
// query it redirects back with.
func authorize(t *testing.T, authURL string) url.Values {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, err := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(loc.String(), redirectURL+"?") {
		t.Fatalf("authorize: %d to %q, want 302 to %s", res.StatusCode, loc, redirectURL)
	}
	return loc.Query()
}

// flow is one sign-in's secrets.
type flow struct{ state, nonce, verifier string }

func newFlow() flow { return flow{oidc.NewNonce(), oidc.NewNonce(), oidc.NewVerifier()} }

// code starts f at the provider and returns the code it sends back.
func (f flow) code(t *testing.T, c *oidc.Client) string {
	t.Helper()
	u, err := c.AuthURL(t.Context(), f.state, f.nonce, f.verifier)
	if err != nil {
		t.Fatal(err)
	}
	back := authorize(t, u)
	if back.Get("state") != f.state || back.Get("code") == "" {
		t.Fatalf("provider came back with %v, want state %s and a code", back, f.state)
	}
	return back.Get("code")
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	p := oidctest.New(t, "journal", "s3cret")
	p.Approve("esia-1000001")
	c := newClient(t, p, "s3cret")
	f := newFlow()
	u, err := c.AuthURL(t.Context(), f.state, f.nonce, f.verifier)
	if err != nil {
		t.Fatal(err)
	}
	q := mustParse(t, u).Query()
	want := map[string]string{
		"client_id": "journal", "redirect_uri": redirectURL, "response_type": "code", "scope": "openid",
		"state": f.state, "nonce": f.nonce, "code_challenge_method": "S256", "code_challenge": oauth2.S256ChallengeFromVerifier(f.verifier),
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("authorization URL %s = %q, want %q", k, q.Get(k), v)
		}
	}
	if !strings.HasPrefix(u, p.Issuer+"/authorize?") {
		t.Errorf("authorization URL %s is not the provider's endpoint", u)
	}
	sub, err := c.Exchange(t.Context(), f.code(t, c), f.verifier, f.nonce)
	if err != nil || sub != "esia-1000001" {
		t.Fatalf("Exchange = %q, %v; want esia-1000001", sub, err)
	}
	if c.Issuer() != p.Issuer || c.DisplayName() != "Госуслуги" {
		t.Errorf("Issuer, DisplayName = %s, %s", c.Issuer(), c.DisplayName())
	}
}

func mustParse(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestExchangeRefused: every way a code or an ID token can be wrong ends in
// EUNAUTHORIZED, never in a subject.
func TestExchangeRefused(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// setup prepares the provider; secret is the client's secret.
		setup  func(t *testing.T, p *oidctest.Provider)
		secret string
		// exchange redeems code of f; by default with f's verifier and nonce.
		exchange func(c *oidc.Client, f flow, code string) (string, error)
	}{
		{name: "wrong PKCE verifier", exchange: func(c *oidc.Client, f flow, code string) (string, error) {
			return c.Exchange(t.Context(), code, oidc.NewVerifier(), f.nonce)
		}},
		{name: "no PKCE verifier", exchange: func(c *oidc.Client, f flow, code string) (string, error) {
			return c.Exchange(t.Context(), code, "", f.nonce)
		}},
		{name: "code used twice", exchange: func(c *oidc.Client, f flow, code string) (string, error) {
			if _, err := c.Exchange(t.Context(), code, f.verifier, f.nonce); err != nil {
				return "", err
			}
			return c.Exchange(t.Context(), code, f.verifier, f.nonce)
		}},
		{name: "unknown code", exchange: func(c *oidc.Client, f flow, code string) (string, error) {
			return c.Exchange(t.Context(), code+"x", f.verifier, f.nonce)
		}},
		{name: "nonce of another sign-in", exchange: func(c *oidc.Client, f flow, code string) (string, error) {
			return c.Exchange(t.Context(), code, f.verifier, oidc.NewNonce())
		}},
		{name: "wrong client secret", secret: "guess"},
		{name: "signed by another key", setup: func(t *testing.T, p *oidctest.Provider) { p.SignWith(oidctest.NewKey(t)) }},
		{name: "nonce changed", setup: tamper("nonce", "forged")},
		{name: "nonce missing", setup: tamper("nonce", nil)},
		{name: "another audience", setup: tamper("aud", "someone-else")},
		{name: "another issuer", setup: tamper("iss", "https://evil.test")},
		{name: "expired", setup: tamper("exp", time.Now().Add(-time.Minute).Unix())},
		{name: "empty subject", setup: tamper("sub", "")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := oidctest.New(t, "journal", "s3cret")
			p.Approve("esia-1000001")
			if tc.setup != nil {
				tc.setup(t, p)
			}
			secret := tc.secret
			if secret == "" {
				secret = "s3cret"
			}
			c := newClient(t, p, secret)
			f := newFlow()
			code := f.code(t, c)
			exchange := tc.exchange
			if exchange == nil {
				exchange = func(c *oidc.Client, f flow, code string) (string, error) {
					return c.Exchange(t.Context(), code, f.verifier, f.nonce)
				}
			}
			sub, err := exchange(c, f, code)
			t.Logf("refused: %v", err)
			if code := ejournal.ErrorCode(err); code != ejournal.EUNAUTHORIZED || sub != "" {
				t.Fatalf("Exchange = %q, %v (%s); want refused with %s", sub, err, code, ejournal.EUNAUTHORIZED)
			}
		})
	}
}

// tamper sets (or, with nil, removes) one claim of every ID token.
func tamper(claim string, v any) func(*testing.T, *oidctest.Provider) {
	return func(_ *testing.T, p *oidctest.Provider) {
		p.Tamper(func(c map[string]any) {
			if v == nil {
				delete(c, claim)
			} else {
				c[claim] = v
			}
		})
	}
}

func TestProviderDown(t *testing.T) {
	t.Parallel()
	p := oidctest.New(t, "journal", "s3cret")
	c, err := oidc.New(oidc.Config{Issuer: p.Issuer + "/nowhere", ClientID: "journal", RedirectURL: redirectURL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AuthURL(t.Context(), "s", "n", "v"); ejournal.ErrorCode(err) != ejournal.EINTERNAL {
		t.Fatalf("AuthURL without discovery = %v, want %s", err, ejournal.EINTERNAL)
	}
	if _, err := c.Exchange(t.Context(), "code", "v", "n"); ejournal.ErrorCode(err) != ejournal.EINTERNAL {
		t.Fatalf("Exchange without discovery = %v, want %s", err, ejournal.EINTERNAL)
	}
}

func TestConfig(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		oidc.EnvIssuer: "https://esia.gosuslugi.ru", oidc.EnvClientID: "journal", oidc.EnvClientSecret: "x",
		oidc.EnvRedirectURL: redirectURL,
	}
	cfg := oidc.FromEnv(func(k string) string { return env[k] })
	if !cfg.Configured() {
		t.Fatal("a config with an issuer is not configured")
	}
	c, err := oidc.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c.DisplayName() != "esia.gosuslugi.ru" {
		t.Errorf("default display name %q, want the issuer's host", c.DisplayName())
	}
	if oidc.FromEnv(func(string) string { return "" }).Configured() {
		t.Error("an empty environment configures a provider")
	}
	for name, bad := range map[string]oidc.Config{
		"issuer not a URL":      {Issuer: "esia", ClientID: "j", RedirectURL: redirectURL},
		"issuer with a query":   {Issuer: "https://esia.test/?x=1", ClientID: "j", RedirectURL: redirectURL},
		"no client id":          {Issuer: "https://esia.test", RedirectURL: redirectURL},
		"relative redirect URL": {Issuer: "https://esia.test", ClientID: "j", RedirectURL: "/signin"},
	} {
		if _, err := oidc.New(bad); err == nil {
			t.Errorf("%s: New accepted %+v", name, bad)
		}
	}
}

func TestNonces(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		n := oidc.NewNonce()
		if len(n) != 43 || seen[n] || strings.ContainsAny(n, "+/=") {
			t.Fatalf("NewNonce = %q: want 43 unique base64url characters", n)
		}
		seen[n] = true
	}
}
