package bulkv1

import "time"

// JobInfo is a Bulk API 1.0 job as responses show it (reference §4.2).
type JobInfo struct {
	ID                      string
	Operation               string
	Object                  string
	CreatedByID             string
	CreatedDate             time.Time
	SystemModstamp          time.Time
	State                   string
	ExternalIDFieldName     string // rendered in XML only when set
	ConcurrencyMode         string
	ContentType             string
	NumberBatchesQueued     int
	NumberBatchesInProgress int
	NumberBatchesCompleted  int
	NumberBatchesFailed     int
	NumberBatchesTotal      int
	NumberRecordsProcessed  int64
	NumberRetries           int
	APIVersion              float64 // rendered 36.0
	AssignmentRuleID        string  // rendered in XML only when set
	NumberRecordsFailed     int64
	TotalProcessingTime     int64
	APIActiveProcessingTime int64
	ApexProcessingTime      int64
}

// AppendXML appends the jobInfo XML body. Elements follow the XSD sequence (AsyncApi.xsd
// JobInfo): externalIdFieldName comes after state and assignmentRuleId after apiVersion,
// each only when set — as in responses captured from real orgs. The reference's "Get Job
// Details" example (§4.2) has neither, and this renders it byte for byte but for the
// prolog, which is joined to the root element as in §1's error example.
func (j *JobInfo) AppendXML(b []byte) []byte {
	b = appendXMLRoot(b, "jobInfo")
	b = j.appendXMLFields(b, 1)
	return appendXMLEnd(b, 0, "jobInfo")
}

func (j *JobInfo) appendXMLFields(b []byte, l int) []byte {
	b = appendXMLText(b, l, "id", j.ID)
	b = appendXMLText(b, l, "operation", j.Operation)
	b = appendXMLText(b, l, "object", j.Object)
	b = appendXMLText(b, l, "createdById", j.CreatedByID)
	b = appendXMLText(b, l, "createdDate", xmlDate(j.CreatedDate))
	b = appendXMLText(b, l, "systemModstamp", xmlDate(j.SystemModstamp))
	b = appendXMLText(b, l, "state", j.State)
	if j.ExternalIDFieldName != "" {
		b = appendXMLText(b, l, "externalIdFieldName", j.ExternalIDFieldName)
	}
	b = appendXMLText(b, l, "concurrencyMode", j.ConcurrencyMode)
	b = appendXMLText(b, l, "contentType", j.ContentType)
	b = appendXMLInt(b, l, "numberBatchesQueued", int64(j.NumberBatchesQueued))
	b = appendXMLInt(b, l, "numberBatchesInProgress", int64(j.NumberBatchesInProgress))
	b = appendXMLInt(b, l, "numberBatchesCompleted", int64(j.NumberBatchesCompleted))
	b = appendXMLInt(b, l, "numberBatchesFailed", int64(j.NumberBatchesFailed))
	b = appendXMLInt(b, l, "numberBatchesTotal", int64(j.NumberBatchesTotal))
	b = appendXMLInt(b, l, "numberRecordsProcessed", j.NumberRecordsProcessed)
	b = appendXMLInt(b, l, "numberRetries", int64(j.NumberRetries))
	b = appendXMLText(b, l, "apiVersion", formatAPIVersion(j.APIVersion))
	if j.AssignmentRuleID != "" {
		b = appendXMLText(b, l, "assignmentRuleId", j.AssignmentRuleID)
	}
	b = appendXMLInt(b, l, "numberRecordsFailed", j.NumberRecordsFailed)
	b = appendXMLInt(b, l, "totalProcessingTime", j.TotalProcessingTime)
	b = appendXMLInt(b, l, "apiActiveProcessingTime", j.APIActiveProcessingTime)
	return appendXMLInt(b, l, "apexProcessingTime", j.ApexProcessingTime)
}

// MarshalXMLBody is AppendXML(nil).
func (j *JobInfo) MarshalXMLBody() []byte { return j.AppendXML(nil) }

// AppendJSON appends the jobInfo JSON body: compact, keys in alphabetical order as
// Salesforce's JSON serializer writes them (the reference's JSON batchInfo, §4.3),
// numbers as numbers, apiVersion with its ".0", dates "…000+0000". assignmentRuleId and
// externalIdFieldName are null when unset: real responses carry both keys always.
func (j *JobInfo) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	b = appendJSONKey(b, true, "apexProcessingTime")
	b = appendJSONInt(b, j.ApexProcessingTime)
	b = appendJSONKey(b, false, "apiActiveProcessingTime")
	b = appendJSONInt(b, j.APIActiveProcessingTime)
	b = appendJSONKey(b, false, "apiVersion")
	b = append(b, formatAPIVersion(j.APIVersion)...)
	b = appendJSONKey(b, false, "assignmentRuleId")
	b = appendJSONStringOrNull(b, j.AssignmentRuleID)
	b = appendJSONKey(b, false, "concurrencyMode")
	b = appendJSONString(b, j.ConcurrencyMode)
	b = appendJSONKey(b, false, "contentType")
	b = appendJSONString(b, j.ContentType)
	b = appendJSONKey(b, false, "createdById")
	b = appendJSONString(b, j.CreatedByID)
	b = appendJSONKey(b, false, "createdDate")
	b = appendJSONString(b, jsonDate(j.CreatedDate))
	b = appendJSONKey(b, false, "externalIdFieldName")
	b = appendJSONStringOrNull(b, j.ExternalIDFieldName)
	b = appendJSONKey(b, false, "id")
	b = appendJSONString(b, j.ID)
	b = appendJSONKey(b, false, "numberBatchesCompleted")
	b = appendJSONInt(b, int64(j.NumberBatchesCompleted))
	b = appendJSONKey(b, false, "numberBatchesFailed")
	b = appendJSONInt(b, int64(j.NumberBatchesFailed))
	b = appendJSONKey(b, false, "numberBatchesInProgress")
	b = appendJSONInt(b, int64(j.NumberBatchesInProgress))
	b = appendJSONKey(b, false, "numberBatchesQueued")
	b = appendJSONInt(b, int64(j.NumberBatchesQueued))
	b = appendJSONKey(b, false, "numberBatchesTotal")
	b = appendJSONInt(b, int64(j.NumberBatchesTotal))
	b = appendJSONKey(b, false, "numberRecordsFailed")
	b = appendJSONInt(b, j.NumberRecordsFailed)
	b = appendJSONKey(b, false, "numberRecordsProcessed")
	b = appendJSONInt(b, j.NumberRecordsProcessed)
	b = appendJSONKey(b, false, "numberRetries")
	b = appendJSONInt(b, int64(j.NumberRetries))
	b = appendJSONKey(b, false, "object")
	b = appendJSONString(b, j.Object)
	b = appendJSONKey(b, false, "operation")
	b = appendJSONString(b, j.Operation)
	b = appendJSONKey(b, false, "state")
	b = appendJSONString(b, j.State)
	b = appendJSONKey(b, false, "systemModstamp")
	b = appendJSONString(b, jsonDate(j.SystemModstamp))
	b = appendJSONKey(b, false, "totalProcessingTime")
	b = appendJSONInt(b, j.TotalProcessingTime)
	return append(b, '}')
}

// MarshalJSONBody is AppendJSON(nil).
func (j *JobInfo) MarshalJSONBody() []byte { return j.AppendJSON(nil) }

// Marshal renders j in f.
func (j *JobInfo) Marshal(f Format) []byte {
	if f == FormatJSON {
		return j.MarshalJSONBody()
	}
	return j.MarshalXMLBody()
}
