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

// sweeper runs sweep every interval until ctx ends, logging what it deleted (what names
// the rows, e.g. "expired consumer credentials"), and closes done when it returns. With
// several nodes one of them runs it each interval: what is also the timer's name
// (cluster.Timers), so every sweep started here runs once across the cluster.
func (s *Server) sweeper(ctx context.Context, interval time.Duration, done chan<- struct{}, what string, sweep func(context.Context) (int, error)) {
	defer close(done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if due, err := s.st.Cluster().Due(ctx, what, s.cfg.Now(), interval); err != nil || !due {
				if err != nil && ctx.Err() == nil {
					s.cfg.Logger.Error("sweeping "+what+": timer", "err", err)
				}
				continue
			}
			if n, err := sweep(ctx); err != nil && ctx.Err() == nil {
				s.cfg.Logger.Error("sweeping "+what, "err", err)
			} else if n > 0 {
				s.cfg.Logger.Info("deleted "+what, "count", n)
			}
		}
	}
}
