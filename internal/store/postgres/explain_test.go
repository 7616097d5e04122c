package postgres

import (
	"testing"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

func TestExplainConformance(t *testing.T) {
	t.Parallel()
	storetest.RunExplain(t, func(t *testing.T) records.Store { return openTest(t) })
}
