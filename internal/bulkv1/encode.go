package bulkv1

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/bulk"
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/schema"
)

// Encoders are the engine's renderers of Bulk 1.0 query results by job content type
// (bulk.Config.Encoders): JSON here; CSV is built into the engine. XML query results are
// not rendered: XML query jobs are refused when created (see create in jobs.go).
func Encoders() map[string]bulk.RowEncoder {
	return map[string]bulk.RowEncoder{ContentJSON: JSONRows{}}
}

// JSONRows renders query rows of a JSON job as the elements of the JSON array that
// GET …/result/{resultId} answers (reference §4.5):
//
//	{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/001…"},"Id":"001…","Name":"Acme"}
//
// Fields follow the SELECT list; a parent path (Account.Name) nests an object with its
// own attributes, or is null when there is no parent (as REST /query shapes it). Values
// are REST's (schema.EncodeValue) except dates and datetimes, which are numbers of
// milliseconds since the epoch, UTC (a date at its midnight): the Bulk API 1.0 JSON quirk
// the reference reports (§4.5, §9 item 6, unconfirmed), kept because clients written
// against real orgs parse that form. Rows after the first start with a comma, so the
// stored parts concatenate into the array's body; the handler adds the brackets.
type JSONRows struct {
	// Version is the API version of attributes.url ("59.0"), the job's.
	Version string
}

// ForJob implements bulk.JobRowEncoder: the url carries the job's API version.
func (JSONRows) ForJob(j *bulk.Job) bulk.RowEncoder { return JSONRows{Version: j.APIVersion} }

// Row implements bulk.RowEncoder.
func (e JSONRows) Row(dst []byte, index int64, plan *query.Plan, vals []any) []byte {
	if index > 0 {
		dst = append(dst, ',')
	}
	// Ids of the root and of every parent reached, by relationship path ("" is the root).
	ids := map[string]string{}
	for i, col := range plan.Columns {
		if col.Path != nil && col.Path.Field.Type == schema.TypeID {
			id, _ := vals[i].(string)
			ids[relPath(col.Path, len(col.Path.Rels))] = id
		}
	}
	root := &jsonNode{typ: plan.Object.Name, id: ids[""]}
	nested := map[string]*jsonNode{"": root}
	for i, col := range plan.Columns {
		if col.Hidden || col.Path == nil {
			continue
		}
		p := col.Path
		parent := root
		for h := range p.Rels {
			rp := relPath(p, h+1)
			next, seen := nested[rp]
			if !seen {
				next = nil
				if id := ids[rp]; id != "" {
					next = &jsonNode{typ: p.Objects[h].Name, id: id}
				}
				nested[rp] = next
				parent.members = append(parent.members, jsonMember{name: p.Rels[h].RelationshipName, node: next, isNode: true})
			}
			if next == nil {
				parent = nil
				break
			}
			parent = next
		}
		if parent != nil {
			parent.members = append(parent.members, jsonMember{name: p.Field.Name, raw: appendJSONValue(nil, p.Field, vals[i])})
		}
	}
	return e.appendNode(dst, root)
}

// jsonNode is a record being rendered: attributes, then its members in SELECT order.
type jsonNode struct {
	typ, id string
	members []jsonMember
}

// jsonMember is a field (raw JSON) or a parent record (node, nil for null).
type jsonMember struct {
	name   string
	raw    []byte
	node   *jsonNode
	isNode bool
}

func (e JSONRows) appendNode(dst []byte, n *jsonNode) []byte {
	dst = append(dst, '{')
	dst = e.appendAttributes(dst, n.typ, n.id)
	for _, m := range n.members {
		dst = append(dst, ',')
		dst = appendJSONString(dst, m.name)
		dst = append(dst, ':')
		switch {
		case !m.isNode:
			dst = append(dst, m.raw...)
		case m.node == nil:
			dst = append(dst, "null"...)
		default:
			dst = e.appendNode(dst, m.node)
		}
	}
	return append(dst, '}')
}

func (e JSONRows) appendAttributes(dst []byte, typ, id string) []byte {
	dst = append(dst, `"attributes":{"type":`...)
	dst = appendJSONString(dst, typ)
	if id != "" {
		dst = append(dst, `,"url":`...)
		dst = appendJSONString(dst, "/services/data/v"+e.Version+"/sobjects/"+typ+"/"+id)
	}
	return append(dst, '}')
}

// relPath is the relationship path of the first n hops of p: "Account.Owner".
func relPath(p *query.Path, n int) string {
	names := make([]string, n)
	for i := range n {
		names[i] = p.Rels[i].RelationshipName
	}
	return strings.Join(names, ".")
}

// appendJSONValue appends one field value: dates and datetimes as epoch milliseconds,
// everything else as REST renders it.
func appendJSONValue(dst []byte, f *schema.Field, v any) []byte {
	if v == nil {
		return append(dst, "null"...)
	}
	if f.Type == schema.TypeDate || f.Type == schema.TypeDateTime {
		var t time.Time
		var ok bool
		switch x := v.(type) {
		case time.Time:
			t, ok = x, true
		case string:
			if f.Type == schema.TypeDate {
				var err error
				t, err = time.Parse(schema.DateLayout, x)
				ok = err == nil
			} else {
				t, ok = schema.ParseDateTime(x)
			}
		}
		if ok {
			return appendJSONInt(dst, t.UnixMilli())
		}
	}
	b, err := json.Marshal(schema.EncodeValue(f, v))
	if err != nil {
		return append(dst, "null"...)
	}
	return append(dst, b...)
}
