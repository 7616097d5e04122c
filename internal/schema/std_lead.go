// The field literals below were generated from testdata/Lead.describe.json (a real describe)
// by a throwaway script; describe_fixture_test.go checks them against that file.

package schema

// leadObject is the standard Lead object (salesforce-objects.md §1, the Lead table;
// fields as the recorded describe testdata/Lead.describe.json gives them).
//
// Left out of the recorded describe:
//   - Jigsaw: Data.com
//   - JigsawContactId: Data.com
//   - CleanStatus: Data.com clean
//   - DandbCompanyId: Data.com D&B companies
func leadObject() *Object {
	return &Object{
		Name: "Lead", Label: "Lead", LabelPlural: "Leads", KeyPrefix: "00Q",
		Sharing:    SharingReadWrite,
		Createable: true, Updateable: true, Deletable: true, Queryable: true, Searchable: true, Undeletable: true, Mergeable: true, Layoutable: true, FeedEnabled: true, Triggerable: true, Replicateable: true, Retrieveable: true, MruEnabled: true,
		Fields: leadFields(),
	}
}

func leadFields() []Field {
	return concat([]Field{
		{Name: "Id", Label: "Lead ID", Type: TypeID, DefaultedOnCreate: true, IDLookup: true, System: true},
		{Name: "IsDeleted", Label: "Deleted", Type: TypeBoolean, DefaultedOnCreate: true, System: true},
		{Name: "MasterRecordId", Label: "Master Record ID", Type: TypeReference, Nillable: true, ReferenceTo: []string{"Lead"}, RelationshipName: "MasterRecord"},
		{Name: "LastName", Label: "Last Name", Type: TypeString, Length: 80, Createable: true, Updateable: true, Extra: map[string]any{"compoundFieldName": "Name", "extraTypeInfo": "personname"}},
		{Name: "FirstName", Label: "First Name", Type: TypeString, Length: 40, Nillable: true, Createable: true, Updateable: true, Extra: map[string]any{"compoundFieldName": "Name", "extraTypeInfo": "personname"}},
		{Name: "Salutation", Label: "Salutation", Type: TypePicklist, Length: 40, Nillable: true, Createable: true, Updateable: true, Picklist: []PicklistValue{
			{Value: "Mr.", Label: "Mr.", Active: true},
			{Value: "Ms.", Label: "Ms.", Active: true},
			{Value: "Mrs.", Label: "Mrs.", Active: true},
			{Value: "Dr.", Label: "Dr.", Active: true},
			{Value: "Prof.", Label: "Prof.", Active: true},
			{Value: "Mx.", Label: "Mx.", Active: true},
		}, Extra: map[string]any{"compoundFieldName": "Name", "extraTypeInfo": "personname"}},
		{Name: "Name", Label: "Full Name", Type: TypeString, Length: 121, NameField: true, Extra: map[string]any{"extraTypeInfo": "personname"}},
		{Name: "Title", Label: "Title", Type: TypeString, Length: 128, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "Company", Label: "Company", Type: TypeString, Length: 255, Createable: true, Updateable: true},
	}, address("", "Address"), []Field{
		{Name: "Phone", Label: "Phone", Type: TypePhone, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "MobilePhone", Label: "Mobile Phone", Type: TypePhone, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "Fax", Label: "Fax", Type: TypePhone, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "Email", Label: "Email", Type: TypeEmail, Length: 80, Nillable: true, Createable: true, Updateable: true, IDLookup: true, Permissionable: true},
		{Name: "Website", Label: "Website", Type: TypeURL, Length: 255, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "PhotoUrl", Label: "Photo URL", Type: TypeURL, Length: 255, Nillable: true, Extra: map[string]any{"extraTypeInfo": "imageurl"}},
		{Name: "Description", Label: "Description", Type: TypeTextArea, Length: 32000, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Extra: map[string]any{"extraTypeInfo": "plaintextarea"}},
		{Name: "LeadSource", Label: "Lead Source", Type: TypePicklist, Length: 255, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Picklist: []PicklistValue{
			{Value: "Web", Label: "Web", Active: true},
			{Value: "Phone Inquiry", Label: "Phone Inquiry", Active: true},
			{Value: "Partner Referral", Label: "Partner Referral", Active: true},
			{Value: "Purchased List", Label: "Purchased List", Active: true},
			{Value: "Other", Label: "Other", Active: true},
		}},
		{Name: "Status", Label: "Status", Type: TypePicklist, Length: 255, Createable: true, Updateable: true, DefaultedOnCreate: true, Picklist: []PicklistValue{
			{Value: "Open - Not Contacted", Label: "Open - Not Contacted", Active: true, DefaultValue: true},
			{Value: "Working - Contacted", Label: "Working - Contacted", Active: true},
			{Value: "Closed - Converted", Label: "Closed - Converted", Active: true},
			{Value: "Closed - Not Converted", Label: "Closed - Not Converted", Active: true},
		}, DefaultValue: "Open - Not Contacted"},
		{Name: "Industry", Label: "Industry", Type: TypePicklist, Length: 255, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Picklist: []PicklistValue{
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
		{Name: "Rating", Label: "Rating", Type: TypePicklist, Length: 255, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Picklist: []PicklistValue{
			{Value: "Hot", Label: "Hot", Active: true},
			{Value: "Warm", Label: "Warm", Active: true},
			{Value: "Cold", Label: "Cold", Active: true},
		}},
		{Name: "AnnualRevenue", Label: "Annual Revenue", Type: TypeCurrency, Precision: 18, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "NumberOfEmployees", Label: "Employees", Type: TypeInt, Digits: 8, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "OwnerId", Label: "Owner ID", Type: TypeReference, Createable: true, Updateable: true, DefaultedOnCreate: true, ReferenceTo: []string{"Group", "User"}, RelationshipName: "Owner"},
		{Name: "IsConverted", Label: "Converted", Type: TypeBoolean, Createable: true, DefaultedOnCreate: true},
		{Name: "ConvertedDate", Label: "Converted Date", Type: TypeDate, Nillable: true},
		{Name: "ConvertedAccountId", Label: "Converted Account ID", Type: TypeReference, Nillable: true, ReferenceTo: []string{"Account"}, RelationshipName: "ConvertedAccount", Extra: map[string]any{"searchPrefilterable": true}},
		{Name: "ConvertedContactId", Label: "Converted Contact ID", Type: TypeReference, Nillable: true, ReferenceTo: []string{"Contact"}, RelationshipName: "ConvertedContact", Extra: map[string]any{"searchPrefilterable": true}},
		{Name: "ConvertedOpportunityId", Label: "Converted Opportunity ID", Type: TypeReference, Nillable: true, ReferenceTo: []string{"Opportunity"}, RelationshipName: "ConvertedOpportunity", Extra: map[string]any{"searchPrefilterable": true}},
		{Name: "IsUnreadByOwner", Label: "Unread By Owner", Type: TypeBoolean, Createable: true, Updateable: true, DefaultedOnCreate: true},
		{Name: "CreatedDate", Label: "Created Date", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "CreatedById", Label: "Created By ID", Type: TypeReference, DefaultedOnCreate: true, System: true, ReferenceTo: []string{"User"}, RelationshipName: "CreatedBy"},
		{Name: "LastModifiedDate", Label: "Last Modified Date", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "LastModifiedById", Label: "Last Modified By ID", Type: TypeReference, DefaultedOnCreate: true, System: true, ReferenceTo: []string{"User"}, RelationshipName: "LastModifiedBy"},
		{Name: "SystemModstamp", Label: "System Modstamp", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "LastActivityDate", Label: "Last Activity", Type: TypeDate, Nillable: true},
		{Name: "LastViewedDate", Label: "Last Viewed Date", Type: TypeDateTime, Nillable: true},
		{Name: "LastReferencedDate", Label: "Last Referenced Date", Type: TypeDateTime, Nillable: true},
		{Name: "CompanyDunsNumber", Label: "Company D-U-N-S Number", Type: TypeString, Length: 9, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "EmailBouncedReason", Label: "Email Bounced Reason", Type: TypeString, Length: 255, Nillable: true, Updateable: true},
		{Name: "EmailBouncedDate", Label: "Email Bounced Date", Type: TypeDateTime, Nillable: true, Updateable: true},
		{Name: "IndividualId", Label: "Individual ID", Type: TypeReference, Nillable: true, Createable: true, Updateable: true, ReferenceTo: []string{"Individual"}, RelationshipName: "Individual"},
	})
}
