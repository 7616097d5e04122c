// The field literals below were generated from testdata/Opportunity.describe.json (a real describe)
// by a throwaway script; describe_fixture_test.go checks them against that file.

package schema

// opportunityObject is the standard Opportunity object (salesforce-objects.md §1, the Opportunity table;
// fields as the recorded describe testdata/Opportunity.describe.json gives them).
//
// Left out of the recorded describe: nothing
func opportunityObject() *Object {
	return &Object{
		Name: "Opportunity", Label: "Opportunity", LabelPlural: "Opportunities", KeyPrefix: "006",
		Sharing:    SharingReadWrite,
		Createable: true, Updateable: true, Deletable: true, Queryable: true, Searchable: true, Undeletable: true, Layoutable: true, FeedEnabled: true, Triggerable: true, Replicateable: true, Retrieveable: true, MruEnabled: true, DeepCloneable: true,
		Fields: opportunityFields(),
	}
}

func opportunityFields() []Field {
	return []Field{
		{Name: "Id", Label: "Opportunity ID", Type: TypeID, DefaultedOnCreate: true, IDLookup: true, System: true},
		{Name: "IsDeleted", Label: "Deleted", Type: TypeBoolean, DefaultedOnCreate: true, System: true},
		{Name: "AccountId", Label: "Account ID", Type: TypeReference, Nillable: true, Createable: true, Updateable: true, Permissionable: true, ReferenceTo: []string{"Account"}, RelationshipName: "Account", ChildRelationshipName: "Opportunities", CascadeDelete: true},
		{Name: "IsPrivate", Label: "Private", Type: TypeBoolean, Createable: true, Updateable: true, DefaultedOnCreate: true, Permissionable: true},
		{Name: "Name", Label: "Name", Type: TypeString, Length: 120, Createable: true, Updateable: true, IDLookup: true, NameField: true},
		{Name: "Description", Label: "Description", Type: TypeTextArea, Length: 32000, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Extra: map[string]any{"extraTypeInfo": "plaintextarea"}},
		{Name: "StageName", Label: "Stage", Type: TypePicklist, Length: 255, Createable: true, Updateable: true, Picklist: []PicklistValue{
			{Value: "Prospecting", Label: "Prospecting", Active: true},
			{Value: "Qualification", Label: "Qualification", Active: true},
			{Value: "Needs Analysis", Label: "Needs Analysis", Active: true},
			{Value: "Value Proposition", Label: "Value Proposition", Active: true},
			{Value: "Id. Decision Makers", Label: "Id. Decision Makers", Active: true},
			{Value: "Perception Analysis", Label: "Perception Analysis", Active: true},
			{Value: "Proposal/Price Quote", Label: "Proposal/Price Quote", Active: true},
			{Value: "Negotiation/Review", Label: "Negotiation/Review", Active: true},
			{Value: "Closed Won", Label: "Closed Won", Active: true},
			{Value: "Closed Lost", Label: "Closed Lost", Active: true},
		}},
		{Name: "Amount", Label: "Amount", Type: TypeCurrency, Precision: 18, Scale: 2, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "Probability", Label: "Probability (%)", Type: TypePercent, Precision: 3, Nillable: true, Createable: true, Updateable: true, DefaultedOnCreate: true, Permissionable: true},
		{Name: "ExpectedRevenue", Label: "Expected Amount", Type: TypeCurrency, Precision: 18, Scale: 2, Nillable: true, Permissionable: true},
		{Name: "TotalOpportunityQuantity", Label: "Quantity", Type: TypeDouble, Precision: 18, Scale: 2, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "CloseDate", Label: "Close Date", Type: TypeDate, Createable: true, Updateable: true},
		{Name: "Type", Label: "Opportunity Type", Type: TypePicklist, Length: 255, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Picklist: []PicklistValue{
			{Value: "Existing Customer - Upgrade", Label: "Existing Customer - Upgrade", Active: true},
			{Value: "Existing Customer - Replacement", Label: "Existing Customer - Replacement", Active: true},
			{Value: "Existing Customer - Downgrade", Label: "Existing Customer - Downgrade", Active: true},
			{Value: "New Customer", Label: "New Customer", Active: true},
		}},
		{Name: "NextStep", Label: "Next Step", Type: TypeString, Length: 255, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "LeadSource", Label: "Lead Source", Type: TypePicklist, Length: 255, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Picklist: []PicklistValue{
			{Value: "Web", Label: "Web", Active: true},
			{Value: "Phone Inquiry", Label: "Phone Inquiry", Active: true},
			{Value: "Partner Referral", Label: "Partner Referral", Active: true},
			{Value: "Purchased List", Label: "Purchased List", Active: true},
			{Value: "Other", Label: "Other", Active: true},
		}},
		{Name: "IsClosed", Label: "Closed", Type: TypeBoolean, DefaultedOnCreate: true},
		{Name: "IsWon", Label: "Won", Type: TypeBoolean, DefaultedOnCreate: true},
		{Name: "ForecastCategory", Label: "Forecast Category", Type: TypePicklist, Length: 40, Picklist: []PicklistValue{
			{Value: "Omitted", Label: "Omitted", Active: true},
			{Value: "Pipeline", Label: "Pipeline", Active: true},
			{Value: "BestCase", Label: "Best Case", Active: true},
			{Value: "MostLikely", Label: "Most Likely", Active: true},
			{Value: "Forecast", Label: "Commit", Active: true},
			{Value: "Closed", Label: "Closed", Active: true},
		}, Restricted: true},
		{Name: "ForecastCategoryName", Label: "Forecast Category", Type: TypePicklist, Length: 255, Nillable: true, Createable: true, Updateable: true, DefaultedOnCreate: true, Picklist: []PicklistValue{
			{Value: "Omitted", Label: "Omitted", Active: true},
			{Value: "Pipeline", Label: "Pipeline", Active: true},
			{Value: "Best Case", Label: "Best Case", Active: true},
			{Value: "Commit", Label: "Commit", Active: true},
			{Value: "Closed", Label: "Closed", Active: true},
		}, Restricted: true},
		{Name: "CampaignId", Label: "Campaign ID", Type: TypeReference, Nillable: true, Createable: true, Updateable: true, Permissionable: true, ReferenceTo: []string{"Campaign"}, RelationshipName: "Campaign"},
		{Name: "HasOpportunityLineItem", Label: "Has Line Item", Type: TypeBoolean, DefaultedOnCreate: true},
		{Name: "Pricebook2Id", Label: "Price Book ID", Type: TypeReference, Nillable: true, Createable: true, Updateable: true, DefaultedOnCreate: true, ReferenceTo: []string{"Pricebook2"}, RelationshipName: "Pricebook2"},
		{Name: "OwnerId", Label: "Owner ID", Type: TypeReference, Createable: true, Updateable: true, DefaultedOnCreate: true, ReferenceTo: []string{"User"}, RelationshipName: "Owner"},
		{Name: "CreatedDate", Label: "Created Date", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "CreatedById", Label: "Created By ID", Type: TypeReference, DefaultedOnCreate: true, System: true, ReferenceTo: []string{"User"}, RelationshipName: "CreatedBy"},
		{Name: "LastModifiedDate", Label: "Last Modified Date", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "LastModifiedById", Label: "Last Modified By ID", Type: TypeReference, DefaultedOnCreate: true, System: true, ReferenceTo: []string{"User"}, RelationshipName: "LastModifiedBy"},
		{Name: "SystemModstamp", Label: "System Modstamp", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "LastActivityDate", Label: "Last Activity", Type: TypeDate, Nillable: true},
		{Name: "LastStageChangeDate", Label: "Last Stage Change Date", Type: TypeDateTime, Nillable: true},
		{Name: "FiscalQuarter", Label: "Fiscal Quarter", Type: TypeInt, Digits: 8, Nillable: true, Extra: map[string]any{"compoundFieldName": "Fiscal"}},
		{Name: "FiscalYear", Label: "Fiscal Year", Type: TypeInt, Digits: 8, Nillable: true, Extra: map[string]any{"compoundFieldName": "Fiscal"}},
		{Name: "Fiscal", Label: "Fiscal Period", Type: TypeString, Length: 6, Nillable: true, Extra: map[string]any{"byteLength": 6}},
		{Name: "ContactId", Label: "Contact ID", Type: TypeReference, Nillable: true, Createable: true, ReferenceTo: []string{"Contact"}, ChildRelationshipName: "Opportunities"},
		{Name: "LastViewedDate", Label: "Last Viewed Date", Type: TypeDateTime, Nillable: true},
		{Name: "LastReferencedDate", Label: "Last Referenced Date", Type: TypeDateTime, Nillable: true},
		{Name: "HasOpenActivity", Label: "Has Open Activity", Type: TypeBoolean, DefaultedOnCreate: true, Extra: map[string]any{"filterable": false, "sortable": false}},
		{Name: "HasOverdueTask", Label: "Has Overdue Task", Type: TypeBoolean, DefaultedOnCreate: true, Extra: map[string]any{"filterable": false, "sortable": false}},
		{Name: "LastAmountChangedHistoryId", Label: "Opportunity History ID", Type: TypeReference, Nillable: true, ReferenceTo: []string{"OpportunityHistory"}, RelationshipName: "LastAmountChangedHistory", Extra: map[string]any{"searchPrefilterable": true}},
		{Name: "LastCloseDateChangedHistoryId", Label: "Opportunity History ID", Type: TypeReference, Nillable: true, ReferenceTo: []string{"OpportunityHistory"}, RelationshipName: "LastCloseDateChangedHistory", Extra: map[string]any{"searchPrefilterable": true}},
	}
}
