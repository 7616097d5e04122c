package server

import (
	"context"
	"time"
)

// keyRotator runs the signing keyring's Maintain every interval until ctx ends: it
// publishes the next JWT access-token signing key Overlap before it signs and unpublishes
// keys whose tokens have all expired (session.Keyring). Key material is never logged.
// With several nodes one of them maintains the keys each interval (cluster.Timers) and
// the others reload them from the store; a "keys" notice makes them reload at once.
func (s *Server) keyRotator(ctx context.Context, interval time.Duration, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			due, err := s.st.Cluster().Due(ctx, "signingkeys.rotate", s.cfg.Now(), interval)
			switch {
			case err != nil:
			case due:
				err = s.keys.Maintain(ctx)
			default:
				err = s.keys.Reload(ctx)
			}
			if err != nil && ctx.Err() == nil {
				s.cfg.Logger.Error("rotating JWT signing keys", "err", err)
			}
		}
	}
}
