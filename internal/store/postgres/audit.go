package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// The setup audit trail (Salesforce's SetupAuditTrail object), table setup_audit_trail.

const auditCols = "id, org_id, created_date, created_by, action, section, object_id, display, delegate_user"

// AddSetupAudit inserts a setup audit trail row in the writer's transaction.
func (s *setupWriter) AddSetupAudit(ctx context.Context, e *org.SetupAuditEvent) error {
	if !e.ID.IsZero() {
		return fmt.Errorf("postgres: add setup audit row: rows are never updated (ID %s given)", e.ID)
	}
	if e.CreatedDate.IsZero() {
		e.CreatedDate = nowMS()
	}
	e.CreatedDate = truncMS(e.CreatedDate)
	id, err := s.w.ids.next(ctx, sfid.PrefixSetupAuditTrail)
	if err != nil {
		return err
	}
	_, err = s.w.tx.ExecContext(ctx, "INSERT INTO setup_audit_trail ("+auditCols+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		string(id), nullID(e.OrgID), e.CreatedDate.UnixMilli(), e.CreatedBy, e.Action, e.Section,
		nullID(e.ObjectID), e.Display, e.DelegateUser)
	if err != nil {
		return fmt.Errorf("postgres: add setup audit row: %w", mapErr(err))
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

// SetupAuditTrail lists rows matching f, newest CreatedDate first, ties newest ID first
// (IDs in byte order, as SQLite compares them).
func (db *DB) SetupAuditTrail(ctx context.Context, f store.AuditFilter) ([]org.SetupAuditEvent, error) {
	cond, args := "", []any{}
	if !f.OrgID.IsZero() {
		cond, args = "org_id = $1", append(args, string(f.OrgID))
	}
	out, err := queryAll(ctx, db.sql, scanAudit, "SELECT "+auditCols+" FROM setup_audit_trail"+where(cond)+
		` ORDER BY created_date DESC, id COLLATE "C" DESC`+limitSQL(f.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: setup audit trail: %w", err)
	}
	return out, nil
}

// DeleteExpiredCredentials removes the pairs that expired at or before now.
func (s *setupWriter) DeleteExpiredCredentials(ctx context.Context, at time.Time) ([]org.Credential, error) {
	out, err := queryAll(ctx, s.w.tx, scanCredential,
		"DELETE FROM credentials WHERE expires_at IS NOT NULL AND expires_at <= $1 RETURNING "+credentialCols,
		at.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("postgres: delete expired credentials: %w", err)
	}
	return out, nil
}
