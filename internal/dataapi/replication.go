package dataapi

// getUpdated and getDeleted (salesforce-rest-more.md §2; REST API Developer Guide,
// "Get a List of Updated Records" resources_getupdated.htm and "Get a List of Deleted
// Records" resources_getdeleted.htm; SOAP API Developer Guide, getUpdated() and
// getDeleted() for the window rules):
//
//	GET /sobjects/{T}/updated/?start=<dateTime>&end=<dateTime>
//	GET /sobjects/{T}/deleted/?start=<dateTime>&end=<dateTime>
//
// Decisions where Salesforce's behaviour is not documented (UNCONFIRMED in the
// reference, §11 item 3):
//   - Every error is HTTP 400. A missing start or end is MISSING_ARGUMENT "start not
//     specified"; an unparseable one is INVALID_REPLICATION_DATE "startDate is not a valid
//     dateTime: <value>"; a start too far back is INVALID_REPLICATION_DATE "startDate
//     cannot be more than 30 days ago" (15 for deleted); over 600,000 IDs is
//     EXCEEDED_ID_LIMIT "ID limit exceeded: more than 600000 IDs in the window".
//   - The window is [start, end) on minute-truncated bounds; the answer is in change
//     order (oldest first).
//   - latestDateCovered is end truncated to the minute — or, when end is still to come,
//     the current minute (never before start): changes of the current minute are then
//     left to the next call, which starts there. Salesforce only promises
//     latestDateCovered ≤ end.
//   - The org's "replication enabled date" is the start (00:00 UTC) of the day the org
//     was created: an emulated org is created when its org file is first applied, and an
//     integration pointed at it at once may look a little back, as it would at an org
//     that has existed for a while. A start before that day is refused with Salesforce's
//     message.
//   - Setup objects (User, Profile, PermissionSet, Organization) answer from their
//     SystemModstamp and never have deletes (Forcefield deletes no Setup row); one
//     without SystemModstamp (LoginHistory) is INVALID_TYPE, as is an object that is not
//     replicateable.

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/dml"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
)

// getUpdated and getDeleted are the sub-resources /sobjects/{T}/updated and …/deleted.
func getUpdated(d *data, w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, obj *schema.Object, rest []string) error {
	return d.replication(w, r, c, env, obj, rest, false)
}

func getDeleted(d *data, w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, obj *schema.Object, rest []string) error {
	return d.replication(w, r, c, env, obj, rest, true)
}

// Replication limits (getUpdated(), getDeleted(): "the start date … must be within the
// last 30 days" for updated, 15 for deleted; "more than 600,000 IDs" fails).
const (
	updatedDays = 30
	deletedDays = 15
)

// maxReplicationIDs is the most IDs one call returns (a variable so tests can lower it).
var maxReplicationIDs = 600000

// replicationWindow is a checked request window.
type replicationWindow struct {
	start, end time.Time // minute-truncated, UTC
	covered    time.Time // latestDateCovered: the window's real end
	earliest   time.Time // earliestDateAvailable (deleted)
}

// checkWindow applies §2.3 to the start and end parameters of a request made at now
// in an org created at orgCreated; deleted selects getDeleted's limits.
func checkWindow(startRaw, endRaw string, hasStart, hasEnd bool, now, orgCreated time.Time, deleted bool) (replicationWindow, error) {
	var w replicationWindow
	for _, p := range []struct {
		name string
		has  bool
	}{{"start", hasStart}, {"end", hasEnd}} {
		if !p.has {
			return w, &apierror.Error{Status: http.StatusBadRequest, Code: "MISSING_ARGUMENT", Message: p.name + " not specified"}
		}
	}
	start, err := parseReplicationDate(startRaw)
	if err != nil {
		return w, replicationError("startDate is not a valid dateTime: " + startRaw)
	}
	end, err := parseReplicationDate(endRaw)
	if err != nil {
		return w, replicationError("endDate is not a valid dateTime: " + endRaw)
	}
	w.start, w.end = start.Truncate(time.Minute), end.Truncate(time.Minute)
	if w.end.Sub(w.start) < time.Minute {
		// Salesforce's own wording, inverted as it is (restforce#667).
		return w, replicationError("startDate must be at least one minute greater than endDate")
	}
	enabled := orgCreated.UTC().Truncate(24 * time.Hour)
	if w.start.Before(enabled) {
		return w, replicationError("startDate before org replication enabled date") // jsforce#406
	}
	days := updatedDays
	if deleted {
		days = deletedDays
	}
	oldest := now.UTC().AddDate(0, 0, -days).Truncate(time.Minute)
	if w.start.Before(oldest) {
		return w, replicationError("startDate cannot be more than " + strconv.Itoa(days) + " days ago")
	}
	w.covered = now.UTC().Truncate(time.Minute)
	if w.covered.Before(w.start) {
		w.covered = w.start
	}
	if w.covered.After(w.end) {
		w.covered = w.end
	}
	w.earliest = oldest
	if enabled.After(oldest) {
		w.earliest = enabled
	}
	return w, nil
}

func replicationError(msg string) error {
	return &apierror.Error{Status: http.StatusBadRequest, Code: "INVALID_REPLICATION_DATE", Message: msg}
}

// replication serves getUpdated (deleted false) and getDeleted.
func (d *data) replication(w http.ResponseWriter, r *http.Request, c *Caller, env *dml.Env, obj *schema.Object, rest []string, deleted bool) error {
	if len(rest) != 0 {
		return apierror.ErrNotFound
	}
	if err := allow(r, http.MethodGet); err != nil {
		return err
	}
	if !obj.Replicateable {
		return &apierror.Error{Status: http.StatusBadRequest, Code: "INVALID_TYPE",
			Message: "sObject type '" + obj.Name + "' is not supported."}
	}
	q := r.URL.Query()
	_, hasStart := q["start"]
	_, hasEnd := q["end"]
	win, err := checkWindow(q.Get("start"), q.Get("end"), hasStart, hasEnd, env.Now, c.Org.CreatedAt, deleted)
	if err != nil {
		return err
	}
	cw := records.ChangeWindow{Start: win.start, End: win.covered, Limit: maxReplicationIDs + 1}
	if v := env.Acc.ReadVisibility(obj); v.Restricted && v.Field == "OwnerId" {
		cw.OwnerID = v.UserID // a Private default: the user's own records only, as in SOQL
	}
	tooMany := &apierror.Error{Status: http.StatusBadRequest, Code: "EXCEEDED_ID_LIMIT",
		Message: "ID limit exceeded: more than " + strconv.Itoa(maxReplicationIDs) + " IDs in the window"}
	if !deleted {
		ids, err := d.store.Updated(r.Context(), c.Org.ID, obj, cw)
		if err != nil {
			return replicationStoreError(obj, err)
		}
		if len(ids) > maxReplicationIDs {
			return tooMany
		}
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = string(id)
		}
		return WriteJSON(w, http.StatusOK, object{
			{"ids", out},
			{"latestDateCovered", replicationDate(win.covered)},
		})
	}
	dels, err := d.store.Deleted(r.Context(), c.Org.ID, obj, cw)
	if err != nil {
		return replicationStoreError(obj, err)
	}
	if len(dels) > maxReplicationIDs {
		return tooMany
	}
	out := make([]any, len(dels))
	for i, del := range dels {
		out[i] = object{{"deletedDate", replicationDate(del.DeletedDate)}, {"id", string(del.ID)}}
	}
	return WriteJSON(w, http.StatusOK, object{
		{"deletedRecords", out},
		{"earliestDateAvailable", replicationDate(win.earliest)},
		{"latestDateCovered", replicationDate(win.covered)},
	})
}

func replicationStoreError(obj *schema.Object, err error) error {
	if errors.Is(err, records.ErrUnknownObject) {
		return &apierror.Error{Status: http.StatusBadRequest, Code: "INVALID_TYPE",
			Message: "sObject type '" + obj.Name + "' is not supported."}
	}
	return err
}

// replicationDate is the date form of these resources: 2013-05-08T21:20:00.000+0000.
func replicationDate(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000+0000")
}

// errBadDate is any date parseReplicationDate refuses.
var errBadDate = errors.New("not a replication dateTime")

// parseReplicationDate reads the start or end of getUpdated/getDeleted leniently (§2.1):
//
//	2026-11-03T10:14:42+00:00   jsforce and simple-salesforce with an aware datetime
//	2026-11-03T10:14:42Z        2026-11-03T10:14:42+0000   2026-11-03T10:14:42.000+0000
//	2026-11-03T10:14:42 00:00   a "+" the query string decoded to a space
//	2026-11-03T10:14:42:        simple-salesforce with a naive datetime (empty %z): UTC
//	2026-11-03T10:14:42         no zone: UTC
//	2026-11-03T10:14            seconds may be left out
//
// Other offsets (+05:30, -0800) are honoured. The value is returned in UTC; the caller
// truncates it.
func parseReplicationDate(s string) (time.Time, error) {
	num := func(s string) (int, bool) {
		if s == "" {
			return 0, false
		}
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	if len(s) < 16 || len(s) > 64 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' {
		return time.Time{}, errBadDate
	}
	year, ok1 := num(s[0:4])
	month, ok2 := num(s[5:7])
	day, ok3 := num(s[8:10])
	hour, ok4 := num(s[11:13])
	minute, ok5 := num(s[14:16])
	if !(ok1 && ok2 && ok3 && ok4 && ok5) {
		return time.Time{}, errBadDate
	}
	rest := s[16:]
	sec, nsec := 0, 0
	if len(rest) >= 3 && rest[0] == ':' && rest[1] >= '0' && rest[1] <= '9' {
		n, ok := num(rest[1:3])
		if !ok {
			return time.Time{}, errBadDate
		}
		sec, rest = n, rest[3:]
		if len(rest) > 0 && rest[0] == '.' {
			i := 1
			for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
				i++
			}
			if i == 1 || i > 10 {
				return time.Time{}, errBadDate
			}
			frac, _ := num(rest[1:i])
			for k := i - 1; k < 9; k++ {
				frac *= 10
			}
			nsec, rest = frac, rest[i:]
		}
	}
	offset := 0
	switch {
	case rest == "", rest == ":", rest == "Z", rest == "z":
	case rest[0] == '+' || rest[0] == '-' || rest[0] == ' ':
		zone := strings.Replace(rest[1:], ":", "", 1)
		if len(zone) != 4 {
			return time.Time{}, errBadDate
		}
		zh, ok1 := num(zone[:2])
		zm, ok2 := num(zone[2:])
		if !ok1 || !ok2 || zh > 23 || zm > 59 {
			return time.Time{}, errBadDate
		}
		offset = zh*3600 + zm*60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, errBadDate
	}
	if month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, errBadDate
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.FixedZone("", offset))
	if t.Day() != day { // 2026-02-30
		return time.Time{}, errBadDate
	}
	return t.UTC(), nil
}
