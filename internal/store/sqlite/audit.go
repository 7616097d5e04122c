package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

const auditCols = "id, org_id, created_date, created_by, action, section, object_id, display, delegate_user"

// AddSetupAudit inserts a setup audit trail row in the writer's transaction.
func (s *setupWriter) AddSetupAudit(ctx context.Context, e *org.SetupAuditEvent) error {
	if !e.ID.IsZero() {
		return fmt.Errorf("sqlite: add setup audit row: rows are never updated (ID %s given)", e.ID)
	}
	if e.CreatedDate.IsZero() {
		e.CreatedDate = now()
	}
	e.CreatedDate = truncMillis(e.CreatedDate)
	id, err := s.w.ids.next(ctx, sfid.PrefixSetupAuditTrail)
	if err != nil {
		return err
	}
	_, err = s.w.tx.ExecContext(ctx, "INSERT INTO setup_audit_trail ("+auditCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		string(id), nullID(e.OrgID), e.CreatedDate.UnixMilli(), e.CreatedBy, e.Action, e.Section,
		nullID(e.ObjectID), e.Display, e.DelegateUser)
	if err != nil {
		return fmt.Errorf("sqlite: add setup audit row: %w", mapErr(err))
	}
	e.ID = id
	return nil
}

func scanAudit(s scanner) (org.SetupAuditEvent, error) {
	var e org.SetupAuditEvent
	var orgID, objID sql.NullString
	var created int64
	err := s.Scan(&e.ID, &orgID, &created, &e.CreatedBy, &e.Action, &e.Section, &objID, &e.Display, &e.DelegateUser)
	e.OrgID, e.ObjectID = fromNullID(orgID), fromNullID(objID)
	e.CreatedDate = time.UnixMilli(created).UTC()
	return e, err
}

// SetupAuditTrail lists rows matching f, newest CreatedDate first, ties newest ID first.
func (db *DB) SetupAuditTrail(ctx context.Context, f store.AuditFilter) ([]org.SetupAuditEvent, error) {
	where, args := "", []any{}
	if !f.OrgID.IsZero() {
		where, args = " WHERE org_id = ?", append(args, string(f.OrgID))
	}
	out, err := queryAll(ctx, db.r, scanAudit, "SELECT "+auditCols+" FROM setup_audit_trail"+where+
		" ORDER BY created_date DESC, id DESC"+limitSQL(f.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: setup audit trail: %w", err)
	}
	return out, nil
}

// DeleteExpiredCredentials removes the pairs that expired at or before now.
func (s *setupWriter) DeleteExpiredCredentials(ctx context.Context, at time.Time) ([]org.Credential, error) {
	out, err := queryAll(ctx, s.w.tx, scanCredential,
		"DELETE FROM credentials WHERE expires_at IS NOT NULL AND expires_at <= ? RETURNING "+credentialCols,
		at.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("sqlite: delete expired credentials: %w", err)
	}
	return out, nil
}
