package oauth

import "context"

// instanceURLKey carries a per-connection instance URL (see WithInstanceURL).
type instanceURLKey struct{}

// WithInstanceURL makes token responses for requests under ctx announce u as instance_url
// instead of the configured base URL. The server sets it on connections to its HTTPS
// listener when no base URL is configured (internal/server/tls.go, docs/tls.md); the id
// URL and the issuer stay the base URL.
func WithInstanceURL(ctx context.Context, u string) context.Context {
	return context.WithValue(ctx, instanceURLKey{}, u)
}

// instanceURL is the instance_url to announce for a request under ctx.
func (s *Server) instanceURL(ctx context.Context) string {
	if u, ok := ctx.Value(instanceURLKey{}).(string); ok && u != "" {
		return u
	}
	return s.baseURL
}
