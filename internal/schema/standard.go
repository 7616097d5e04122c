package schema

// Standard returns fresh copies of the standard objects every org has
// (salesforce-objects.md §1): the data objects Account, Contact, Lead, Opportunity, Case
// and Task, and the Setup objects User, Profile, PermissionSet, Organization and
// LoginHistory. Callers may modify the result (AddCustomFields) without affecting other
// orgs.
//
// Sharing: a fresh Developer Edition org is Public Read/Write for Account, Contact,
// Opportunity, Case, Lead and Task, so their organization-wide default is ReadWrite.
//
// Compound address fields (BillingAddress, MailingAddress, Address, …) are present after
// their parts, as the recorded describes have them: read-only views of the parts, with no
// storage of their own (Field.Compound, Object.CompoundParts).
func Standard() []*Object {
	return []*Object{
		accountObject(), contactObject(), leadObject(), opportunityObject(), caseObject(),
		taskObject(), userObject(), profileObject(), permissionSetObject(),
		organizationObject(), loginHistoryObject(),
	}
}
