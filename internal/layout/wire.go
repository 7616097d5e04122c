package layout

import "encoding/json"

// The wire shapes of the describe-layout resources. Struct fields are declared in the
// alphabetical order of their JSON keys, the order real payloads have (DOC "Get Layouts
// and Descriptions for a Specified Object", sObject CompactLayouts). Every key of the
// partner WSDL's types (as jsforce encodes them, src/api/soap/schema.ts) is written, with
// null or [] when empty (salesforce-rest-more.md §3.1).

// Result is a DescribeLayoutResult: the body of /describe/layouts and
// /describe/namedLayouts/{name}.
type Result struct {
	Layouts            []*Layout           `json:"layouts"`
	RecordTypeMappings []RecordTypeMapping `json:"recordTypeMappings"`
	// RecordTypeSelectorRequired is an array of booleans in JSON, although SOAP has one
	// boolean; jsforce asserts Array.isArray (salesforce-rest-more.md §3.1).
	RecordTypeSelectorRequired []bool `json:"recordTypeSelectorRequired"`
}

// Layout is a DescribeLayout: one page layout. /describe/layouts/{recordTypeId} answers
// one of these unwrapped.
type Layout struct {
	ButtonLayoutSection          ButtonSection   `json:"buttonLayoutSection"`
	DetailLayoutSections         []Section       `json:"detailLayoutSections"`
	EditLayoutSections           []Section       `json:"editLayoutSections"`
	FeedView                     *struct{}       `json:"feedView"`
	HighlightsPanelLayoutSection *Section        `json:"highlightsPanelLayoutSection"`
	ID                           string          `json:"id"`
	MultirowEditLayoutSections   []Section       `json:"multirowEditLayoutSections"`
	OfflineLinks                 []struct{}      `json:"offlineLinks"`
	QuickActionList              QuickActionList `json:"quickActionList"`
	RelatedContent               *struct{}       `json:"relatedContent"`
	RelatedLists                 []RelatedList   `json:"relatedLists"`
	SaveOptions                  []struct{}      `json:"saveOptions"`
}

// Section is a DescribeLayoutSection.
type Section struct {
	Collapsed             bool   `json:"collapsed"`
	Columns               int    `json:"columns"`
	Heading               string `json:"heading"`
	LayoutRows            []Row  `json:"layoutRows"`
	LayoutSectionID       string `json:"layoutSectionId"`
	ParentLayoutID        string `json:"parentLayoutId"`
	Rows                  int    `json:"rows"`
	TabOrder              string `json:"tabOrder"`
	UseCollapsibleSection bool   `json:"useCollapsibleSection"`
	UseHeading            bool   `json:"useHeading"`
}

// Row is a DescribeLayoutRow.
type Row struct {
	LayoutItems []Item `json:"layoutItems"`
	NumItems    int    `json:"numItems"`
}

// Item is a DescribeLayoutItem of a page layout section.
type Item struct {
	EditableForNew    bool        `json:"editableForNew"`
	EditableForUpdate bool        `json:"editableForUpdate"`
	Label             string      `json:"label"`
	LayoutComponents  []Component `json:"layoutComponents"`
	Placeholder       bool        `json:"placeholder"`
	Required          bool        `json:"required"`
}

// CompactItem is a DescribeLayoutItem of a compact or approval layout, which carries
// "editable" instead of the two editableFor* flags (DOC compact layouts example).
type CompactItem struct {
	Editable         bool        `json:"editable"`
	Label            string      `json:"label"`
	LayoutComponents []Component `json:"layoutComponents"`
	Placeholder      bool        `json:"placeholder"`
	Required         bool        `json:"required"`
}

// Component is a DescribeLayoutComponent. A Field component also carries details (the
// field's describe entry, as /describe fields[] has it) and components ([] for a simple
// field, one Field component per part for a compound field, which adds fieldType). An
// EmptySpace component has only displayLines, tabOrder and type.
type Component struct {
	Components   []Component     `json:"components,omitzero"`
	Details      json.RawMessage `json:"details,omitzero"`
	DisplayLines int             `json:"displayLines"`
	FieldType    string          `json:"fieldType,omitzero"`
	TabOrder     int             `json:"tabOrder"`
	Type         string          `json:"type"`
	Value        string          `json:"value,omitzero"`
}

// ButtonSection is a DescribeLayoutButtonSection.
type ButtonSection struct {
	DetailButtons []Button `json:"detailButtons"`
}

// Button is a DescribeLayoutButton. Standard buttons have no content, URL or window
// settings: those keys are null and the window flags false, as in the DOC compact layouts
// example's actions.
type Button struct {
	Behavior       *string    `json:"behavior"`
	Colors         []struct{} `json:"colors"`
	Content        *string    `json:"content"`
	ContentSource  *string    `json:"contentSource"`
	Custom         bool       `json:"custom"`
	Encoding       *string    `json:"encoding"`
	Height         *int       `json:"height"`
	Icons          []struct{} `json:"icons"`
	Label          string     `json:"label"`
	Menubar        bool       `json:"menubar"`
	Name           string     `json:"name"`
	Overridden     bool       `json:"overridden"`
	Resizeable     bool       `json:"resizeable"`
	Scrollbars     bool       `json:"scrollbars"`
	ShowsLocation  bool       `json:"showsLocation"`
	ShowsStatus    bool       `json:"showsStatus"`
	Toolbar        bool       `json:"toolbar"`
	URL            *string    `json:"url"`
	Width          *int       `json:"width"`
	WindowPosition *string    `json:"windowPosition"`
}

// QuickActionList is a DescribeQuickActionListResult. Forcefield has no quick actions,
// so its items are always [].
type QuickActionList struct {
	QuickActionListItems []struct{} `json:"quickActionListItems"`
}

// RelatedList is a RelatedList of a page layout.
type RelatedList struct {
	AccessLevelRequiredForCreate *string         `json:"accessLevelRequiredForCreate"`
	Buttons                      []Button        `json:"buttons"`
	Columns                      []RelatedColumn `json:"columns"`
	Custom                       bool            `json:"custom"`
	Field                        string          `json:"field"`
	Label                        string          `json:"label"`
	LimitRows                    int             `json:"limitRows"`
	Name                         string          `json:"name"`
	Sobject                      string          `json:"sobject"`
	Sort                         []RelatedSort   `json:"sort"`
}

// RelatedColumn is a RelatedListColumn.
type RelatedColumn struct {
	Field        string  `json:"field"`
	FieldAPIName string  `json:"fieldApiName"`
	Format       *string `json:"format"`
	Label        string  `json:"label"`
	LookupID     *string `json:"lookupId"`
	Name         string  `json:"name"`
	Sortable     bool    `json:"sortable"`
}

// RelatedSort is a RelatedListSort.
type RelatedSort struct {
	Ascending bool   `json:"ascending"`
	Column    string `json:"column"`
}

// RecordTypeMapping maps a record type to its layout and its picklist values.
type RecordTypeMapping struct {
	Active                   bool                `json:"active"`
	Available                bool                `json:"available"`
	DefaultRecordTypeMapping bool                `json:"defaultRecordTypeMapping"`
	DeveloperName            string              `json:"developerName"`
	LayoutID                 string              `json:"layoutId"`
	Master                   bool                `json:"master"`
	Name                     string              `json:"name"`
	PicklistsForRecordType   []PicklistForRecord `json:"picklistsForRecordType"`
	RecordTypeID             string              `json:"recordTypeId"`
	URLs                     map[string]string   `json:"urls"`
}

// PicklistForRecord is a PicklistForRecordType: the values of one picklist available
// with the record type, each as describe's picklistValues entry.
type PicklistForRecord struct {
	PicklistName   string `json:"picklistName"`
	PicklistValues []any  `json:"picklistValues"`
}

// CompactResult is a DescribeCompactLayoutsResult: the body of /describe/compactLayouts.
type CompactResult struct {
	CompactLayouts                  []*Compact        `json:"compactLayouts"`
	DefaultCompactLayoutID          *string           `json:"defaultCompactLayoutId"`
	RecordTypeCompactLayoutMappings []CompactMapping  `json:"recordTypeCompactLayoutMappings"`
	URLs                            map[string]string `json:"urls"`
}

// Compact is a DescribeCompactLayout, the body of /describe/compactLayouts/primary and
// /describe/compactLayouts/{recordTypeId}, and each value of /compactLayouts?q=.
type Compact struct {
	Actions    []Button      `json:"actions"`
	FieldItems []CompactItem `json:"fieldItems"`
	// ID is null for the system default compact layout (DOC: "If you haven't defined any
	// compact layouts for an object, the compactLayoutId returns as Null"; SOAP
	// DescribeCompactLayoutsResult: "The system default compact layout ID has a value of
	// null").
	ID         *string       `json:"id"`
	ImageItems []CompactItem `json:"imageItems"`
	Label      string        `json:"label"`
	Name       string        `json:"name"`
	ObjectType string        `json:"objectType"`
}

// CompactMapping is a RecordTypeCompactLayoutMapping.
type CompactMapping struct {
	Available         bool              `json:"available"`
	CompactLayoutID   *string           `json:"compactLayoutId"`
	CompactLayoutName string            `json:"compactLayoutName"`
	RecordTypeID      string            `json:"recordTypeId"`
	RecordTypeName    string            `json:"recordTypeName"`
	URLs              map[string]string `json:"urls"`
}

// ApprovalResult is a DescribeApprovalLayoutResult. Forcefield has no approval processes,
// so approvalLayouts is always [] (salesforce-rest-more.md §3.5).
type ApprovalResult struct {
	ApprovalLayouts []struct{} `json:"approvalLayouts"`
}
