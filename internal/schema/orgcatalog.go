package schema

import (
	"fmt"
	"strings"
)

// prefixDigits are the characters of the last two key-prefix positions, in Salesforce's
// order (a00 … a09, a0A … a0Z, a0a … a0z, a10 …).
const prefixDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// NewOrgCatalog builds the catalog of one org: Standard() plus a custom object per spec,
// plus the custom fields extra adds to existing objects (keyed by object name, any case).
//
// Specs without a KeyPrefix get the next free one of a00, a01, … in spec order. The
// assignment depends on the order and on the other specs, so the caller must persist the
// prefixes it gets back (cat.Object(spec.Name).KeyPrefix) into the org's specs: record
// IDs start with the prefix and must stay valid across restarts.
//
// Reference fields must point at objects of the catalog; their target names are rewritten
// in canonical case. Child relationship names must be unique per parent.
func NewOrgCatalog(specs []ObjectSpec, extra map[string][]FieldSpec) (*Catalog, error) {
	objs := Standard()
	used := map[string]bool{}
	for _, o := range objs {
		used[o.KeyPrefix] = true
	}
	for _, s := range specs {
		if s.KeyPrefix != "" {
			if used[s.KeyPrefix] {
				return nil, fmt.Errorf("object %s: key prefix %s is already used", s.Name, s.KeyPrefix)
			}
			used[s.KeyPrefix] = true
		}
	}
	next := 0
	for _, s := range specs {
		if s.KeyPrefix == "" {
			for {
				if next >= len(prefixDigits)*len(prefixDigits) {
					return nil, fmt.Errorf("object %s: no free key prefix", s.Name)
				}
				p := "a" + string(prefixDigits[next/len(prefixDigits)]) + string(prefixDigits[next%len(prefixDigits)])
				next++
				if !used[p] {
					s.KeyPrefix = p
					used[p] = true
					break
				}
			}
		}
		o, err := CustomObject(s)
		if err != nil {
			return nil, err
		}
		objs = append(objs, o)
	}
	byName := map[string]*Object{}
	for _, o := range objs {
		byName[strings.ToLower(o.Name)] = o
	}
	for name, fields := range extra {
		o, ok := byName[strings.ToLower(name)]
		if !ok {
			return nil, fmt.Errorf("custom fields for unknown object %s", name)
		}
		if err := AddCustomFields(o, fields); err != nil {
			return nil, err
		}
	}
	for _, o := range objs {
		for i := range o.Fields {
			f := &o.Fields[i]
			if !f.Custom || f.Type != TypeReference {
				continue
			}
			target, ok := byName[strings.ToLower(f.ReferenceTo[0])]
			if !ok {
				return nil, fmt.Errorf("object %s: field %s refers to unknown object %s", o.Name, f.Name, f.ReferenceTo[0])
			}
			f.ReferenceTo = []string{target.Name}
		}
	}
	cat, err := NewCatalog(objs)
	if err != nil {
		return nil, err
	}
	for _, o := range objs {
		seen := map[string]string{}
		for _, cr := range cat.Children(o.Name) {
			if cr.RelationshipName == "" || cr.Field == "MasterRecordId" {
				continue
			}
			k := strings.ToLower(cr.RelationshipName)
			if prev, dup := seen[k]; dup {
				return nil, fmt.Errorf("object %s: child relationship name %s is used by %s and %s.%s", o.Name, cr.RelationshipName, prev, cr.ChildObject, cr.Field)
			}
			seen[k] = cr.ChildObject + "." + cr.Field
		}
	}
	return cat, nil
}
