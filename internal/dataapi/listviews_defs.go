package dataapi

// Salesforce's default list views (salesforce-rest-more.md §4; REST API Developer Guide
// "List Views", "List View Describe", "List View Results"). An org has them without
// anyone creating them, so Forcefield derives them from the object instead of storing
// them: the same org, object and view always get the same 00B ID (sfid.Derive), listed in
// ascending ID order = the order below. Account's views and columns are those of the
// guide's examples; the other objects' developer names follow the reference §4.1
// [UNCONFIRMED for objects other than Account], their columns the objects' search
// layouts in the guide's "Search Result Layouts" example [UNCONFIRMED as list columns].
//
// Left out: Contact's BirthdaysThisMonth (a birthday in the current month of any year,
// which SOQL without CALENDAR_MONTH() in WHERE cannot express) and Account's sample-data
// view PlatinumandGoldSLACustomers.

import (
	"strings"

	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
)

// lvColumn is a visible column of a list view: a field or a path through parent
// relationships, and the label Salesforce shows ("" = the field's label).
type lvColumn struct {
	Path  string
	Label string
}

// lvFilter is one condition of a view: SOQL is its text in the view's query, Operator and
// Values its whereCondition (values as SOQL tokens: THIS_WEEK, true, null).
type lvFilter struct {
	Field    string
	Operator string // equals, notEqual
	Values   []string
	SOQL     string
}

// lvDef is one default list view.
type lvDef struct {
	DevName, Label string
	Filters        []lvFilter // ANDed
	// Mine is scope "mine": only records the running user owns (OwnerId = the user).
	Mine bool
	// Recent is a "Recently Viewed" view: records with a LastViewedDate, newest first.
	// It reads the field as stored on the record, which SOQL FOR VIEW sets
	// (salesforce-rest-more.md §5.1, built separately); Salesforce keeps it per user,
	// a stored field is one date for every user. A record nobody viewed is not in it.
	Recent bool
}

// listView is a default view of one object in one org.
type listView struct {
	ID  sfid.ID
	Obj *schema.Object
	lvDef
}

func equalsFilter(field, value string) lvFilter {
	return lvFilter{Field: field, Operator: "equals", Values: []string{value}, SOQL: field + " = " + value}
}

// The columns of the objects with their own views; other objects show their name field.
var lvColumns = map[string][]lvColumn{
	"Account": {{"Name", "Account Name"}, {"Site", "Account Site"}, {"BillingState", "Billing State/Province"},
		{"Phone", "Phone"}, {"Type", "Type"}, {"Owner.Alias", "Account Owner Alias"}},
	"Contact": {{"Name", "Name"}, {"Account.Name", "Account Name"}, {"Account.Site", "Account Site"},
		{"Phone", "Phone"}, {"Email", "Email"}, {"Owner.Alias", "Contact Owner Alias"}},
	"Lead": {{"Name", "Name"}, {"Title", "Title"}, {"Company", "Company"}, {"Phone", "Phone"},
		{"Email", "Email"}, {"Status", "Lead Status"}, {"Owner.Alias", "Lead Owner Alias"}},
	"Opportunity": {{"Name", "Opportunity Name"}, {"Account.Name", "Account Name"}, {"Amount", "Amount"},
		{"CloseDate", "Close Date"}, {"StageName", "Stage"}, {"Owner.Alias", "Opportunity Owner Alias"}},
}

// lvDefs are the default views of the objects that have their own; every other
// (non-Setup) object has All and Recently Viewed (genericViews).
var lvDefs = map[string][]lvDef{
	"Account": {
		{DevName: "NewThisWeek", Label: "New This Week", Filters: []lvFilter{equalsFilter("CreatedDate", "THIS_WEEK")}},
		{DevName: "NewLastWeek", Label: "New Last Week", Filters: []lvFilter{equalsFilter("CreatedDate", "LAST_WEEK")}},
		{DevName: "RecentlyViewedAccounts", Label: "Recently Viewed Accounts", Recent: true},
		{DevName: "AllAccounts", Label: "All Accounts"},
		{DevName: "MyAccounts", Label: "My Accounts", Mine: true},
	},
	"Contact": {
		{DevName: "AllContacts", Label: "All Contacts"},
		{DevName: "MyContacts", Label: "My Contacts", Mine: true},
		{DevName: "NewThisWeek", Label: "New This Week", Filters: []lvFilter{equalsFilter("CreatedDate", "THIS_WEEK")}},
		{DevName: "RecentlyViewedContacts", Label: "Recently Viewed Contacts", Recent: true},
	},
	"Lead": {
		{DevName: "AllOpenLeads", Label: "All Open Leads", Filters: []lvFilter{equalsFilter("IsConverted", "false")}},
		{DevName: "MyUnreadLeads", Label: "My Unread Leads", Mine: true, Filters: []lvFilter{equalsFilter("IsUnreadByOwner", "true")}},
		{DevName: "TodaysLeads", Label: "Today's Leads", Filters: []lvFilter{equalsFilter("CreatedDate", "TODAY")}},
		{DevName: "RecentlyViewedLeads", Label: "Recently Viewed Leads", Recent: true},
	},
	"Opportunity": {
		{DevName: "AllOpportunities", Label: "All Opportunities"},
		{DevName: "MyOpportunities", Label: "My Opportunities", Mine: true},
		{DevName: "ClosingNextMonth", Label: "Closing Next Month", Filters: []lvFilter{equalsFilter("CloseDate", "NEXT_MONTH")}},
		{DevName: "ClosingThisMonth", Label: "Closing This Month", Filters: []lvFilter{equalsFilter("CloseDate", "THIS_MONTH")}},
		{DevName: "NewThisWeek", Label: "New This Week", Filters: []lvFilter{equalsFilter("CreatedDate", "THIS_WEEK")}},
		{DevName: "Won", Label: "Won", Filters: []lvFilter{equalsFilter("IsWon", "true")}},
		{DevName: "RecentlyViewedOpportunities", Label: "Recently Viewed Opportunities", Recent: true},
	},
}

// genericViews are the views of an object without its own: All, and Recently Viewed
// when the object tracks views (developer name RecentlyViewed + the plural label without
// spaces or punctuation [UNCONFIRMED]).
func genericViews(obj *schema.Object) []lvDef {
	defs := []lvDef{{DevName: "All", Label: "All"}}
	if _, ok := obj.Field("LastViewedDate"); ok {
		var b strings.Builder
		for _, r := range obj.LabelPlural {
			if r < 128 && (r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
				b.WriteRune(r)
			}
		}
		defs = append(defs, lvDef{DevName: "RecentlyViewed" + b.String(), Label: "Recently Viewed " + obj.LabelPlural, Recent: true})
	}
	return defs
}

// objectViews are obj's default views in the org, in ascending ID order. Setup objects
// (User, Profile, …) have none through the data API.
func objectViews(orgID sfid.ID, obj *schema.Object) []listView {
	if obj.Setup || !obj.Queryable {
		return nil
	}
	defs, ok := lvDefs[obj.Name]
	if !ok {
		defs = genericViews(obj)
	}
	pod := "00"
	if len(orgID) >= 5 {
		pod = string(orgID[3:5])
	}
	views := make([]listView, 0, len(defs))
	for i, d := range defs {
		if d.Mine {
			if _, ok := obj.Field("OwnerId"); !ok {
				continue
			}
		}
		views = append(views, listView{ID: sfid.Derive("00B", pod, string(orgID)+"/"+obj.Name, i), Obj: obj, lvDef: d})
	}
	return views
}

// viewColumns are obj's visible list columns (before access is checked).
func viewColumns(obj *schema.Object) []lvColumn {
	if cols, ok := lvColumns[obj.Name]; ok {
		return cols
	}
	if f, ok := obj.NameField(); ok {
		return []lvColumn{{Path: f.Name}}
	}
	return []lvColumn{{Path: "Id"}}
}

// hiddenColumns follow the visible ones in every view (the guide's describe example).
var hiddenColumns = []string{"Id", "CreatedDate", "LastModifiedDate", "SystemModstamp"}
