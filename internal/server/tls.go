package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"

	"github.com/forcefield/forcefield/internal/oauth"
)

// The HTTPS listener. simple-salesforce builds every REST URL as https://{instance}
// (salesforce-rest.md §0 item 1, §8.3 (e)), so Forcefield can serve the same handler over
// TLS next to plain HTTP.
//
// Which URLs a TLS client is told: the token response's instance_url follows the listener
// the token request arrived on when no --base-url is configured — https://<tls address>
// over TLS, http://<address> otherwise — because clients send every later call to
// instance_url and simple-salesforce turns any instance_url into https on the same host
// and port. The id URL, the JWT issuer and the identity URLs stay the one base URL: they
// name the org and sign tokens, and a token issued on one listener is valid on the other.
// With --base-url set, instance_url is that URL on both listeners (docs/tls.md).

// tlsListener is the HTTPS listener and the instance URL announced on it.
type tlsListener struct {
	ln          net.Listener // already wraps connections in TLS
	instanceURL string
}

// listenTLS loads the key pair and listens on cfg.TLSAddr.
func listenTLS(cfg Config) (*tlsListener, error) {
	if cfg.TLSCertFile == "" || cfg.TLSKeyFile == "" {
		return nil, errors.New("--tls-addr needs --tls-cert and --tls-key (make a local pair with `forcefield tls-cert --dir DIR`)")
	}
	pair, err := tls.LoadX509KeyPair(cfg.TLSCertFile, cfg.TLSKeyFile)
	if err != nil {
		return nil, fmt.Errorf("TLS key pair: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.TLSAddr)
	if err != nil {
		return nil, fmt.Errorf("listen on --tls-addr %s: %w", cfg.TLSAddr, err)
	}
	tc := &tls.Config{
		Certificates: []tls.Certificate{pair},
		MinVersion:   tls.VersionTLS12,
		NextProtos:   []string{"http/1.1"},
	}
	return &tlsListener{ln: tls.NewListener(ln, tc), instanceURL: "https://" + ln.Addr().String()}, nil
}

// connContext marks connections accepted on the TLS listener with its instance URL,
// unless a base URL is configured (then every listener announces that).
func (s *Server) connContext(ctx context.Context, c net.Conn) context.Context {
	if s.tls == nil || s.cfg.BaseURL != "" {
		return ctx
	}
	if _, ok := c.(*tls.Conn); ok {
		return oauth.WithInstanceURL(ctx, s.tls.instanceURL)
	}
	return ctx
}

// TLSAddr is the address of the HTTPS listener, or "" without one.
func (s *Server) TLSAddr() string {
	if s.tls == nil {
		return ""
	}
	return s.tls.ln.Addr().String()
}

// TLSURL is https://<TLS listener address>, or "" without one.
func (s *Server) TLSURL() string {
	if s.tls == nil {
		return ""
	}
	return s.tls.instanceURL
}
