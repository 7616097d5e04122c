package postgres

import (
	"testing"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/store/storetest"
)

// The record half of records.Store against PostgreSQL: the same suites SQLite runs.

func TestRecordsConformance(t *testing.T) {
	t.Parallel()
	storetest.RunRecords(t, func(t *testing.T) records.Store { return openTest(t) })
}

func TestReplicationConformance(t *testing.T) {
	t.Parallel()
	storetest.RunReplication(t, func(t *testing.T) records.Store { return openTest(t) })
}
