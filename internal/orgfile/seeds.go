package orgfile

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// Seed records (docs/org-file.md "records"). The org file parses and checks them; the
// caller inserts them through the data layer after Apply has committed, using
// OrgSeeds.Pending, RecordSeed.Resolve and store.SetupWriter.PutSeededRecord.

// RecordSeed is one seed record of an org.
type RecordSeed struct {
	Object string         `yaml:"object"` // API name, e.g. Account, Invoice__c
	Ref    string         `yaml:"ref"`    // optional name other seeds use as "@ref"
	Fields map[string]any `yaml:"fields"` // field → string, int (int64/uint64 if huge), float64, bool or nil
	Line   int            `yaml:"-"`      // the line of the record in the file; 0 if built in Go
}

// OrgSeeds are the seed records of one org of an applied file.
type OrgSeeds struct {
	OrgID   sfid.ID
	Org     string
	Created bool // this Apply created the org
	Records []RecordSeed
}

// Pending returns the seeds to insert now, in file order: a seed with a ref unless a
// record was already seeded under that ref (r.SeededRecord), a seed without a ref only
// when this Apply created the org. After inserting a seed with a ref the caller records it
// with PutSeededRecord, so that the next apply skips it.
func (s OrgSeeds) Pending(ctx context.Context, r store.SetupReader) ([]RecordSeed, error) {
	var out []RecordSeed
	for _, rec := range s.Records {
		if rec.Ref == "" {
			if s.Created {
				out = append(out, rec)
			}
			continue
		}
		_, err := r.SeededRecord(ctx, s.OrgID, rec.Ref)
		switch {
		case errors.Is(err, store.ErrNotFound):
			out = append(out, rec)
		case err != nil:
			return nil, err
		}
	}
	return out, nil
}

// Resolve returns the seed's fields with every "@ref" value replaced by the ID lookup
// gives for ref (a record seeded earlier, in this apply or a previous one) and "@@…"
// unescaped to "@…".
func (s RecordSeed) Resolve(lookup func(ref string) (sfid.ID, bool)) (map[string]any, error) {
	out := make(map[string]any, len(s.Fields))
	for k, v := range s.Fields {
		if ref, ok := seedRef(v); ok {
			id, found := lookup(ref)
			if !found {
				return nil, fmt.Errorf("orgfile: seed %s field %s: no record seeded as %q", s.Object, k, ref)
			}
			v = string(id)
		} else if str, ok := v.(string); ok && strings.HasPrefix(str, "@@") {
			v = str[1:]
		}
		out[k] = v
	}
	return out, nil
}

// seedRef returns the ref a field value "@ref" names.
func seedRef(v any) (string, bool) {
	s, ok := v.(string)
	if !ok || !strings.HasPrefix(s, "@") || strings.HasPrefix(s, "@@") {
		return "", false
	}
	return s[1:], true
}

var (
	refRE       = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,80}$`)
	fieldNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,79}$`)
)

// records checks an org's seed records: objects named, field names, refs unique and
// "@ref" values naming an earlier record of the org.
func (v *validator) records(o *Org, p string, oo orgObjects) {
	refs := map[string]string{}
	for i := range o.Records {
		rec, rp := &o.Records[i], fmt.Sprintf("%s.records[%d]", p, i)
		v.required(rp, "object", rec.Object)
		if rec.Object != "" && !oo.seedable(rec.Object) {
			v.errorf(rp+".object", "no object %q to seed in org %q: use Account, Case, Contact, Lead, Opportunity, Task or a custom object of the org", rec.Object, o.Name)
		}
		for _, name := range sortedKeys(rec.Fields) {
			fp := rp + ".fields." + name
			if !fieldNameRE.MatchString(name) {
				v.errorf(fp, "%q is not a field name", name)
			}
			switch x := rec.Fields[name].(type) {
			case nil, string, bool, int, int64, uint64:
			case float64:
				if math.IsInf(x, 0) || math.IsNaN(x) {
					v.errorf(fp, "%v is not a number a record can hold", x)
				}
			default: // only a File built in Go can hold these
				v.errorf(fp, "expected a string, number or true/false, got %T", x)
			}
			if ref, ok := seedRef(rec.Fields[name]); ok {
				if _, known := refs[ref]; !known {
					v.errorf(fp, "no earlier record with ref %q in org %q (write @@ for a value starting with @)", ref, o.Name)
				}
			}
		}
		if rec.Ref != "" {
			if !refRE.MatchString(rec.Ref) {
				v.errorf(rp+".ref", "%q is not a ref: 1 to 80 letters, digits, _, . and -", rec.Ref)
			}
			v.unique(refs, rec.Ref, rp+".ref", "ref")
		}
	}
}

// seedLines sets the Line of every seed record from the file's positions.
func (f *File) seedLines() {
	for i := range f.Orgs {
		for j := range f.Orgs[i].Records {
			f.Orgs[i].Records[j].Line = f.line(fmt.Sprintf("orgs[%d].records[%d]", i, j))
		}
	}
}
