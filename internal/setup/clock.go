package setup

import (
	"context"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/orgclock"
	"github.com/forcefield/forcefield/internal/sfid"
)

// MaxClockOffset bounds how far an org may travel (orgclock.MaxOffset).
const MaxClockOffset = orgclock.MaxOffset

// SetClockOffset moves org orgID's clock to offset ahead of the server's: Forcefield's
// time travel (issue 14 §2; package orgclock). Everything about the org then runs on its
// time — sessions and their idle timeout, authorization codes, refresh tokens, the
// 24-hour limit windows, staged and rotated secrets, SOQL's date literals, record
// timestamps — and no other org notices. 0 is real time again.
//
// Time only moves forward: a negative offset is refused (Invalid), as no real org's
// clock runs backwards and tokens issued in an org's future would otherwise outlive
// their lifetime; 0 (reset) is how an org returns to real time. The change is one audited
// Setup update (section Company Profile, action changedOrgClock) and reaches every node
// with the Setup cache.
func (s *Service) SetClockOffset(ctx context.Context, actor Actor, orgID sfid.ID, offset time.Duration) (org.Org, error) {
	return s.changeClock(ctx, actor, orgID, func(time.Duration) time.Duration { return offset })
}

// AdvanceClock moves org orgID's clock by more: its offset grows by by (which must not be
// negative), read and written in one transaction so that concurrent advances add up.
func (s *Service) AdvanceClock(ctx context.Context, actor Actor, orgID sfid.ID, by time.Duration) (org.Org, error) {
	if by < 0 {
		return org.Org{}, FieldInvalidf("advance", "advance %s is negative: time only moves forward; reset the clock to return to real time", by)
	}
	return s.changeClock(ctx, actor, orgID, func(old time.Duration) time.Duration {
		if old > MaxClockOffset-by { // saturate rather than overflow; checkOffset refuses it
			return MaxClockOffset + 1
		}
		return old + by
	})
}

// checkOffset validates a clock offset.
func checkOffset(d time.Duration) error {
	switch {
	case d < 0:
		return FieldInvalidf("offset", "clock offset %s is negative: time only moves forward; reset the clock (offset 0) to return to real time", d)
	case d > MaxClockOffset:
		return FieldInvalidf("offset", "clock offset %s is more than the maximum %s", d, MaxClockOffset)
	}
	return nil
}

func (s *Service) changeClock(ctx context.Context, actor Actor, orgID sfid.ID, next func(time.Duration) time.Duration) (org.Org, error) {
	var out org.Org
	err := s.Update(ctx, actor, func(tx *Tx) error {
		o, err := tx.Org(ctx, orgID)
		if err != nil {
			return notFound(err, "org %s", orgID)
		}
		out, err = setClock(tx, o, next(o.ClockOffset))
		return err
	})
	return out, err
}

// setClock writes o's new offset with its audit row, in tx; unchanged writes nothing.
// The org file's clockOffset comes here too (orgfile.go).
func setClock(tx *Tx, o org.Org, offset time.Duration) (org.Org, error) {
	if err := checkOffset(offset); err != nil {
		return o, err
	}
	if offset == o.ClockOffset {
		return o, nil
	}
	old := o.ClockOffset
	o.ClockOffset = offset
	if err := tx.PutOrg(tx.ctx, &o); err != nil {
		return o, fmt.Errorf("setting the clock of org %s: %w", o.Name, err)
	}
	display := fmt.Sprintf("Changed the clock of org %s from %s to %s ahead of real time", o.Name, old, offset)
	if offset == 0 {
		display = fmt.Sprintf("Reset the clock of org %s to real time (was %s ahead)", o.Name, old)
	}
	return o, tx.Audit(o.ID, org.AuditSectionCompany, org.AuditChangedOrgClock, o.ID, display)
}
