package postgres

import (
	"testing"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

func TestSearchConformance(t *testing.T) {
	t.Parallel()
	storetest.RunSearch(t, func(t *testing.T) records.Store { return openTest(t) })
}
