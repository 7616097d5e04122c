package limits_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/limits"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
)

// testClock is a per-org clock: every org at now, org "late" offset by late.
type testClock struct {
	mu   sync.Mutex
	now  time.Time
	late time.Duration
}

func (c *testClock) org(id sfid.ID) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if id == "late" {
		return c.now.Add(c.late)
	}
	return c.now
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// The windows: what each quota lets through, and when a refused app may go again.
func TestAppQuotaWindows(t *testing.T) {
	start := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC) // a bucket boundary of both widths
	type step struct {
		advance time.Duration // before the request
		ok      bool
		window  limits.QuotaWindow // of a refusal
		retry   time.Duration      // of a refusal
	}
	tests := []struct {
		name  string
		q     org.AppQuotas
		api   bool
		first int // granted requests at start
		steps []step
	}{
		{"per hour: the 60 minutes slide by 150 s", org.AppQuotas{TokenRequestsPerHour: 3}, false, 3, []step{
			{0, false, limits.TokensPerHour, 150 * time.Second},
			{59*time.Minute + 59*time.Second, false, limits.TokensPerHour, time.Second},
			{time.Second, true, 0, 0}, // 60 minutes after the first three
		}},
		{"per hour mid-bucket: frees between 57½ and 60 minutes", org.AppQuotas{TokenRequestsPerHour: 1}, false, 0, []step{
			{100 * time.Second, true, 0, 0}, // at 10:01:40, bucket 10:00:00–10:02:30
			{57*time.Minute + 30*time.Second, false, limits.TokensPerHour, 50 * time.Second},
			{50 * time.Second, true, 0, 0}, // 11:00:00: 58 min 20 s after it was granted
		}},
		{"per day: the 24 hours slide by the hour", org.AppQuotas{TokenRequestsPerDay: 2}, false, 2, []step{
			{90 * time.Minute, false, limits.TokensPerDay, 30 * time.Minute},
			{22*time.Hour + 29*time.Minute, false, limits.TokensPerDay, time.Minute},
			{time.Minute, true, 0, 0},
		}},
		{"the day's quota refuses before the hour's", org.AppQuotas{TokenRequestsPerHour: 2, TokenRequestsPerDay: 3}, false, 2, []step{
			{0, false, limits.TokensPerHour, 150 * time.Second},
			{time.Hour, true, 0, 0},
			{0, false, limits.TokensPerDay, time.Hour},
		}},
		{"no quota: never refused", org.AppQuotas{}, false, 1000, []step{{0, true, 0, 0}}},
		{"api per day", org.AppQuotas{APIRequestsPerDay: 5, TokenRequestsPerHour: 1}, true, 5, []step{
			{0, false, limits.APIPerDay, time.Hour},
			{24 * time.Hour, true, 0, 0},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &testClock{now: start}
			c := limits.NewAppQuotas(clk.org)
			take := func() *limits.Refusal {
				if tt.api {
					_, _, r := c.TakeAPI("org", "app", tt.q)
					return r
				}
				_, r := c.TakeToken("org", "app", tt.q)
				return r
			}
			for i := range tt.first {
				if r := take(); r != nil {
					t.Fatalf("request %d refused: %+v", i+1, r)
				}
			}
			for i, s := range tt.steps {
				clk.advance(s.advance)
				r := take()
				switch {
				case s.ok && r != nil:
					t.Errorf("step %d: refused %+v, want granted", i, r)
				case !s.ok && r == nil:
					t.Errorf("step %d: granted, want refused by %v", i, s.window)
				case !s.ok:
					want := &limits.Refusal{Window: s.window, Quota: map[limits.QuotaWindow]int{limits.TokensPerHour: tt.q.TokenRequestsPerHour,
						limits.TokensPerDay: tt.q.TokenRequestsPerDay, limits.APIPerDay: tt.q.APIRequestsPerDay}[s.window], RetryAfter: s.retry}
					if diff := cmp.Diff(want, r); diff != "" {
						t.Errorf("step %d: refusal (-want +got):\n%s", i, diff)
					}
				}
			}
		})
	}
}

// A quota of 100 lets exactly 100 of 500 racing requests through; the app's neighbours, an
// app of another org and another window are not touched; Return gives a unit back.
func TestAppQuotaRaceAndIsolation(t *testing.T) {
	clk := &testClock{now: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	c := limits.NewAppQuotas(clk.org)
	q := org.AppQuotas{TokenRequestsPerHour: 100, APIRequestsPerDay: 7}
	var granted atomic.Int64
	var wg sync.WaitGroup
	for range 500 {
		wg.Go(func() {
			if _, r := c.TakeToken("org", "app", q); r == nil {
				granted.Add(1)
			}
		})
	}
	wg.Wait()
	if n := granted.Load(); n != 100 {
		t.Fatalf("granted %d of 500 racing requests, want exactly 100", n)
	}
	if _, r := c.TakeToken("org", "other", q); r != nil {
		t.Errorf("another app refused: %+v", r)
	}
	if _, _, r := c.TakeAPI("org", "app", q); r != nil {
		t.Errorf("the app's API requests refused by its token quota: %+v", r)
	}
	want := limits.AppUsage{TokenRequestsLastHour: 100, TokenRequestsLast24h: 100, APIRequestsLast24h: 1}
	if diff := cmp.Diff(want, c.Usage("org", "app", q)); diff != "" {
		t.Errorf("usage (-want +got):\n%s", diff)
	}

	// Given back: one more may go, and only one.
	taken, r := c.TakeToken("org", "app2", org.AppQuotas{TokenRequestsPerHour: 1})
	if r != nil {
		t.Fatal(r)
	}
	if _, r := c.TakeToken("org", "app2", org.AppQuotas{TokenRequestsPerHour: 1}); r == nil {
		t.Fatal("second token of a quota of 1 granted")
	}
	c.Return(taken)
	if _, r := c.TakeToken("org", "app2", org.AppQuotas{TokenRequestsPerHour: 1}); r != nil {
		t.Errorf("after Return: refused %+v", r)
	}
}

// Windows are on the org's time: an org moved forward rolls its own apps' windows only.
func TestAppQuotaOrgClock(t *testing.T) {
	clk := &testClock{now: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
	c := limits.NewAppQuotas(clk.org)
	q := org.AppQuotas{TokenRequestsPerDay: 1}
	for _, o := range []sfid.ID{"late", "org"} {
		if _, r := c.TakeToken(o, sfid.ID("app-"+o), q); r != nil {
			t.Fatal(r)
		}
	}
	clk.mu.Lock()
	clk.late = 25 * time.Hour
	clk.mu.Unlock()
	if _, r := c.TakeToken("late", "app-late", q); r != nil {
		t.Errorf("travelled org: refused %+v, want its window rolled", r)
	}
	if _, r := c.TakeToken("org", "app-org", q); r == nil {
		t.Error("an org that did not travel: its window rolled too")
	}
}

// With several PostgreSQL nodes, a quota holds exactly across them: 2 nodes, 300 racing
// requests, a quota of 100 → 100.
func TestAppQuotaSharedNodes(t *testing.T) {
	qs := nodes(t, 2)
	clk := &testClock{now: time.Now()}
	var cs []*limits.AppQuotas
	for _, q := range qs {
		c := limits.NewAppQuotas(clk.org)
		c.Share(q)
		cs = append(cs, c)
	}
	q := org.AppQuotas{TokenRequestsPerHour: 100}
	var granted atomic.Int64
	var wg sync.WaitGroup
	for i := range 300 {
		wg.Go(func() {
			if _, r := cs[i%2].TakeToken("org", "app", q); r == nil {
				granted.Add(1)
			}
		})
	}
	wg.Wait()
	if n := granted.Load(); n != 100 {
		t.Fatalf("granted %d across 2 nodes, want exactly 100", n)
	}
	for i, c := range cs {
		if u := c.Usage("org", "app", q); u.TokenRequestsLastHour != 100 {
			t.Errorf("node %d: usage last hour %d, want the shared 100", i, u.TokenRequestsLastHour)
		}
	}
}
