package api

import (
	"net/http/httptest"
	"testing"
)

// TestClientAddr: the viewer's address counts only with the right origin
// secret and a valid IP address; otherwise the connection's source does.
func TestClientAddr(t *testing.T) {
	const (
		secret = "0123456789abcdef0123456789abcdef"
		edge   = "192.0.2.1" // httptest's RemoteAddr: the CloudFront edge server
	)
	cases := []struct {
		name         string
		secret       string // the server's OriginSecret
		verify, addr string // X-Origin-Verify, X-Viewer-Address; "" sends none
		remote       string // RemoteAddr; "" keeps httptest's
		want         string
	}{
		{name: "no secret, no headers", want: edge},
		{name: "no secret configured, headers sent", verify: secret, addr: "198.51.100.7", want: edge},
		{name: "right secret", secret: secret, verify: secret, addr: "198.51.100.7", want: "198.51.100.7"},
		{name: "right secret, IPv6 viewer", secret: secret, verify: secret, addr: "2001:DB8:0:0::42", want: "2001:db8::42"},
		{name: "right secret, IPv4-mapped IPv6 viewer", secret: secret, verify: secret, addr: "::ffff:198.51.100.7", want: "198.51.100.7"},
		{name: "wrong secret", secret: secret, verify: secret[:31] + "x", addr: "198.51.100.7", want: edge},
		{name: "secret's prefix", secret: secret, verify: secret[:16], addr: "198.51.100.7", want: edge},
		{name: "no X-Origin-Verify", secret: secret, addr: "198.51.100.7", want: edge},
		{name: "no X-Viewer-Address", secret: secret, verify: secret, want: edge},
		{name: "garbage viewer address", secret: secret, verify: secret, addr: "not-an-ip", want: edge},
		{name: "viewer address with a port", secret: secret, verify: secret, addr: "198.51.100.7:443", want: edge},
		{name: "viewer address list", secret: secret, verify: secret, addr: "198.51.100.7, 203.0.113.9", want: edge},
		{name: "viewer address with a zone", secret: secret, verify: secret, addr: "fe80::1%eth0", want: edge},
		{name: "IPv6 source address", remote: "[2001:db8::7]:443", want: "2001:db8::7"},
		{name: "source address without a port", remote: "203.0.113.7", want: "203.0.113.7"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/v1/auth/login", nil)
			if c.remote != "" {
				r.RemoteAddr = c.remote
			}
			if c.verify != "" {
				r.Header.Set("X-Origin-Verify", c.verify)
			}
			if c.addr != "" {
				r.Header.Set("X-Viewer-Address", c.addr)
			}
			s := &Server{OriginSecret: c.secret}
			if got := s.clientAddr(r); got != c.want {
				t.Errorf("clientAddr = %q, want %q", got, c.want)
			}
		})
	}
}
