package orgfile

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/schema"
)

// Custom object key prefixes: a, then two base-62 digits (a00, a01, … a0z, a10, …, azz),
// as Salesforce numbers an org's custom objects. Standard objects' prefixes start with 0
// or 5, so these never collide with them.
const (
	prefixDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	maxPrefixes  = 62 * 62
)

// prefixNumber returns n for the prefix "a" + base62(n), or -1 for any other string.
func prefixNumber(p string) int {
	if len(p) != 3 || p[0] != 'a' {
		return -1
	}
	hi, lo := strings.IndexByte(prefixDigits, p[1]), strings.IndexByte(prefixDigits, p[2])
	if hi < 0 || lo < 0 {
		return -1
	}
	return hi*62 + lo
}

func prefixOf(n int) string {
	return "a" + string(prefixDigits[n/62]) + string(prefixDigits[n%62])
}

// customObjects merges an org's objects list into its stored specs and stores the result
// when anything changed. An entry replaces the stored spec of the same name (ignoring
// case) but keeps its key prefix; a new custom object gets the prefix after the highest
// ever stored, so no prefix is reused; stored specs the file does not mention stay, in
// place. Custom fields on a standard object have no prefix.
func (a *applier) customObjects(fo *Org, o org.Org) error {
	if len(fo.Objects) == 0 {
		return nil
	}
	stored, err := a.w.CustomObjects(a.ctx, o.ID)
	if err != nil {
		return err
	}
	specs := slices.Clone(stored)
	next := 0
	for _, s := range stored {
		next = max(next, prefixNumber(s.KeyPrefix)+1)
	}
	changed := false
	for _, spec := range fo.Objects {
		want := cloneSpec(spec)
		i := slices.IndexFunc(specs, func(s schema.ObjectSpec) bool { return strings.EqualFold(s.Name, spec.Name) })
		isNew, same := i < 0, false
		custom := strings.HasSuffix(want.Name, "__c")
		if isNew {
			if custom {
				if next >= maxPrefixes {
					a.errs = append(a.errs, a.f.errorf("", "org %q has used all %d custom object key prefixes", o.Name, maxPrefixes))
					return nil
				}
				want.KeyPrefix = prefixOf(next)
				next++
			}
			specs = append(specs, want)
		} else {
			want.KeyPrefix = specs[i].KeyPrefix
			same = sameSpec(specs[i], want)
			specs[i] = want
		}
		changed = changed || !same
		switch {
		case isNew:
			a.res.CustomObjects.Created++
		case same:
			a.res.CustomObjects.Unchanged++
		default:
			a.res.CustomObjects.Updated++
		}
		kind := "custom object"
		if !custom {
			kind = "custom fields on"
		}
		if err := a.audit(o.ID, isNew, same, org.AuditSectionCustomObjects, kind, want.Name, ""); err != nil {
			return err
		}
	}
	if !changed {
		return nil
	}
	return a.w.PutCustomObjects(a.ctx, o.ID, specs)
}

// sameSpec compares specs as they are stored (JSON), so that a default of 5 read back as
// 5.0 is the same.
func sameSpec(a, b schema.ObjectSpec) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

func cloneSpec(s schema.ObjectSpec) schema.ObjectSpec {
	s.Fields = slices.Clone(s.Fields)
	for i := range s.Fields {
		s.Fields[i].Values = slices.Clone(s.Fields[i].Values)
	}
	return s
}

func cloneSeeds(rs []RecordSeed) []RecordSeed {
	out := slices.Clone(rs)
	for i := range out {
		out[i].Fields = maps.Clone(out[i].Fields)
	}
	return out
}

// sameGrants reports whether two profiles' or permission sets' grants are equal.
func sameGrants(oldObjs []org.ObjectPermission, oldFields []org.FieldPermission, objs []org.ObjectPermission, fields []org.FieldPermission) bool {
	return slices.Equal(oldObjs, objs) && slices.Equal(oldFields, fields)
}
