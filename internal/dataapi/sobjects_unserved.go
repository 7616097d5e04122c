package dataapi

// The sObject sub-resources Salesforce serves and Forcefield does not (yet). Their names
// are not record IDs, so without this list the router read them as external ID field
// names ("Provided external ID field does not exist or is not accessible: updated",
// issue 13 §1). They answer 404 NOT_FOUND with the body of an unknown resource
// (salesforce-rest-more.md §9) until they are implemented: whoever implements one
// removes its name here and routes it in sobjects.go.
//
// Names are those of Salesforce's REST API Developer Guide, "sObject" resources.
var (
	// unservedSObjectResources follow the object: /sobjects/{T}/{name}[/…].
	unservedSObjectResources = map[string]bool{
		"quickActions":      true, // quick actions, …/{action}, …/defaultValues
		"suggestedArticles": true,
		"relevantItems":     true,
		"eventSchema":       true, // platform events
	}
	// unservedDescribeResources follow describe: /sobjects/{T}/describe/{name}[/…].
	unservedDescribeResources = map[string]bool{
		"listviews": true,
	}
)
