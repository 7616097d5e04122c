package oauth

// TokenObserver is told the outcome of every token request the dispatcher answers
// (package metrics counts them for /metrics). grantType is a registered grant_type or
// "unsupported"; code and reason are the refusal's OAuth error code and LoginHistory
// status, both from this package's fixed errors — bounded sets, safe as metric labels.
// Calls must be cheap: they are on the token path.
type TokenObserver interface {
	TokenIssued(grantType string)
	TokenRefused(grantType, code, reason string)
}

type noObserver struct{}

func (noObserver) TokenIssued(string)                  {}
func (noObserver) TokenRefused(string, string, string) {}
