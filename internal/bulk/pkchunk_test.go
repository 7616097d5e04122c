package bulk

import (
	"testing"

	"github.com/forcefield/forcefield/internal/soql"
)

func TestChunkQuery(t *testing.T) {
	const lo, hi = "0015F0000000001QAA", "0015F000000000DQAQ"
	for _, c := range []struct {
		in, hi, want string
	}{
		{"SELECT Id, Name FROM Account", hi,
			"SELECT Id, Name FROM Account WHERE Id >= '" + lo + "' AND Id < '" + hi + "'"},
		{"SELECT Id FROM Account", "",
			"SELECT Id FROM Account WHERE Id >= '" + lo + "'"},
		{"select Id from Account where Name = 'O\\'Brien' or Industry = null", hi,
			"SELECT Id FROM Account WHERE (Name = 'O\\'Brien' OR Industry = null) AND Id >= '" + lo + "' AND Id < '" + hi + "'"},
		{"SELECT Id,Name FROM Account WHERE SystemModstamp >= 2020-01-01T00:00:00Z ", hi,
			"SELECT Id, Name FROM Account WHERE SystemModstamp >= 2020-01-01T00:00:00Z AND Id >= '" + lo + "' AND Id < '" + hi + "'"},
	} {
		q, err := soql.Parse(c.in)
		if err != nil {
			t.Fatal(err)
		}
		before := q.String()
		if got := ChunkQuery(q, "Id", lo, c.hi); got != c.want {
			t.Errorf("%s:\ngot  %s\nwant %s", c.in, got, c.want)
		}
		if q.String() != before {
			t.Errorf("%s: the query was changed", c.in)
		}
		if _, err := soql.Parse(ChunkQuery(q, "Id", lo, c.hi)); err != nil {
			t.Errorf("%s: the chunk query does not parse: %v", c.in, err)
		}
	}
}

func TestPKChunkString(t *testing.T) {
	for _, p := range []PKChunk{
		{Size: 100000},
		{Size: 12, StartRow: "0015F0000000001QAA"},
		{Size: 50000, Parent: "Account"},
		{Size: 1, StartRow: "0015F0000000001", Parent: "Account"},
	} {
		got, err := ParsePKChunk(p.String())
		if err != nil || got != p {
			t.Errorf("%q: %+v %v", p.String(), got, err)
		}
	}
	for _, bad := range []string{"", "chunkSize=0", "chunkSize=x", "parent=Account"} {
		if _, err := ParsePKChunk(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
