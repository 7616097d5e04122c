package orgfile

import (
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/orgclock"
)

// Clock returns the org's clockOffset as a duration, and whether the file sets it (time
// travel, issue 14 §2). An offset must be a Go duration ("2h", "90m", "25h30m"), not
// negative (time only moves forward; "0s" is real time) and at most orgclock.MaxOffset.
// The Setup service applies it (setup.Service.ApplyOrgFile), with its audit row.
func (o Org) Clock() (offset time.Duration, set bool, err error) {
	if o.ClockOffset == "" {
		return 0, false, nil
	}
	d, err := time.ParseDuration(o.ClockOffset)
	switch {
	case err != nil:
		return 0, true, fmt.Errorf("%q is not a duration such as 2h or 90m", o.ClockOffset)
	case d < 0:
		return 0, true, fmt.Errorf("%q is negative: time only moves forward (0s returns the org to real time)", o.ClockOffset)
	case d > orgclock.MaxOffset:
		return 0, true, fmt.Errorf("%q is more than the maximum %s", o.ClockOffset, orgclock.MaxOffset)
	}
	return d, true, nil
}
