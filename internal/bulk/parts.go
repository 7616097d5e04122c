package bulk

import (
	"context"
	"io"

	"github.com/forcefield/forcefield/internal/sfid"
)

// partsReader reads a batch's parts of kind as one stream, one part in memory at a
// time. Close it when done reading early: that ends the store's iteration.
type partsReader struct {
	pr     *io.PipeReader
	cancel context.CancelFunc
}

func (e *Engine) openParts(ctx context.Context, orgID, batchID sfid.ID, kind string, fromRow int64) *partsReader {
	return OpenParts(ctx, e.cfg.Store, orgID, batchID, kind, fromRow)
}

// OpenParts returns a reader over the parts of kind of a batch, from the part that
// holds record fromRow.
func OpenParts(ctx context.Context, st Store, orgID, batchID sfid.ID, kind string, fromRow int64) *partsReader {
	ctx, cancel := context.WithCancel(ctx)
	pr, pw := io.Pipe()
	go func() {
		err := st.Parts(ctx, orgID, batchID, kind, fromRow, func(p Part) error {
			_, err := pw.Write(p.Data)
			return err
		})
		pw.CloseWithError(err)
	}()
	return &partsReader{pr: pr, cancel: cancel}
}

func (r *partsReader) Read(p []byte) (int, error) { return r.pr.Read(p) }

func (r *partsReader) Close() error {
	r.cancel()
	return r.pr.Close()
}
