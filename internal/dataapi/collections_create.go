package dataapi

import (
	"context"

	"github.com/forcefield/forcefield/internal/dml"
	"github.com/forcefield/forcefield/internal/records"
)

// createAll creates the records of a POST /composite/sobjects (salesforce-rest.md §7) with
// one multi-row INSERT when they are all of one object and all valid, filling results,
// and reports whether it did. Otherwise it leaves the transaction as it found it (a failed
// INSERT statement leaves no row behind) and the caller creates the records one at a time,
// which is what attributes each error to its record — including a unique value repeated
// inside the request, which only the one-at-a-time path sees as DUPLICATE_VALUE on the
// later record. The one-at-a-time path costs an INSERT statement (parsed, bound, stepped)
// per record: requests of 200 Accounts went from 56 to 163 a second on the benchmark
// machine with this path (docs/performance.md, "Data API").
func (d *data) createAll(ctx context.Context, tx records.Tx, env *dml.Env, inputs []dml.Input, results []collectionResult) (bool, error) {
	if len(inputs) < 2 {
		return false, nil
	}
	recs := make([]records.Record, len(inputs))
	first, err := recordType(env, inputs[0])
	if err != nil {
		return false, nil
	}
	for i, in := range inputs {
		obj, err := recordType(env, in)
		if err != nil || obj.Name != first.Name {
			return false, nil
		}
		if recs[i], err = dml.Prepare(ctx, tx, env, obj, in); err != nil {
			if _, ok := asRecordError(err); ok {
				return false, nil
			}
			return false, err
		}
	}
	ids, err := dml.Insert(ctx, tx, first, recs)
	if err != nil {
		if _, ok := asRecordError(err); ok {
			return false, nil
		}
		return false, err
	}
	for i, id := range ids {
		results[i] = collectionResult{ID: string(id), Success: true, Errors: []recordError{}}
	}
	return true, nil
}
