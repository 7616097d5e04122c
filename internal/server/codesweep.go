package server

import (
	"context"
	"time"
)

// sweepAuthCodes deletes the authorization codes whose 15 minutes have passed. Expired
// codes already fail the exchange (the token endpoint checks ExpiresAt), so this is
// housekeeping: an abandoned authorize leaves a row behind that nothing else removes.
func (s *Server) sweepAuthCodes(ctx context.Context) (int, error) {
	return s.st.DeleteExpiredAuthCodes(ctx, s.cfg.Now().UTC())
}

// codeSweeper runs sweepAuthCodes every interval until ctx ends.
func (s *Server) codeSweeper(ctx context.Context, interval time.Duration, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.sweepAuthCodes(ctx); err != nil && ctx.Err() == nil {
				s.cfg.Logger.Error("sweeping expired authorization codes", "err", err)
			} else if n > 0 {
				s.cfg.Logger.Info("deleted expired authorization codes", "count", n)
			}
		}
	}
}
