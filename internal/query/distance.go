package query

import (
	"math"
	"strings"

	"github.com/forcefield/forcefield/internal/soql"
)

// DISTANCE(field, GEOLOCATION(lat, lon), 'mi'|'km') in WHERE (compared with < or >) and
// ORDER BY (SOQL and SOSL Reference, "DISTANCE", "GEOLOCATION"; salesforce-rest-more.md
// §7.4). The error texts for misuse are Forcefield's own [UNCONFIRMED]: Salesforce's are
// not quoted in the reference.

// distance resolves DISTANCE(…): the field must be a compound address or location the
// user reads (so are its parts), the units mi or km, the point a valid latitude and
// longitude.
func (sc scope) distance(d *soql.Distance) (*DistanceExpr, error) {
	path, err := sc.path(d.Field)
	if err != nil {
		return nil, err
	}
	out := &DistanceExpr{FromLat: d.Lat.Num, FromLon: d.Lon.Num}
	for _, p := range path.Parts {
		part := &Path{Rels: path.Rels, Objects: path.Objects, Filters: path.Filters, Field: p,
			Name: strings.TrimSuffix(path.Name, path.Field.Name) + p.Name}
		switch p.CompoundKey {
		case "latitude":
			out.Lat = part
		case "longitude":
			out.Lon = part
		}
	}
	if out.Lat == nil || out.Lon == nil {
		return nil, errAt("INVALID_FIELD", d.Field.Pos, "DISTANCE() needs a location or address field: %s", path.Name)
	}
	switch strings.ToLower(d.Unit) {
	case "mi":
	case "km":
		out.Km = true
	default:
		return nil, malformed(d.UnitPos, "DISTANCE() unit must be 'mi' or 'km'")
	}
	if !(out.FromLat >= -90 && out.FromLat <= 90) {
		return nil, malformed(d.Lat.Pos, "GEOLOCATION() latitude must be between -90 and 90")
	}
	if !(out.FromLon >= -180 && out.FromLon <= 180) {
		return nil, malformed(d.Lon.Pos, "GEOLOCATION() longitude must be between -180 and 180")
	}
	return out, nil
}

// distanceCompare resolves DISTANCE(…) < n and DISTANCE(…) > n.
func (sc scope) distanceCompare(c *soql.Comparison) (Cond, error) {
	d, err := sc.distance(c.Distance)
	if err != nil {
		return nil, err
	}
	if c.Op != "<" && c.Op != ">" {
		return nil, malformed(c.Pos, "DISTANCE() can only be compared with < or >")
	}
	if c.Value == nil || c.Value.Kind != soql.Number || math.IsInf(c.Value.Num, 0) || math.IsNaN(c.Value.Num) {
		pos := c.Pos
		if c.Value != nil {
			pos = c.Value.Pos
		}
		return nil, malformed(pos, "DISTANCE() must be compared with a number")
	}
	return &DistanceCompare{Dist: d, Op: c.Op, Value: c.Value.Num}, nil
}
