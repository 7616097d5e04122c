package dataapi

import (
	"strings"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/schema"
)

// columnMetadata is the answer to …/query?q=…&columns=true, which `sf data query` uses to
// lay out its table (undocumented; modelled on plugin-data's test exemplars, the
// reference salesforce-rest.md §4): one column per selected item, parent relationships as
// a column with joinColumns, subqueries and aggregates with aggregate:true.
func columnMetadata(plan *query.Plan) object {
	var cols []any
	joins := map[string]*column{} // by relationship prefix
	idSelected := false
	for _, col := range plan.Columns {
		if col.Hidden {
			continue
		}
		if col.Agg != "" {
			display := strings.ToLower(col.Agg) + "("
			if col.AggArg != nil {
				display += col.AggArg.Name
			}
			cols = append(cols, &column{Aggregate: true, APEXType: aggregateApexType(col), ColumnName: col.Alias,
				DisplayName: display + ")", NumberType: true, JoinColumns: []any{}})
			continue
		}
		p := col.Path
		if len(p.Rels) == 0 && p.Field.Type == schema.TypeID {
			idSelected = true
		}
		leaf := fieldColumn(p.Field, p.Name)
		if len(p.Rels) == 0 {
			cols = append(cols, leaf)
			continue
		}
		// Nest under one column per relationship hop.
		list := &cols
		prefix := ""
		for _, rel := range p.Rels {
			if prefix != "" {
				prefix += "."
			}
			prefix += rel.RelationshipName
			j, ok := joins[prefix]
			if !ok {
				j = &column{ColumnName: rel.RelationshipName, DisplayName: prefix, ForeignKeyName: &rel.Name, JoinColumns: []any{}}
				joins[prefix] = j
				*list = append(*list, j)
			}
			list = &j.JoinColumns
		}
		*list = append(*list, leaf)
	}
	for _, sq := range plan.Subqueries {
		sub := columnMetadata(sq.Plan)
		cols = append(cols, &column{Aggregate: true, ColumnName: sq.Relationship.RelationshipName,
			DisplayName: sq.Relationship.RelationshipName, JoinColumns: sub[0].Value.([]any)})
	}
	if cols == nil {
		cols = []any{}
	}
	return object{
		{"columnMetadata", cols},
		{"entityName", plan.Object.Name},
		{"groupBy", len(plan.GroupBy) > 0},
		{"idSelected", idSelected},
		{"keyPrefix", plan.Object.KeyPrefix},
	}
}

type column struct {
	Aggregate      bool    `json:"aggregate"`
	APEXType       *string `json:"apexType"`
	BooleanType    bool    `json:"booleanType"`
	ColumnName     string  `json:"columnName"`
	Custom         bool    `json:"custom"`
	DisplayName    string  `json:"displayName"`
	ForeignKeyName *string `json:"foreignKeyName"`
	Insertable     bool    `json:"insertable"`
	JoinColumns    []any   `json:"joinColumns"`
	NumberType     bool    `json:"numberType"`
	TextType       bool    `json:"textType"`
	Updatable      bool    `json:"updatable"`
}

func fieldColumn(f *schema.Field, display string) *column {
	t := apexType(f.Type)
	return &column{
		APEXType: &t, BooleanType: f.Type == schema.TypeBoolean, ColumnName: f.Name, Custom: f.Custom,
		DisplayName: display, Insertable: f.Createable, JoinColumns: []any{},
		NumberType: t == "Integer" || t == "Double", TextType: t == "String" || t == "Id",
		Updatable: f.Updateable,
	}
}

// apexType is the Apex type of a field type.
func apexType(t schema.FieldType) string {
	switch t {
	case schema.TypeID, schema.TypeReference:
		return "Id"
	case schema.TypeBoolean:
		return "Boolean"
	case schema.TypeInt:
		return "Integer"
	case schema.TypeDouble, schema.TypeCurrency, schema.TypePercent:
		return "Double"
	case schema.TypeDate:
		return "Date"
	case schema.TypeDateTime:
		return "Datetime"
	case schema.TypeAddress:
		return "Address" // Apex System.Address
	case schema.TypeLocation:
		return "Location" // Apex System.Location
	}
	return "String"
}

func aggregateApexType(col query.Column) *string {
	t := "Integer"
	switch col.Agg {
	case "SUM", "AVG":
		t = "Double"
	case "MIN", "MAX":
		if col.AggArg != nil {
			t = apexType(col.AggArg.Field.Type)
		}
	}
	return &t
}
