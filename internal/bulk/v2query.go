package bulk

import (
	"context"
	"errors"
)

// runV2Query runs a Bulk 2.0 query job: InProgress, the query as its user streamed into
// result parts, then JobComplete with numberRecordsProcessed = the rows stored (sf data
// export bulk closes its JSON output on that count). A query that cannot run any more
// (the user lost access since the create) fails the job with the query's error.
func (e *Engine) runV2Query(ctx context.Context, j *Job) error {
	j, err := e.startV2(ctx, j)
	if j == nil || err != nil {
		return err
	}
	batches, err := e.cfg.Store.Batches(ctx, j.OrgID, j.ID)
	if err != nil {
		return err
	}
	if len(batches) != 1 {
		return errors.New("bulk: a query job without its query batch")
	}
	b := batches[0]
	rows, size, err := e.runQuery(ctx, j, b, CSVRows{Format: CSVFormat(j)})
	if errors.Is(err, errBatchEnded) {
		return nil // aborted before it ran
	}
	var be *Error
	if errors.As(err, &be) {
		e.endBatch(ctx, j, b, BatchFailed, be.Message)
		e.failJob(ctx, j, be.Message)
		return nil
	}
	if err != nil {
		return err
	}
	e.endBatch(ctx, j, b, BatchCompleted, "")
	e.cfg.Usage.UseN(LimitQueryStorage, j.OrgID, int((size+(1<<20)-1)>>20), DailyMax[LimitQueryStorage])
	_, err = e.cfg.Store.UpdateJob(ctx, j.OrgID, j.ID, func(cur *Job) error {
		if cur.State != StateInProgress {
			return errAlreadyEnded
		}
		cur.State, cur.SystemModstamp = StateJobComplete, e.orgNow(j.OrgID)
		cur.RecordsProcessed, cur.ResultBytes = rows, size
		cur.ProcessingMillis = b.ProcessingMillis
		return nil
	})
	if errors.Is(err, errAlreadyEnded) {
		return nil
	}
	return err
}
