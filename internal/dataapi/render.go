package dataapi

import (
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
)

// attributes is the "attributes" member of every record Salesforce returns.
func attributes(version, objName, id string) object {
	a := object{{"type", objName}}
	if id != "" {
		a = append(a, member{"url", sobjectURL(version, objName, id)})
	}
	return a
}

func sobjectURL(version, objName, id string) string {
	return "/services/data/v" + version + "/sobjects/" + objName + "/" + id
}

// renderRecord renders a stored record with attributes first, then fields in the order
// given, values in their REST form (schema.EncodeValue).
func renderRecord(version string, obj *schema.Object, rec records.Record, fields []*schema.Field) object {
	id, _ := rec["Id"].(string)
	out := make(object, 0, len(fields)+1)
	out = append(out, member{"attributes", attributes(version, obj.Name, id)})
	for _, f := range fields {
		out = append(out, member{f.Name, schema.EncodeValue(f, rec[f.Name])})
	}
	return out
}

// saveResult is the body of a create: {"id","errors","success"} (salesforce-rest.md §3).
type saveResult struct {
	ID      string `json:"id"`
	Errors  []any  `json:"errors"`
	Success bool   `json:"success"`
}

// upsertResult adds "created" (API 46.0 and later).
type upsertResult struct {
	ID      string `json:"id"`
	Success bool   `json:"success"`
	Errors  []any  `json:"errors"`
	Created bool   `json:"created"`
}
