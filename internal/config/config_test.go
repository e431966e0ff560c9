package config_test

import (
	"log/slog"
	"path/filepath"
	"testing"

	"ejournal/internal/config"
	"ejournal/internal/dynamo"
)

// TestOriginSecret: ORIGIN_SECRET, set by template.yaml from the stack's
// OriginSecret parameter, reaches the API server; unset, the server has none.
func TestOriginSecret(t *testing.T) {
	for _, secret := range []string{"0123456789abcdef0123456789abcdef", ""} {
		t.Setenv("ORIGIN_SECRET", secret)
		t.Setenv("SIGNING_KEY_PARAMETER", "")
		t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "")
		c := config.FromEnv()
		if c.OriginSecret != secret {
			t.Errorf("ORIGIN_SECRET=%q: Config.OriginSecret %q", secret, c.OriginSecret)
		}
		c.SigningKeyFile = filepath.Join(t.TempDir(), "signing-key.pem")
		s := c.Server(dynamo.New(nil, c.Table), slog.New(slog.DiscardHandler))
		if s.OriginSecret != secret {
			t.Errorf("ORIGIN_SECRET=%q: Server.OriginSecret %q", secret, s.OriginSecret)
		}
	}
}
