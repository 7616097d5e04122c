package versions

import "testing"

func TestLabels(t *testing.T) {
	// Release names from Salesforce's own GET /services/data (the reference §2).
	for v, want := range map[int]string{31: "Summer '14", 59: "Winter '24", 65: "Winter '26", 67: "Summer '26"} {
		if got := Label(v); got != want {
			t.Errorf("Label(%d) = %q, want %q", v, got, want)
		}
	}
}

func TestValid(t *testing.T) {
	for s, want := range map[string]bool{"59.0": true, "20.0": true, "67.0": true, "19.0": false, "68.0": false, "59.1": false, "59": false, "5.0": false, "x9.0": false} {
		if got := Valid(s); got != want {
			t.Errorf("Valid(%q) = %v, want %v", s, got, want)
		}
	}
	if v, ok := FromPath("v63.0"); !ok || v != "63.0" {
		t.Errorf("FromPath(v63.0) = %q %v", v, ok)
	}
	if all := All(); len(all) != Newest-Oldest+1 || all[len(all)-1].URL != "/services/data/v67.0" {
		t.Errorf("All() ends with %+v", all[len(all)-1])
	}
}
