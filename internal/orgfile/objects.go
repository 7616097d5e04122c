package orgfile

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/forcefield/forcefield/internal/schema"
)

// Custom objects and custom fields (docs/org-file.md "objects"). The file checks what it
// can see by itself — names, types, references, picklist values, duplicates; the full
// rules (lengths, precision ranges, defaults) belong to schema.NewOrgCatalog, which builds
// the org's catalog from the stored specs.

// StandardDataObjects are the standard objects whose records the data API stores: what a
// reference field, a custom field extension or a seed record may name.
var StandardDataObjects = []string{"Account", "Contact", "Lead", "Opportunity", "Case", "Task", "User"}

// StandardSetupObjects are the read-only Setup objects a profile may also grant on.
var StandardSetupObjects = []string{"Organization", "Profile", "PermissionSet", "LoginHistory"}

// apiNameRE is the shape of an API name without its __c suffix: a letter, then letters,
// digits and single underscores, not ending in an underscore (Salesforce's rule for
// object and field names).
var apiNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,39}$`)

// customName reports whether name is a well-formed custom (__c) API name.
func customName(name string) bool {
	base, ok := strings.CutSuffix(name, "__c")
	return ok && apiNameRE.MatchString(base) && !strings.Contains(base, "__") && !strings.HasSuffix(base, "_")
}

// fieldTypes are the types a custom field may have (schema.FieldType; id is the
// server's own).
var fieldTypes = []schema.FieldType{
	schema.TypeString, schema.TypeTextArea, schema.TypeEmail, schema.TypePhone, schema.TypeURL,
	schema.TypeBoolean, schema.TypeInt, schema.TypeDouble, schema.TypeCurrency, schema.TypePercent,
	schema.TypeDate, schema.TypeDateTime, schema.TypePicklist, schema.TypeMultiPicklist,
	schema.TypeCombobox, schema.TypeReference, schema.TypeLocation,
}

// orgObjects is what an org's objects list declares, for the checks of grants and seeds.
type orgObjects struct {
	custom map[string]bool            // custom object names as declared
	fields map[string]map[string]bool // object name → its declared custom field names
}

// grantable reports whether a profile may grant on object (standard, Setup, or a custom
// object of the org); names are exact, as in the metadata API.
func (oo orgObjects) grantable(object string) bool {
	return slices.Contains(StandardDataObjects, object) || slices.Contains(StandardSetupObjects, object) || oo.custom[object]
}

// seedable reports whether a seed record may be of object.
func (oo orgObjects) seedable(object string) bool {
	return (slices.Contains(StandardDataObjects, object) && object != "User") || oo.custom[object]
}

// knownObjectsHint lists what an object name may be, for messages.
func knownObjectsHint(oo orgObjects, withSetup bool) string {
	names := slices.Clone(StandardDataObjects)
	if withSetup {
		names = append(names, StandardSetupObjects...)
	}
	for n := range oo.custom {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// objects checks an org's objects list and returns what it declares.
func (v *validator) objects(o *Org, p string) orgObjects {
	oo := orgObjects{custom: map[string]bool{}, fields: map[string]map[string]bool{}}
	for _, spec := range o.Objects {
		if customName(spec.Name) {
			oo.custom[spec.Name] = true
		}
	}
	seen := map[string]string{}
	for i := range o.Objects {
		spec, sp := &o.Objects[i], fmt.Sprintf("%s.objects[%d]", p, i)
		v.required(sp, "name", spec.Name)
		v.unique(seen, strings.ToLower(spec.Name), sp+".name", "object")
		switch {
		case spec.Name == "":
		case strings.HasSuffix(spec.Name, "__c"):
			if !customName(spec.Name) {
				v.errorf(sp+".name", "%q is not a custom object name: letters, digits and single underscores, starting with a letter, at most 40 characters before the __c suffix", spec.Name)
			}
		case slices.Contains(StandardDataObjects, spec.Name):
			for _, k := range [...]struct {
				key string
				set bool
			}{{"label", spec.Label != ""}, {"labelPlural", spec.LabelPlural != ""}, {"sharingModel", spec.Sharing != ""},
				{"nameFieldLabel", spec.NameFieldLabel != ""}, {"nameAutoNumber", spec.NameAutoNumber}} {
				if k.set {
					v.errorf(sp+"."+k.key, "%s is a standard object: declare only its custom fields", spec.Name)
				}
			}
		default:
			v.errorf(sp+".name", "%q is neither a custom object (its name must end in __c) nor a standard object that takes custom fields (%s)",
				spec.Name, strings.Join(StandardDataObjects, ", "))
		}
		switch spec.Sharing {
		case "", schema.SharingPrivate, schema.SharingRead, schema.SharingReadWrite:
		default:
			v.errorf(sp+".sharingModel", "%q is not a sharing model: use Private, Read or ReadWrite", spec.Sharing)
		}
		oo.fields[spec.Name] = v.customFields(o, spec, sp, oo)
	}
	return oo
}

// customFields checks the fields of one objects entry and returns their names.
func (v *validator) customFields(o *Org, spec *schema.ObjectSpec, sp string, oo orgObjects) map[string]bool {
	names, seen := map[string]bool{}, map[string]string{}
	for j := range spec.Fields {
		fs, fp := &spec.Fields[j], fmt.Sprintf("%s.fields[%d]", sp, j)
		v.required(fp, "name", fs.Name)
		if fs.Name != "" && !customName(fs.Name) {
			v.errorf(fp+".name", "%q is not a custom field name: letters, digits and single underscores, starting with a letter, at most 40 characters, then __c", fs.Name)
		}
		v.unique(seen, strings.ToLower(fs.Name), fp+".name", "field")
		names[fs.Name] = true
		if base, ok := strings.CutSuffix(fs.Name, "__c"); ok && fs.Type == schema.TypeLocation {
			// A location's stored parts, which grants may name too.
			names[base+"__Latitude__s"], names[base+"__Longitude__s"] = true, true
		}
		v.required(fp, "type", string(fs.Type))
		if fs.Type != "" && !slices.Contains(fieldTypes, fs.Type) {
			v.errorf(fp+".type", "%q is not a field type: use one of %s", fs.Type, typeList())
		}
		for _, k := range [...]struct {
			key string
			n   int
		}{{"length", fs.Length}, {"precision", fs.Precision}, {"scale", fs.Scale}} {
			if k.n < 0 {
				v.errorf(fp+"."+k.key, "must not be negative")
			}
		}
		isRef := fs.Type == schema.TypeReference
		switch {
		case isRef && fs.ReferenceTo == "":
			v.required(fp, "referenceTo", "")
		case isRef && !slices.Contains(StandardDataObjects, fs.ReferenceTo) && !oo.custom[fs.ReferenceTo]:
			v.errorf(fp+".referenceTo", "no object %q to reference in org %q: use a standard object (%s) or a custom object of the org",
				fs.ReferenceTo, o.Name, strings.Join(StandardDataObjects, ", "))
		case !isRef && fs.ReferenceTo != "":
			v.errorf(fp+".referenceTo", "only reference fields have referenceTo")
		}
		if !isRef && fs.RelationshipName != "" {
			v.errorf(fp+".relationshipName", "only reference fields have relationshipName")
		}
		isPick := fs.Type == schema.TypePicklist || fs.Type == schema.TypeMultiPicklist || fs.Type == schema.TypeCombobox
		switch {
		case isPick && len(fs.Values) == 0:
			v.errorf(fp+".values", "a %s field needs values", fs.Type)
		case !isPick && len(fs.Values) > 0:
			v.errorf(fp+".values", "only picklist fields have values")
		case !isPick && fs.Restricted:
			v.errorf(fp+".restricted", "only picklist fields are restricted")
		}
		v.names(fp+".values", fs.Values, "picklist value", func(s string) error {
			if strings.TrimSpace(s) == "" {
				return fmt.Errorf("a picklist value must not be blank")
			}
			return nil
		})
	}
	return names
}

func typeList() string {
	s := make([]string, len(fieldTypes))
	for i, t := range fieldTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}
