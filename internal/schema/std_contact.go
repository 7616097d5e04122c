// The field literals below were generated from testdata/Contact.describe.json (a real describe)
// by a throwaway script; describe_fixture_test.go checks them against that file.

package schema

// contactObject is the standard Contact object (salesforce-objects.md §1, the Contact table;
// fields as the recorded describe testdata/Contact.describe.json gives them).
//
// Left out of the recorded describe:
//   - Jigsaw: Data.com
//   - JigsawContactId: Data.com
//   - CleanStatus: Data.com clean
func contactObject() *Object {
	return &Object{
		Name: "Contact", Label: "Contact", LabelPlural: "Contacts", KeyPrefix: "003",
		Sharing:    SharingReadWrite,
		Createable: true, Updateable: true, Deletable: true, Queryable: true, Searchable: true, Undeletable: true, Mergeable: true, Layoutable: true, FeedEnabled: true, Triggerable: true, Replicateable: true, Retrieveable: true, MruEnabled: true,
		Fields: contactFields(),
	}
}

func contactFields() []Field {
	return concat([]Field{
		{Name: "Id", Label: "Contact ID", Type: TypeID, DefaultedOnCreate: true, IDLookup: true, System: true},
		{Name: "IsDeleted", Label: "Deleted", Type: TypeBoolean, DefaultedOnCreate: true, System: true},
		{Name: "MasterRecordId", Label: "Master Record ID", Type: TypeReference, Nillable: true, ReferenceTo: []string{"Contact"}, RelationshipName: "MasterRecord"},
		{Name: "AccountId", Label: "Account ID", Type: TypeReference, Nillable: true, Createable: true, Updateable: true, Permissionable: true, ReferenceTo: []string{"Account"}, RelationshipName: "Account", ChildRelationshipName: "Contacts", CascadeDelete: true},
		{Name: "LastName", Label: "Last Name", Type: TypeString, Length: 80, Createable: true, Updateable: true, Extra: map[string]any{"compoundFieldName": "Name", "extraTypeInfo": "personname"}},
		{Name: "FirstName", Label: "First Name", Type: TypeString, Length: 40, Nillable: true, Createable: true, Updateable: true, Extra: map[string]any{"compoundFieldName": "Name", "extraTypeInfo": "personname"}},
		{Name: "Salutation", Label: "Salutation", Type: TypePicklist, Length: 40, Nillable: true, Createable: true, Updateable: true, Picklist: []PicklistValue{
			{Value: "Mr.", Label: "Mr.", Active: true},
			{Value: "Ms.", Label: "Ms.", Active: true},
			{Value: "Mrs.", Label: "Mrs.", Active: true},
			{Value: "Dr.", Label: "Dr.", Active: true},
			{Value: "Prof.", Label: "Prof.", Active: true},
		}, Extra: map[string]any{"compoundFieldName": "Name", "extraTypeInfo": "personname"}},
		{Name: "Name", Label: "Full Name", Type: TypeString, Length: 121, NameField: true, Extra: map[string]any{"extraTypeInfo": "personname"}},
	}, address("Other", "OtherAddress"), address("Mailing", "MailingAddress"), []Field{
		{Name: "Phone", Label: "Business Phone", Type: TypePhone, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "Fax", Label: "Business Fax", Type: TypePhone, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "MobilePhone", Label: "Mobile Phone", Type: TypePhone, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "HomePhone", Label: "Home Phone", Type: TypePhone, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "OtherPhone", Label: "Other Phone", Type: TypePhone, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "AssistantPhone", Label: "Asst. Phone", Type: TypePhone, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "ReportsToId", Label: "Reports To ID", Type: TypeReference, Nillable: true, Createable: true, Updateable: true, Permissionable: true, ReferenceTo: []string{"Contact"}, RelationshipName: "ReportsTo"},
		{Name: "Email", Label: "Email", Type: TypeEmail, Length: 80, Nillable: true, Createable: true, Updateable: true, IDLookup: true, Permissionable: true},
		{Name: "Title", Label: "Title", Type: TypeString, Length: 128, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "Department", Label: "Department", Type: TypeString, Length: 80, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "AssistantName", Label: "Assistant's Name", Type: TypeString, Length: 40, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "LeadSource", Label: "Lead Source", Type: TypePicklist, Length: 255, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Picklist: []PicklistValue{
			{Value: "Web", Label: "Web", Active: true},
			{Value: "Phone Inquiry", Label: "Phone Inquiry", Active: true},
			{Value: "Partner Referral", Label: "Partner Referral", Active: true},
			{Value: "Purchased List", Label: "Purchased List", Active: true},
			{Value: "Other", Label: "Other", Active: true},
		}},
		{Name: "Birthdate", Label: "Birthdate", Type: TypeDate, Nillable: true, Createable: true, Updateable: true, Permissionable: true},
		{Name: "Description", Label: "Contact Description", Type: TypeTextArea, Length: 32000, Nillable: true, Createable: true, Updateable: true, Permissionable: true, Extra: map[string]any{"extraTypeInfo": "plaintextarea"}},
		{Name: "OwnerId", Label: "Owner ID", Type: TypeReference, Createable: true, Updateable: true, DefaultedOnCreate: true, ReferenceTo: []string{"User"}, RelationshipName: "Owner"},
		{Name: "CreatedDate", Label: "Created Date", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "CreatedById", Label: "Created By ID", Type: TypeReference, DefaultedOnCreate: true, System: true, ReferenceTo: []string{"User"}, RelationshipName: "CreatedBy"},
		{Name: "LastModifiedDate", Label: "Last Modified Date", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "LastModifiedById", Label: "Last Modified By ID", Type: TypeReference, DefaultedOnCreate: true, System: true, ReferenceTo: []string{"User"}, RelationshipName: "LastModifiedBy"},
		{Name: "SystemModstamp", Label: "System Modstamp", Type: TypeDateTime, DefaultedOnCreate: true, System: true},
		{Name: "LastActivityDate", Label: "Last Activity", Type: TypeDate, Nillable: true},
		{Name: "LastCURequestDate", Label: "Last Stay-in-Touch Request Date", Type: TypeDateTime, Nillable: true},
		{Name: "LastCUUpdateDate", Label: "Last Stay-in-Touch Save Date", Type: TypeDateTime, Nillable: true},
		{Name: "LastViewedDate", Label: "Last Viewed Date", Type: TypeDateTime, Nillable: true},
		{Name: "LastReferencedDate", Label: "Last Referenced Date", Type: TypeDateTime, Nillable: true},
		{Name: "EmailBouncedReason", Label: "Email Bounced Reason", Type: TypeString, Length: 255, Nillable: true, Createable: true, Updateable: true},
		{Name: "EmailBouncedDate", Label: "Email Bounced Date", Type: TypeDateTime, Nillable: true, Createable: true, Updateable: true},
		{Name: "IsEmailBounced", Label: "Is Email Bounced", Type: TypeBoolean, DefaultedOnCreate: true},
		{Name: "PhotoUrl", Label: "Photo URL", Type: TypeURL, Length: 255, Nillable: true, Extra: map[string]any{"extraTypeInfo": "imageurl"}},
		{Name: "IndividualId", Label: "Individual ID", Type: TypeReference, Nillable: true, Createable: true, Updateable: true, ReferenceTo: []string{"Individual"}, RelationshipName: "Individual"},
	})
}
