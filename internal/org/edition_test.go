package org

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEditionAllocations(t *testing.T) {
	for _, tc := range []struct {
		edition  Edition
		licences int
		want     Allocations
	}{
		{"", 0, Allocations{100000, 10240, 10240}},
		{EditionEnterprise, 5, Allocations{105000, 10340, 20480}},
		{EditionUnlimited, 5, Allocations{125000, 10840, 20480}},
		{EditionPerformance, 1, Allocations{105000, 10360, 12288}},
		{EditionDeveloper, 0, Allocations{15000, 5, 20}},
		{EditionDeveloper, 40, Allocations{15000, 5, 20}}, // no per-licence allocation
		{EditionEnterprise, -3, Allocations{100000, 10240, 10240}},
	} {
		if got := EditionAllocations(tc.edition, tc.licences); got != tc.want {
			t.Errorf("EditionAllocations(%q, %d) = %+v, want %+v", tc.edition, tc.licences, got, tc.want)
		}
	}
	// The org's dailyApiRequests overrides the edition's; storage does not move.
	o := Org{Edition: EditionDeveloper, DailyAPIRequests: 7, Licences: 3}
	if diff := cmp.Diff(Allocations{7, 5, 20}, o.Allocations()); diff != "" || o.APIRequestLimit() != 7 {
		t.Errorf("override: APIRequestLimit %d, Allocations (-want +got):\n%s", o.APIRequestLimit(), diff)
	}
	if got := (Org{Licences: 2}).APIRequestLimit(); got != 102000 {
		t.Errorf("default org with 2 licences: APIRequestLimit %d, want 102000", got)
	}
}

func TestParseEdition(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Edition
		err  string
	}{
		{"", EditionEnterprise, ""},
		{"Developer", EditionDeveloper, ""},
		{"Enterprise", EditionEnterprise, ""},
		{"Unlimited", EditionUnlimited, ""},
		{"Performance", EditionPerformance, ""},
		{"Professional", "", `"Professional" is not an edition: use Developer, Enterprise, Unlimited, Performance`},
		{"enterprise", "", `"enterprise" is not an edition: use Developer, Enterprise, Unlimited, Performance`},
		{" Developer", "", `" Developer" is not an edition: use Developer, Enterprise, Unlimited, Performance`},
	} {
		got, err := ParseEdition(tc.in)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("ParseEdition(%q) error = %v, want %s", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseEdition(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for e, want := range map[Edition]bool{"": true, EditionDeveloper: false, EditionEnterprise: true, EditionUnlimited: true, EditionPerformance: true} {
		if got := e.AllowsAPIOnlyUser(); got != want {
			t.Errorf("%q.AllowsAPIOnlyUser() = %v", e, got)
		}
	}
	if got := EditionDeveloper.OrganizationType(); got != "Developer Edition" {
		t.Errorf("OrganizationType = %q", got)
	}
	if got := Edition("").OrganizationType(); got != "Enterprise Edition" {
		t.Errorf("OrganizationType of the default = %q", got)
	}
}
