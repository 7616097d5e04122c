package sfid

import (
	"sort"
	"testing"
)

func TestDerive(t *testing.T) {
	a0 := Derive("00B", "5F", "org1/Account", 0)
	if again := Derive("00B", "5F", "org1/Account", 0); again != a0 {
		t.Errorf("Derive is not deterministic: %s then %s", a0, again)
	}
	if a0.Prefix() != "00B" || len(a0) != 18 {
		t.Errorf("Derive = %q: want an 18-character 00B ID", a0)
	}
	if _, err := Parse(string(a0)); err != nil {
		t.Errorf("Derive = %q does not parse: %v", a0, err)
	}
	// The slots of one key sort in slot order, as 18- and 15-character strings.
	var ids, shorts []string
	for slot := range 256 {
		id := Derive("00B", "5F", "org1/Account", slot)
		ids = append(ids, string(id))
		shorts = append(shorts, id.Short())
	}
	if !sort.StringsAreSorted(ids) || !sort.StringsAreSorted(shorts) {
		t.Errorf("slots do not sort in order: %v", ids[:4])
	}
	seen := map[ID]string{}
	for _, key := range []string{"org1/Account", "org1/Contact", "org2/Account", "org1/account"} {
		id := Derive("00B", "5F", key, 3)
		if other, dup := seen[id]; dup {
			t.Errorf("keys %q and %q share ID %s", key, other, id)
		}
		seen[id] = key
	}
}
