// The field literals below were generated from testdata/Account.describe.json (a real describe)
// by a throwaway script; describe_fixture_test.go checks them against that file.

package schema

// accountObject is the standard Account object (salesforce-objects.md §1, the Account table;
// fields as the recorded describe testdata/Account.describe.json gives them).
//
// Left out of the recorded describe:
//   - RecordTypeId: record types (none in a fresh org)
//   - Primary_Contact__c: custom field of the recording org
//   - ns__Description__c: custom field of the recording org
//   - History__c: custom field of the recording org
//   - ns__LinkedAccount__c: custom field of the recording org
//   - IsPartner: partner portal
//   - IsCustomerPortal: customer portal
//   - ChannelProgramName: channel programs (PRM)
//   - ChannelProgramLevelName: channel programs (PRM)
//   - Jigsaw: Data.com
//   - JigsawCompanyId: Data.com
//   - CleanStatus: Data.com clean
//   - DandbCompanyId: Data.com D&B companies
//   - OperatingHoursId: Field Service operating hours
func accountObject() *Object {
	return &Object{
		Name: "Account", Label: "Account", LabelPlural: "Accounts", KeyPrefix: "001",
		Sharing:    SharingReadWrite,
		Createable: true, Updateable: true, Deletable: true, Queryable: true, Searchable: true, Undeletable: true, Mergeable: true, Layoutable: true, FeedEnabled: true, Triggerable: true, Replicateable: true, Retrieveable: true, MruEnabled: true,
		Fields: accountFields(),
	}
}

func accountFields() []Field {
	return concat([]Field{
		{Name: "Id", Label: "Account ID", Type: TypeID, DefaultedOnCreate: true, IDLookup: true, System: true},
		{Name: "IsDeleted", Label: "Deleted", Type: TypeBoolean, DefaultedOnCreate: true, System: true},
		{Name: "MasterRecordId", Label: "Master Record ID", Type: TypeReference, Nillable: true, ReferenceTo: []string{"Account"}, RelationshipName: "MasterRecord"},
		{Name: "Name", Label: "Account Name", Type: TypeString, Length: 255, Createable: true, Updateable: true, NameField: true, Extra: map[string]any{"compoundFieldName": "Name", "extraTypeInfo": "switchablepersonname"}},
		{Name: "Type", Label: "Account Type", Type: TypePicklist, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Picklist: []PicklistValue{
			{Value: "Prospect", Label: "Prospect", Active: true},
			{Value: "Customer - Direct", Label: "Customer - Direct", Active: true},
			{Value: "Customer - Channel", Label: "Customer - Channel", Active: true},
			{Value: "Channel Partner / Reseller", Label: "Channel Partner / Reseller", Active: true},
			{Value: "Installation Partner", Label: "Installation Partner", Active: true},
			{Value: "Technology Partner", Label: "Technology Partner", Active: true},
			{Value: "Other", Label: "Other", Active: true},
		}},
		{Name: "ParentId", Label: "Parent Account ID", Type: TypeReference, Nillable: true, Createable: true, Updateable: true, Permissionable: true, ReferenceTo: []string{"Account"}, RelationshipName: "Parent", ChildRelationshipName: "ChildAccounts"},
	}, address("Billing", "BillingAddress"), address("Shipping", "ShippingAddress"), []Field{
		{Name: "Phone", Label: "Account Phone", Type: TypePhone, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "Fax", Label: "Account Fax", Type: TypePhone, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "AccountNumber", Label: "Account Number", Type: TypeString, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "Website", Label: "Website", Type: TypeURL, Length: 255, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "PhotoUrl", Label: "Photo URL", Type: TypeURL, Length: 255, Nillable: true, Extra: map[string]any{"extraTypeInfo": "imageurl"}},
		{Name: "Sic", Label: "SIC Code", Type: TypeString, Length: 20, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "Industry", Label: "Industry", Type: TypePicklist, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Picklist: []PicklistValue{
			{Value: "Agriculture", Label: "Agriculture", Active: true},
			{Value: "Apparel", Label: "Apparel", Active: true},
			{Value: "Banking", Label: "Banking", Active: true},
			{Value: "Biotechnology", Label: "Biotechnology", Active: true},
			{Value: "Chemicals", Label: "Chemicals", Active: true},
			{Value: "Communications", Label: "Communications", Active: true},
			{Value: "Construction", Label: "Construction", Active: true},
			{Value: "Consulting", Label: "Consulting", Active: true},
			{Value: "Education", Label: "Education", Active: true},
			{Value: "Electronics", Label: "Electronics", Active: true},
			{Value: "Energy", Label: "Energy", Active: true},
			{Value: "Engineering", Label: "Engineering", Active: true},
			{Value: "Entertainment", Label: "Entertainment", Active: true},
			{Value: "Environmental", Label: "Environmental", Active: true},
			{Value: "Finance", Label: "Finance", Active: true},
			{Value: "Food & Beverage", Label: "Food & Beverage", Active: true},
			{Value: "Government", Label: "Government", Active: true},
			{Value: "Healthcare", Label: "Healthcare", Active: true},
			{Value: "Hospitality", Label: "Hospitality", Active: true},
			{Value: "Insurance", Label: "Insurance", Active: true},
			{Value: "Machinery", Label: "Machinery", Active: true},
			{Value: "Manufacturing", Label: "Manufacturing", Active: true},
			{Value: "Media", Label: "Media", Active: true},
			{Value: "Not For Profit", Label: "Not For Profit", Active: true},
			{Value: "Recreation", Label: "Recreation", Active: true},
			{Value: "Retail", Label: "Retail", Active: true},
			{Value: "Shipping", Label: "Shipping", Active: true},
			{Value: "Technology", Label: "Technology", Active: true},
			{Value: "Telecommunications", Label: "Telecommunications", Active: true},
			{Value: "Transportation", Label: "Transportation", Active: true},
			{Value: "Utilities", Label: "Utilities", Active: true},
			{Value: "Other", Label: "Other", Active: true},
		}},
		{Name: "AnnualRevenue", Label: "Annual Revenue", Type: TypeCurrency, Precision: 18, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "NumberOfEmployees", Label: "Employees", Type: TypeInt, Digits: 8, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "Ownership", Label: "Ownership", Type: TypePicklist, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Picklist: []PicklistValue{
			{Value: "Public", Label: "Public", Active: true},
			{Value: "Private", Label: "Private", Active: true},
			{Value: "Subsidiary", Label: "Subsidiary", Active: true},
			{Value: "Other", Label: "Other", Active: true},
		}},
		{Name: "TickerSymbol", Label: "Ticker Symbol", Type: TypeString, Length: 20, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "Description", Label: "Account Description", Type: TypeTextArea, Length: 32000, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Extra: map[string]any{"extraTypeInfo": "plaintextarea"}},
		{Name: "Rating", Label: "Account Rating", Type: TypePicklist, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Picklist: []PicklistValue{
			{Value: "Hot", Label: "Hot", Active: true},
			{Value: "Warm", Label: "Warm", Active: true},
			{Value: "Cold", Label: "Cold", Active: true},
		}},
		{Name: "Site", Label: "Account Site", Type: TypeString, Length: 80, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "OwnerId", Label: "Owner ID", Type: TypeReference, Createable: true, Updateable: true, DefaultedOnCreate: true, ReferenceTo: []string{"User"}, RelationshipName: "Owner"},
		{Name: "CreatedDate", Label: "Created Date", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "CreatedById", Label: "Created By ID", Type: TypeReference, DefaultedOnCreate: true, System: true, ReferenceTo: []string{"User"}, RelationshipName: "CreatedBy"},
		{Name: "LastModifiedDate", Label: "Last Modified Date", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "LastModifiedById", Label: "Last Modified By ID", Type: TypeReference, DefaultedOnCreate: true, System: true, ReferenceTo: []string{"User"}, RelationshipName: "LastModifiedBy"},
		{Name: "SystemModstamp", Label: "System Modstamp", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "LastActivityDate", Label: "Last Activity", Type: TypeDate, Nillable: true},
		{Name: "LastViewedDate", Label: "Last Viewed Date", Type: TypeDateTime, Nillable: true},
		{Name: "LastReferencedDate", Label: "Last Referenced Date", Type: TypeDateTime, Nillable: true},
		{Name: "AccountSource", Label: "Account Source", Type: TypePicklist, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Picklist: []PicklistValue{
			{Value: "Web", Label: "Web", Active: true},
			{Value: "Phone Inquiry", Label: "Phone Inquiry", Active: true},
			{Value: "Partner Referral", Label: "Partner Referral", Active: true},
			{Value: "Purchased List", Label: "Purchased List", Active: true},
			{Value: "Other", Label: "Other", Active: true},
		}},
		{Name: "DunsNumber", Label: "D-U-N-S Number", Type: TypeString, Length: 9, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "Tradestyle", Label: "Tradestyle", Type: TypeString, Length: 255, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "NaicsCode", Label: "NAICS Code", Type: TypeString, Length: 8, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "NaicsDesc", Label: "NAICS Description", Type: TypeString, Length: 120, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "YearStarted", Label: "Year Started", Type: TypeString, Length: 4, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "SicDesc", Label: "SIC Description", Type: TypeString, Length: 80, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
	})
}
