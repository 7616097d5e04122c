package sqlite

import "github.com/forcefield/forcefield/internal/sfid"

// The fast path of RestoreOrg. A test suite resets to the same snapshot again and again,
// and between two resets a test writes a few records. SQLite's file serves one process
// (db.go), and every record write goes through recordsTx on the single writer, so this
// process knows exactly which records changed since the org last equalled a snapshot:
// recordsTx notes the IDs it writes on its wtx, and the commit adds them here.
//
// After SnapshotOrg or RestoreOrg of snapshot S the org's record tables equal S's copies.
// A later RestoreOrg of S then deletes and copies back only the records noted since (and
// rebuilds only the SOSL indexes of their tables); the Setup tables are always replaced
// whole (they are small). Anything this does not follow makes the next restore compare
// every table instead (syncRows): a Sync (DDL, index rebuilds), a restart, another
// snapshot being restored, or more than trackLimit records written.

// trackLimit bounds the IDs remembered per org; past it, the next restore compares.
const trackLimit = 20_000

// snapTracker is what the org's record tables hold, per org. Guarded by DB.wmu.
type snapTracker struct {
	orgs map[sfid.ID]*orgTrack
}

type orgTrack struct {
	snapshot int64                       // the snapshot the tables equalled
	touched  map[string]map[sfid.ID]bool // table → records written since
	n        int                         // len of every set together
	overflow bool                        // more than trackLimit: compare everything
}

// touch notes that the transaction wrote records ids of table of org.
func (w *wtx) touch(org sfid.ID, table string, ids []sfid.ID) {
	if w.touched == nil {
		w.touched = map[sfid.ID]map[string][]sfid.ID{}
	}
	if w.touched[org] == nil {
		w.touched[org] = map[string][]sfid.ID{}
	}
	w.touched[org][table] = append(w.touched[org][table], ids...)
}

// committed adds a committed transaction's writes to the orgs followed.
func (t *snapTracker) committed(touched map[sfid.ID]map[string][]sfid.ID) {
	for org, tables := range touched {
		o := t.orgs[org]
		if o == nil || o.overflow {
			continue
		}
		for table, ids := range tables {
			set := o.touched[table]
			if set == nil {
				set = map[sfid.ID]bool{}
				o.touched[table] = set
			}
			for _, id := range ids {
				if !set[id] {
					set[id] = true
					o.n++
				}
			}
		}
		if o.n > trackLimit {
			o.overflow, o.touched = true, nil
		}
	}
}

// equal records that the org's record tables now equal snapshot id's copies.
func (t *snapTracker) equal(org sfid.ID, id int64) {
	if t.orgs == nil {
		t.orgs = map[sfid.ID]*orgTrack{}
	}
	t.orgs[org] = &orgTrack{snapshot: id, touched: map[string]map[sfid.ID]bool{}}
}

// forget stops following the org: its next restore compares every table.
func (t *snapTracker) forget(org sfid.ID) { delete(t.orgs, org) }

// since returns the records written since the org equalled snapshot id, or false when
// that is not known.
func (t *snapTracker) since(org sfid.ID, id int64) (map[string]map[sfid.ID]bool, bool) {
	o := t.orgs[org]
	if o == nil || o.overflow || o.snapshot != id {
		return nil, false
	}
	return o.touched, true
}
