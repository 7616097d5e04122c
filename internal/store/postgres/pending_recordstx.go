package postgres

// THROWAWAY (helper pgbulk, issue 12): bulk.Store.Apply needs records.Tx on its write
// transaction, which helper pgrecords builds (records_*.go). Until their branch is merged
// here, this placeholder refuses every record write with errors.ErrUnsupported, so the
// package compiles. Delete this file when records_*.go defines
//
//	func newRecordsTx(w *wtx, orgID sfid.ID) records.Tx
//
// (records.Tx over w.tx — the same *sql.Tx as the batch's progress).

import (
	"context"
	"errors"
	"time"

	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

func newRecordsTx(w *wtx, orgID sfid.ID) records.Tx { return pendingRecordsTx{} }

type pendingRecordsTx struct{}

func (pendingRecordsTx) Insert(context.Context, *schema.Object, []records.Record) ([]sfid.ID, error) {
	return nil, errors.ErrUnsupported
}
func (pendingRecordsTx) Update(context.Context, *schema.Object, sfid.ID, records.Record) error {
	return errors.ErrUnsupported
}
func (pendingRecordsTx) Delete(context.Context, *schema.Object, []sfid.ID, time.Time) error {
	return errors.ErrUnsupported
}
func (pendingRecordsTx) Purge(context.Context, *schema.Object, []sfid.ID, time.Time) error {
	return errors.ErrUnsupported
}
func (pendingRecordsTx) Get(context.Context, *schema.Object, []sfid.ID, []string) ([]records.Record, error) {
	return nil, errors.ErrUnsupported
}
func (pendingRecordsTx) Find(context.Context, *schema.Object, string, any) ([]sfid.ID, error) {
	return nil, errors.ErrUnsupported
}
