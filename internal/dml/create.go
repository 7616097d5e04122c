package dml

import (
	"context"
	"fmt"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Prepare validates a create of obj from in and returns the record to insert, stamped
// with env's user and time. Nothing is written.
func Prepare(ctx context.Context, tx records.Tx, env *Env, obj *schema.Object, in Input) (records.Record, error) {
	if err := ObjectAccess(env, obj, access.Create); err != nil {
		return nil, err
	}
	rec, err := convert(ctx, tx, env, obj, in, true)
	if err != nil {
		return nil, err
	}
	stamp(env, obj, rec, true)
	return rec, nil
}

// Insert stores prepared records of obj and returns their IDs. Auto-number fields
// (Case.CaseNumber, auto-number names) get the record's sequence number, zero-padded to
// eight digits as Salesforce's default display format does.
func Insert(ctx context.Context, tx records.Tx, obj *schema.Object, recs []records.Record) ([]sfid.ID, error) {
	if len(recs) == 0 {
		return nil, nil
	}
	ids, err := tx.Insert(ctx, obj, recs)
	if err != nil {
		return nil, storeError(err)
	}
	for i := range obj.Fields {
		f := &obj.Fields[i]
		if !f.AutoNumber {
			continue
		}
		for _, id := range ids {
			n, _ := id.Sequence()
			if err := tx.Update(ctx, obj, id, records.Record{f.Name: fmt.Sprintf("%08d", n)}); err != nil {
				return nil, fmt.Errorf("numbering %s.%s: %w", obj.Name, f.Name, err)
			}
		}
	}
	return ids, nil
}

// Create validates and inserts one record.
func Create(ctx context.Context, tx records.Tx, env *Env, obj *schema.Object, in Input) (sfid.ID, error) {
	rec, err := Prepare(ctx, tx, env, obj, in)
	if err != nil {
		return "", err
	}
	ids, err := Insert(ctx, tx, obj, []records.Record{rec})
	if err != nil {
		return "", err
	}
	return ids[0], nil
}
