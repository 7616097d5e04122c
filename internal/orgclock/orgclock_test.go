package orgclock

import (
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

func TestOrgTime(t *testing.T) {
	base := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	c := New(func() time.Time { return base })
	acme, other := sfid.ID("00Dxx0000000001AAA"), sfid.ID("00Dxx0000000002AAA")
	if got := c.Org(acme); !got.Equal(base) {
		t.Errorf("before SetOffsets: Org = %v, want the server's %v", got, base)
	}
	c.SetOffsets(func(id sfid.ID) time.Duration {
		if id == acme {
			return 2 * time.Hour
		}
		return 0
	})
	tests := []struct {
		org  sfid.ID
		want time.Time
	}{
		{acme, base.Add(2 * time.Hour)},
		{other, base},
	}
	for _, tt := range tests {
		if got := c.Org(tt.org); !got.Equal(tt.want) {
			t.Errorf("Org(%s) = %v, want %v", tt.org, got, tt.want)
		}
		if got := c.OrgFunc(tt.org)(); !got.Equal(tt.want) {
			t.Errorf("OrgFunc(%s)() = %v, want %v", tt.org, got, tt.want)
		}
	}
	if got := c.Now(); !got.Equal(base) {
		t.Errorf("Now = %v, want the untravelled %v", got, base)
	}
}
