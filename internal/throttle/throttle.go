// Package throttle limits how fast failures may repeat for one key (a consumer key and
// source address, say) with a token bucket per key: each failure spends a token, tokens
// come back at a steady rate, and a key with no token left is blocked until one returns.
// Successes cost nothing, so a caller that never fails is never slowed.
//
// Checking and spending are one step: a caller reserves an attempt (spends a token)
// before it verifies anything, and gives the token back if the attempt succeeded. A
// separate "is it blocked?" followed later by "count a failure" would let any number of
// simultaneous requests pass the check before the first failure is counted (issue 13 §2:
// 64 racing wrong secrets all got a real answer). While a key's last tokens are held by
// attempts still being verified, further attempts wait for their outcome instead of being
// refused, so the answers are those of some serial order of the same requests: at most
// burst failures get a real answer, and a burst of right answers is never refused.
package throttle

import (
	"context"
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
	tokens  float64
	at      time.Time
	pending int           // reservations neither failed nor released
	changed chan struct{} // made by a waiter, closed when a reservation ends
}

// New returns a limiter allowing burst failures at once and one more every per.
func New(burst int, per time.Duration, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{burst: float64(burst), per: per, now: now, bucket: map[string]*bucket{}}
}

// Reservation is one attempt's spent token. Exactly one of Fail or Release must be called
// (a second call, of either, does nothing).
type Reservation struct {
	l    *Limiter
	key  string
	b    *bucket
	once sync.Once
}

// Reserve spends one token of key for an attempt about to be verified. It reports false,
// with the time until a token returns, when key has none left; when key's remaining
// tokens are held by attempts still in flight it waits for them (or for ctx) first.
func (l *Limiter) Reserve(ctx context.Context, key string) (r *Reservation, ok bool, retry time.Duration) {
	l.mu.Lock()
	for {
		b := l.refill(key)
		if b == nil {
			b = &bucket{tokens: l.burst, at: l.now()}
			l.bucket[key] = b
		}
		if b.tokens >= 1 {
			b.tokens--
			b.pending++
			l.maybeSweep()
			l.mu.Unlock()
			return &Reservation{l: l, key: key, b: b}, true, 0
		}
		if b.pending == 0 {
			retry = time.Duration((1 - b.tokens) * float64(l.per))
			l.mu.Unlock()
			return nil, false, retry
		}
		if b.changed == nil {
			b.changed = make(chan struct{})
		}
		changed := b.changed
		l.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			// Gone before an answer was due: answer as throttled, as the attempt was
			// never verified.
			return nil, false, l.per
		}
		l.mu.Lock()
	}
}

// Fail keeps the token spent: the attempt was a failure.
func (r *Reservation) Fail() {
	if r != nil {
		r.once.Do(func() { r.end(false) })
	}
}

// Release gives the token back: the attempt succeeded and costs nothing.
func (r *Reservation) Release() {
	if r != nil {
		r.once.Do(func() { r.end(true) })
	}
}

func (r *Reservation) end(giveBack bool) {
	l := r.l
	l.mu.Lock()
	defer l.mu.Unlock()
	b := r.b
	if giveBack {
		b.tokens++
	}
	b.pending--
	if b.changed != nil {
		close(b.changed)
		b.changed = nil
	}
	l.refill(r.key) // forgets the bucket if it is full again
}

// Refund gives key one spent token back (never past burst): for limits on things that
// can end later, such as a stored row that is removed again. A key with a full bucket is
// left alone.
func (l *Limiter) Refund(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.refill(key); b != nil {
		b.tokens = min(b.tokens+1, l.burst)
		l.refill(key) // forgets the bucket if it is full again
	}
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
		b.tokens = l.burst
		if b.pending == 0 {
			delete(l.bucket, key) // full again: forget it, keeping the map small
			return nil
		}
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
