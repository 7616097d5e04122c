package sfauth

import (
	"context"
	"sync"

	"golang.org/x/oauth2"
)

// TokenSource caches one token of a Config and replaces it when it goes stale. Every
// Transport and goroutine sharing a TokenSource shares its token, and concurrent requests
// for a new token are merged into one token request (single flight). It implements
// golang.org/x/oauth2's TokenSource. Create it with Config.TokenSource.
type TokenSource struct {
	cfg *Config
	ctx context.Context // for token requests; see Config.TokenSource

	mu       sync.Mutex
	tok      *Token // nil until fetched, and after Renew until the new one arrives
	inflight *fetch // the token request under way, if any
	// refresh is the refresh token to present next: Config.RefreshToken until the server
	// rotates it, then the newest one (golang.org/x/oauth2's tokenRefresher does the same).
	// Only the one goroutine running the token request reads and replaces it.
	refresh string
}

var _ oauth2.TokenSource = (*TokenSource)(nil)

// fetch is one token request that several callers may wait for.
type fetch struct {
	done chan struct{}
	tok  *Token
	err  error
}

// TokenSource returns a token cache for c. Token requests run with ctx (its values and
// cancellation, like golang.org/x/oauth2's Config.TokenSource), not with the context of the
// caller that happens to trigger them, so one caller giving up does not fail the others;
// each caller still stops waiting when its own context ends.
func (c *Config) TokenSource(ctx context.Context) *TokenSource {
	if ctx == nil {
		ctx = context.Background()
	}
	return &TokenSource{cfg: c, ctx: ctx, refresh: c.RefreshToken}
}

// RefreshToken is the refresh token the source presents next: Config.RefreshToken, or the
// newest one the server rotated it into. "" without the refresh token grant.
func (s *TokenSource) RefreshToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refresh
}

// Token returns the cached token, getting one first if needed, as an *oauth2.Token with
// every response field in Extra. It implements oauth2.TokenSource.
func (s *TokenSource) Token() (*oauth2.Token, error) {
	t, err := s.Current(s.ctx)
	if err != nil {
		return nil, err
	}
	return t.OAuth2(), nil
}

// Current returns the cached token, getting one first if there is none.
func (s *TokenSource) Current(ctx context.Context) (*Token, error) {
	s.mu.Lock()
	if t := s.tok; t != nil {
		s.mu.Unlock()
		return t, nil
	}
	f := s.startLocked()
	s.mu.Unlock()
	return f.wait(ctx)
}

// Renew replaces stale, a token the server no longer accepts, with a new one and returns
// it. If the cached token is already another one (someone renewed it first), that one is
// returned without a token request; callers renewing the same stale token at the same
// time share one token request.
func (s *TokenSource) Renew(ctx context.Context, stale *Token) (*Token, error) {
	s.mu.Lock()
	if t := s.tok; t != nil && (stale == nil || t.AccessToken != stale.AccessToken) {
		s.mu.Unlock()
		return t, nil
	}
	s.tok = nil
	f := s.startLocked()
	s.mu.Unlock()
	return f.wait(ctx)
}

// forget drops stale from the cache so that the next caller gets a new token, without
// waiting for one.
func (s *TokenSource) forget(stale *Token) {
	s.mu.Lock()
	if s.tok != nil && s.tok.AccessToken == stale.AccessToken {
		s.tok = nil
	}
	s.mu.Unlock()
}

// startLocked joins the token request under way or starts one. s.mu must be held.
func (s *TokenSource) startLocked() *fetch {
	if s.inflight != nil {
		return s.inflight
	}
	f := &fetch{done: make(chan struct{})}
	s.inflight = f
	refresh := s.refresh
	go func() {
		f.tok, f.err = s.cfg.token(s.ctx, refresh)
		s.mu.Lock()
		s.inflight = nil
		if f.err == nil {
			s.tok = f.tok
			if f.tok.RefreshToken != "" { // rotated: the presented one is dead now
				s.refresh = f.tok.RefreshToken
			}
		}
		s.mu.Unlock()
		close(f.done)
	}()
	return f
}

func (f *fetch) wait(ctx context.Context) (*Token, error) {
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
