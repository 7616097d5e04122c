// The field literals below were generated from testdata/Case.describe.json (a real describe)
// by a throwaway script; describe_fixture_test.go checks them against that file.

package schema

// caseObject is the standard Case object (salesforce-objects.md §1, the Case table;
// fields as the recorded describe testdata/Case.describe.json gives them).
//
// Left out of the recorded describe: nothing
func caseObject() *Object {
	return &Object{
		Name: "Case", Label: "Case", LabelPlural: "Cases", KeyPrefix: "500",
		Sharing:    SharingReadWrite,
		Createable: true, Updateable: true, Deletable: true, Queryable: true, Searchable: true, Undeletable: true, Layoutable: true, FeedEnabled: true, Triggerable: true, Replicateable: true, Retrieveable: true, MruEnabled: true,
		Fields: caseFields(),
	}
}

func caseFields() []Field {
	return []Field{
		{Name: "Id", Label: "Case ID", Type: TypeID, DefaultedOnCreate: true, IDLookup: true, System: true},
		{Name: "IsDeleted", Label: "Deleted", Type: TypeBoolean, DefaultedOnCreate: true, System: true},
		{Name: "MasterRecordId", Label: "Master Record ID", Type: TypeReference, Nillable: true, ReferenceTo: []string{"Case"}, RelationshipName: "MasterRecord"},
		{Name: "CaseNumber", Label: "Case Number", Type: TypeString, Length: 30, DefaultedOnCreate: true, IDLookup: true, NameField: true, AutoNumber: true, Extra: map[string]any{"groupable": false}},
		{Name: "ContactId", Label: "Contact ID", Type: TypeReference, Nillable: true, Createable: true, Updateable: true, Permissionable: true, ReferenceTo: []string{"Contact"}, RelationshipName: "Contact", ChildRelationshipName: "Cases", RestrictedDelete: true},
		{Name: "AccountId", Label: "Account ID", Type: TypeReference, Nillable: true, Createable: true, Updateable: true, Permissionable: true, ReferenceTo: []string{"Account"}, RelationshipName: "Account", ChildRelationshipName: "Cases", RestrictedDelete: true},
		{Name: "AssetId", Label: "Asset ID", Type: TypeReference, Nillable: true, Createable: true, Updateable: true, Permissionable: true, ReferenceTo: []string{"Asset"}, RelationshipName: "Asset"},
		{Name: "ParentId", Label: "Parent Case ID", Type: TypeReference, Nillable: true, Createable: true, Updateable: true, Permissionable: true, ReferenceTo: []string{"Case"}, RelationshipName: "Parent", ChildRelationshipName: "Cases"},
		{Name: "SuppliedName", Label: "Name", Type: TypeString, Length: 80, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "SuppliedEmail", Label: "Email Address", Type: TypeEmail, Length: 80, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "SuppliedPhone", Label: "Phone", Type: TypeString, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "SuppliedCompany", Label: "Company", Type: TypeString, Length: 80, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "Type", Label: "Case Type", Type: TypePicklist, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Picklist: []PicklistValue{
			{Value: "Mechanical", Label: "Mechanical", Active: true},
			{Value: "Electrical", Label: "Electrical", Active: true},
			{Value: "Electronic", Label: "Electronic", Active: true},
			{Value: "Structural", Label: "Structural", Active: true},
			{Value: "Other", Label: "Other", Active: true},
		}},
		{Name: "Status", Label: "Status", Type: TypePicklist, Length: 40, Nillable: true, Createable: true, Updateable: true, DefaultedOnCreate: true, Picklist: []PicklistValue{
			{Value: "New", Label: "New", Active: true, DefaultValue: true},
			{Value: "Working", Label: "Working", Active: true},
			{Value: "Escalated", Label: "Escalated", Active: true},
			{Value: "Closed", Label: "Closed", Active: true},
		}, DefaultValue: "New"},
		{Name: "Reason", Label: "Case Reason", Type: TypePicklist, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Picklist: []PicklistValue{
			{Value: "Installation", Label: "Installation", Active: true},
			{Value: "Equipment Complexity", Label: "Equipment Complexity", Active: true},
			{Value: "Performance", Label: "Performance", Active: true},
			{Value: "Breakdown", Label: "Breakdown", Active: true},
			{Value: "Equipment Design", Label: "Equipment Design", Active: true},
			{Value: "Feedback", Label: "Feedback", Active: true},
			{Value: "Other", Label: "Other", Active: true},
		}},
		{Name: "Origin", Label: "Case Origin", Type: TypePicklist, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Picklist: []PicklistValue{
			{Value: "Phone", Label: "Phone", Active: true},
			{Value: "Email", Label: "Email", Active: true},
			{Value: "Web", Label: "Web", Active: true},
		}},
		{Name: "Subject", Label: "Subject", Type: TypeString, Length: 255, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "Priority", Label: "Priority", Type: TypePicklist, Length: 40, Nillable: true, Createable: true, Updateable: true, DefaultedOnCreate: true, Permissionable: true, Picklist: []PicklistValue{
			{Value: "High", Label: "High", Active: true},
			{Value: "Medium", Label: "Medium", Active: true, DefaultValue: true},
			{Value: "Low", Label: "Low", Active: true},
		}, DefaultValue: "Medium"},
		{Name: "Description", Label: "Description", Type: TypeTextArea, Length: 32000, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Extra: map[string]any{"extraTypeInfo": "plaintextarea"}},
		{Name: "IsClosed", Label: "Closed", Type: TypeBoolean, DefaultedOnCreate: true},
		{Name: "ClosedDate", Label: "Closed Date", Type: TypeDateTime, Nillable: true, Permissionable: true},
		{Name: "IsEscalated", Label: "Escalated", Type: TypeBoolean, Createable: true, Updateable: true, DefaultedOnCreate: true, Permissionable: true},
		{Name: "OwnerId", Label: "Owner ID", Type: TypeReference, Createable: true, Updateable: true, DefaultedOnCreate: true, ReferenceTo: []string{"Group", "User"}, RelationshipName: "Owner"},
		{Name: "CreatedDate", Label: "Created Date", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "CreatedById", Label: "Created By ID", Type: TypeReference, DefaultedOnCreate: true, System: true, ReferenceTo: []string{"User"}, RelationshipName: "CreatedBy"},
		{Name: "LastModifiedDate", Label: "Last Modified Date", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "LastModifiedById", Label: "Last Modified By ID", Type: TypeReference, DefaultedOnCreate: true, System: true, ReferenceTo: []string{"User"}, RelationshipName: "LastModifiedBy"},
		{Name: "SystemModstamp", Label: "System Modstamp", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "ContactPhone", Label: "Contact Phone", Type: TypePhone, Length: 40, Nillable: true},
		{Name: "ContactMobile", Label: "Contact Mobile", Type: TypePhone, Length: 40, Nillable: true},
		{Name: "ContactEmail", Label: "Contact Email", Type: TypeEmail, Length: 80, Nillable: true},
		{Name: "ContactFax", Label: "Contact Fax", Type: TypePhone, Length: 40, Nillable: true},
		{Name: "Comments", Label: "Internal Comments", Type: TypeTextArea, Length: 4000, Nillable: true, Createable: true, Updateable: true, Extra: map[string]any{"aggregatable": true, "byteLength": 4000, "extraTypeInfo": "plaintextarea", "sortable": true}},
		{Name: "LastViewedDate", Label: "Last Viewed Date", Type: TypeDateTime, Nillable: true},
		{Name: "LastReferencedDate", Label: "Last Referenced Date", Type: TypeDateTime, Nillable: true},
	}
}
