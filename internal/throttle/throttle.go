// Package throttle limits how fast failures may repeat for one key (a consumer key and
// source address, say) with a token bucket per key: each failure spends a token, tokens
// come back at a steady rate, and a key with no token left is blocked until one returns.
// Successes cost nothing, so a caller that never fails is never slowed.
package throttle

import (
	"sync"
	"time"
)

// Limiter is safe for concurrent use. The zero value is not usable; call New.
type Limiter struct {
	burst  float64
	per    time.Duration // one token returns every per
	now    func() time.Time
	mu     sync.Mutex
	bucket map[string]*bucket
	sweep  time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// New returns a limiter allowing burst failures at once and one more every per.
func New(burst int, per time.Duration, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{burst: float64(burst), per: per, now: now, bucket: map[string]*bucket{}}
}

// Blocked reports whether key has no failure left to spend, and if so how long until it has.
func (l *Limiter) Blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(key)
	if b == nil || b.tokens >= 1 {
		return false, 0
	}
	return true, time.Duration((1 - b.tokens) * float64(l.per))
}

// Fail spends one token of key.
func (l *Limiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(key)
	if b == nil {
		b = &bucket{tokens: l.burst, at: l.now()}
		l.bucket[key] = b
	}
	if b.tokens > 0 {
		b.tokens--
	}
	l.maybeSweep()
}

// refill brings key's bucket up to date; nil means the key is unknown (a full bucket).
func (l *Limiter) refill(key string) *bucket {
	b := l.bucket[key]
	if b == nil {
		return nil
	}
	now := l.now()
	b.tokens += float64(now.Sub(b.at)) / float64(l.per)
	b.at = now
	if b.tokens >= l.burst {
		delete(l.bucket, key) // full again: forget it, keeping the map small
		return nil
	}
	return b
}

// maybeSweep drops full buckets once a minute so abandoned keys do not accumulate.
func (l *Limiter) maybeSweep() {
	now := l.now()
	if now.Sub(l.sweep) < time.Minute {
		return
	}
	l.sweep = now
	for k := range l.bucket {
		l.refill(k)
	}
}

// Len returns the number of keys currently tracked (for tests and metrics).
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.bucket)
}
