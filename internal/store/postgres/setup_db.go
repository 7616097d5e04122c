package postgres

import (
	"context"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// DB's store.SetupReader: the reader over the pool (database/sql, whose pgx connections
// cache prepared statements). Delegating methods rather than an embedded reader keep
// db.go's DB struct as it is.

func (db *DB) setup() reader { return reader{q: db.sql} }

func (db *DB) Orgs(ctx context.Context) ([]org.Org, error)          { return db.setup().Orgs(ctx) }
func (db *DB) Org(ctx context.Context, id sfid.ID) (org.Org, error) { return db.setup().Org(ctx, id) }
func (db *DB) OrgByName(ctx context.Context, name string) (org.Org, error) {
	return db.setup().OrgByName(ctx, name)
}
func (db *DB) Profiles(ctx context.Context, orgID sfid.ID) ([]org.Profile, error) {
	return db.setup().Profiles(ctx, orgID)
}
func (db *DB) Profile(ctx context.Context, id sfid.ID) (org.Profile, error) {
	return db.setup().Profile(ctx, id)
}
func (db *DB) PermissionSets(ctx context.Context, orgID sfid.ID) ([]org.PermissionSet, error) {
	return db.setup().PermissionSets(ctx, orgID)
}
func (db *DB) PermissionSet(ctx context.Context, id sfid.ID) (org.PermissionSet, error) {
	return db.setup().PermissionSet(ctx, id)
}
func (db *DB) Users(ctx context.Context, orgID sfid.ID) ([]org.User, error) {
	return db.setup().Users(ctx, orgID)
}
func (db *DB) User(ctx context.Context, id sfid.ID) (org.User, error) {
	return db.setup().User(ctx, id)
}
func (db *DB) UserByUsername(ctx context.Context, username string) (org.User, error) {
	return db.setup().UserByUsername(ctx, username)
}
func (db *DB) ConnectedApps(ctx context.Context, orgID sfid.ID) ([]org.ConnectedApp, error) {
	return db.setup().ConnectedApps(ctx, orgID)
}
func (db *DB) ConnectedApp(ctx context.Context, id sfid.ID) (org.ConnectedApp, error) {
	return db.setup().ConnectedApp(ctx, id)
}
func (db *DB) Credentials(ctx context.Context, appID sfid.ID) ([]org.Credential, error) {
	return db.setup().Credentials(ctx, appID)
}
func (db *DB) CredentialsByKey(ctx context.Context, consumerKey string) ([]org.Credential, error) {
	return db.setup().CredentialsByKey(ctx, consumerKey)
}
func (db *DB) CustomObjects(ctx context.Context, orgID sfid.ID) ([]schema.ObjectSpec, error) {
	return db.setup().CustomObjects(ctx, orgID)
}
func (db *DB) SeededRecord(ctx context.Context, orgID sfid.ID, ref string) (sfid.ID, error) {
	return db.setup().SeededRecord(ctx, orgID, ref)
}
