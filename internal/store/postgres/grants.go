package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// What issue 3 (the data API) adds to Setup: the object and field permissions of profiles
// and permission sets, an org's custom object specs, and the seed records an org file
// inserted (SQLite's migration 0005, here in 0002).

// objectPermJSON is the stored form of an org.ObjectPermission (column object_permissions).
type objectPermJSON struct {
	Object    string `json:"object"`
	Read      bool   `json:"read,omitempty"`
	Create    bool   `json:"create,omitempty"`
	Edit      bool   `json:"edit,omitempty"`
	Delete    bool   `json:"delete,omitempty"`
	ViewAll   bool   `json:"viewAll,omitempty"`
	ModifyAll bool   `json:"modifyAll,omitempty"`
}

// fieldPermJSON is the stored form of an org.FieldPermission (column field_permissions).
type fieldPermJSON struct {
	Field string `json:"field"`
	Read  bool   `json:"read,omitempty"`
	Edit  bool   `json:"edit,omitempty"`
}

// encodeGrants returns the object_permissions and field_permissions columns.
func encodeGrants(ops []org.ObjectPermission, fps []org.FieldPermission) (string, string, error) {
	objs := make([]objectPermJSON, len(ops))
	for i, p := range ops {
		objs[i] = objectPermJSON(p)
	}
	fields := make([]fieldPermJSON, len(fps))
	for i, p := range fps {
		fields[i] = fieldPermJSON(p)
	}
	o, err := json.Marshal(objs)
	if err != nil {
		return "", "", err
	}
	f, err := json.Marshal(fields)
	return string(o), string(f), err
}

// decodeGrants is the inverse of encodeGrants; empty lists come back nil.
func decodeGrants(objs, fields string) ([]org.ObjectPermission, []org.FieldPermission, error) {
	var oj []objectPermJSON
	var fj []fieldPermJSON
	if objs != "" && objs != "[]" {
		if err := json.Unmarshal([]byte(objs), &oj); err != nil {
			return nil, nil, fmt.Errorf("decode object permissions: %w", err)
		}
	}
	if fields != "" && fields != "[]" {
		if err := json.Unmarshal([]byte(fields), &fj); err != nil {
			return nil, nil, fmt.Errorf("decode field permissions: %w", err)
		}
	}
	var ops []org.ObjectPermission
	for _, p := range oj {
		ops = append(ops, org.ObjectPermission(p))
	}
	var fps []org.FieldPermission
	for _, p := range fj {
		fps = append(fps, org.FieldPermission(p))
	}
	return ops, fps, nil
}

func (r reader) CustomObjects(ctx context.Context, orgID sfid.ID) ([]schema.ObjectSpec, error) {
	specs, err := queryAll(ctx, r.q, func(s scanner) (schema.ObjectSpec, error) {
		var spec schema.ObjectSpec
		var js string
		if err := s.Scan(&js); err != nil {
			return spec, err
		}
		if err := json.Unmarshal([]byte(js), &spec); err != nil {
			return spec, fmt.Errorf("decode object spec: %w", err)
		}
		return spec, nil
	}, "SELECT spec FROM custom_objects WHERE org_id = $1 ORDER BY position", string(orgID))
	if err != nil {
		return nil, fmt.Errorf("postgres: custom objects of %s: %w", orgID, err)
	}
	return specs, nil
}

func (r reader) SeededRecord(ctx context.Context, orgID sfid.ID, ref string) (sfid.ID, error) {
	var id sfid.ID
	err := r.q.QueryRowContext(ctx, "SELECT record_id FROM seeded_records WHERE org_id = $1 AND ref = $2",
		string(orgID), ref).Scan(&id)
	if err != nil {
		return "", fmt.Errorf("postgres: seeded record %q of %s: %w", ref, orgID, mapErr(err))
	}
	return id, nil
}

func (s *setupWriter) PutCustomObjects(ctx context.Context, orgID sfid.ID, specs []schema.ObjectSpec) error {
	tx := s.w.tx
	fail := func(err error) error { return fmt.Errorf("postgres: put custom objects of %s: %w", orgID, err) }
	// Locking the org row makes racing replacements of one org's specs take turns: the
	// second's DELETE then sees the first's rows (READ COMMITTED takes a new snapshot per
	// statement) instead of colliding with them on the primary key. NO KEY UPDATE leaves
	// inserts that reference the org free to proceed.
	var exists int
	if err := tx.QueryRowContext(ctx, "SELECT 1 FROM orgs WHERE id = $1 FOR NO KEY UPDATE", string(orgID)).Scan(&exists); err != nil {
		return fail(mapErr(err))
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM custom_objects WHERE org_id = $1", string(orgID)); err != nil {
		return fail(err)
	}
	for i, spec := range specs {
		b, err := json.Marshal(spec)
		if err != nil {
			return fail(fmt.Errorf("object %s: %w", spec.Name, err))
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO custom_objects (org_id, position, name, spec) VALUES ($1, $2, $3, $4)",
			string(orgID), i, spec.Name, string(b)); err != nil {
			return fail(mapErr(err))
		}
	}
	return nil
}

func (s *setupWriter) PutSeededRecord(ctx context.Context, orgID sfid.ID, ref string, recordID sfid.ID) error {
	if ref == "" || recordID.IsZero() {
		return errors.New("postgres: put seeded record: empty ref or record ID")
	}
	_, err := s.w.tx.ExecContext(ctx, "INSERT INTO seeded_records (org_id, ref, record_id) VALUES ($1, $2, $3)",
		string(orgID), ref, string(recordID))
	if err != nil {
		return fmt.Errorf("postgres: put seeded record %q of %s: %w", ref, orgID, mapErr(err))
	}
	return nil
}

var _ store.SetupWriter = (*setupWriter)(nil)
