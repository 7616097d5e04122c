package postgres

import (
	"testing"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

func TestQueryConformance(t *testing.T) {
	t.Parallel()
	storetest.RunQuery(t, func(t *testing.T) records.Store { return openTest(t) })
}

func TestQuerySetupConformance(t *testing.T) {
	t.Parallel()
	storetest.RunQuerySetup(t, func(t *testing.T) storetest.RecordStore { return openTest(t) })
}
