package schema

// taskObject is the standard Task object (salesforce-objects.md §9; flags [GEN v64],
// picklists [DOC]). There is no recorded describe; the feature-dependent fields (WhoCount,
// WhatCount, TaskWhoIds, Type, IsVisibleInSelfService, CurrencyIsoCode, Connection*) are
// left out. In a real org Task sharing is "Controlled by Parent"; Forcefield uses ReadWrite
// like the other objects of a fresh Developer Edition org.
func taskObject() *Object {
	whoID := ref("WhoId", "Name ID", "Who", "Contact", "Lead")
	whoID.ChildRelationshipName, whoID.CascadeDelete = "Tasks", true
	// WhatId targets: the objects the reference lists an emulator can name; only Account,
	// Opportunity and Case are in the catalog.
	whatID := ref("WhatId", "Related To ID", "What", "Account", "Asset", "Campaign", "Case", "Contract", "Opportunity", "Order", "Product2", "Solution")
	whatID.ChildRelationshipName, whatID.CascadeDelete = "Tasks", true
	subject := opt("Subject", "Subject", TypeCombobox, 255)
	for _, v := range []string{"Call", "Send Letter", "Send Quote", "Other"} {
		subject.Picklist = append(subject.Picklist, PicklistValue{Value: v, Label: v, Active: true})
	}
	status := required(pick("Status", "Status", 255, false, "Not Started",
		"Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"))
	priority := required(pick("Priority", "Priority", 20, false, "Normal", "High", "Normal", "Low"))
	recurrenceActivity := readOnly(ref("RecurrenceActivityId", "Recurrence Activity ID", "RecurrenceActivity", "Task"))
	recurrenceActivity.ChildRelationshipName = "RecurringTasks"
	createOnly := func(f Field) Field { f.Updateable = false; return f }

	return &Object{
		Name: "Task", Label: "Task", LabelPlural: "Tasks", KeyPrefix: "00T", Sharing: SharingReadWrite,
		Createable: true, Updateable: true, Deletable: true, Queryable: true, Searchable: true,
		Undeletable: true, Layoutable: true, Triggerable: true, Replicateable: true, Retrieveable: true,
		MruEnabled: true,
		Fields: concat([]Field{
			idField("Activity ID"),
			whoID, whatID, subject,
			opt("ActivityDate", "Due Date Only", TypeDate, 0),
			status, priority,
			readOnly(required(flag("IsHighPriority", "High Priority"))),
			ownerField("Group", "User"),
			opt("Description", "Description", TypeTextArea, 32000),
			isDeletedField(),
			readOnly(ref("AccountId", "Account ID", "Account", "Account")),
			readOnly(required(flag("IsClosed", "Closed"))),
		}, auditFields(), []Field{
			readOnly(required(flag("IsArchived", "Archived"))),
			integer("CallDurationInSeconds", "Call Duration", 8),
			pick("CallType", "Call Type", 40, true, "", "Inbound", "Internal", "Outbound"),
			opt("CallDisposition", "Call Result", TypeString, 255),
			opt("CallObject", "Call Object Identifier", TypeString, 255),
			opt("ReminderDateTime", "Reminder Date/Time", TypeDateTime, 0),
			flag("IsReminderSet", "Reminder Set"),
			recurrenceActivity,
			createOnly(flag("IsRecurrence", "Create Recurring Series of Tasks")),
			opt("RecurrenceStartDateOnly", "Recurrence Start", TypeDate, 0),
			opt("RecurrenceEndDateOnly", "Recurrence End", TypeDate, 0),
			pick("RecurrenceTimeZoneSidKey", "Recurrence Time Zone", 40, true, "", "America/Los_Angeles", "America/New_York", "Europe/London", "GMT"),
			pick("RecurrenceType", "Recurrence Type", 40, true, "",
				"RecursDaily", "RecursEveryWeekday", "RecursMonthly", "RecursMonthlyNth", "RecursWeekly", "RecursYearly", "RecursYearlyNth"),
			integer("RecurrenceInterval", "Recurrence Interval", 9),
			integer("RecurrenceDayOfWeekMask", "Recurrence Day of Week Mask", 9),
			integer("RecurrenceDayOfMonth", "Recurrence Day of Month", 9),
			pick("RecurrenceInstance", "Recurrence Instance", 40, true, "", "First", "Second", "Third", "Fourth", "Last"),
			pick("RecurrenceMonthOfYear", "Recurrence Month of Year", 40, true, "",
				"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"),
			pick("RecurrenceRegeneratedType", "Repeat This Task", 40, true, "", "RecurrenceRegenerateAfterDueDate", "RecurrenceRegenerateAfterToday", "RecurrenceRegenerated"),
			createOnly(pick("TaskSubtype", "Task Subtype", 40, true, "", "Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn")),
			readOnly(opt("CompletedDateTime", "Completed Date/Time", TypeDateTime, 0)),
		}),
	}
}
