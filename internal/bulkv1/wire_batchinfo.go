package bulkv1

import (
	"time"

	"github.com/forcefield/forcefield/internal/bulk"
)

// BatchInfo is a Bulk API 1.0 batch (reference §4.3).
type BatchInfo struct {
	ID                      string
	JobID                   string
	State                   string
	StateMessage            string // rendered when set; set it on Failed and NotProcessed batches
	CreatedDate             time.Time
	SystemModstamp          time.Time
	NumberRecordsProcessed  int64
	NumberRecordsFailed     int64
	TotalProcessingTime     int64
	APIActiveProcessingTime int64
	ApexProcessingTime      int64
}

// AppendXML appends the batchInfo XML body (reference §4.3, prolog joined as in §1).
func (bi *BatchInfo) AppendXML(b []byte) []byte {
	b = appendXMLRoot(b, "batchInfo")
	b = bi.appendXMLFields(b, 1)
	return appendXMLEnd(b, 0, "batchInfo")
}

func (bi *BatchInfo) appendXMLFields(b []byte, l int) []byte {
	b = appendXMLText(b, l, "id", bi.ID)
	b = appendXMLText(b, l, "jobId", bi.JobID)
	b = appendXMLText(b, l, "state", bi.State)
	if bi.StateMessage != "" {
		b = appendXMLText(b, l, "stateMessage", bi.StateMessage)
	}
	b = appendXMLText(b, l, "createdDate", xmlDate(bi.CreatedDate))
	b = appendXMLText(b, l, "systemModstamp", xmlDate(bi.SystemModstamp))
	b = appendXMLInt(b, l, "numberRecordsProcessed", bi.NumberRecordsProcessed)
	b = appendXMLInt(b, l, "numberRecordsFailed", bi.NumberRecordsFailed)
	b = appendXMLInt(b, l, "totalProcessingTime", bi.TotalProcessingTime)
	b = appendXMLInt(b, l, "apiActiveProcessingTime", bi.APIActiveProcessingTime)
	return appendXMLInt(b, l, "apexProcessingTime", bi.ApexProcessingTime)
}

// MarshalXMLBody is AppendXML(nil).
func (bi *BatchInfo) MarshalXMLBody() []byte { return bi.AppendXML(nil) }

// AppendJSON appends the batchInfo JSON object, keys alphabetical as in the reference's
// JSON example (§4.3); stateMessage, when set, sorts between state and systemModstamp.
// A Failed batch always carries the key (null when unset): simple-salesforce reads
// batch['stateMessage'] of a Failed batch and would raise KeyError without it (§7.4).
func (bi *BatchInfo) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	b = appendJSONKey(b, true, "apexProcessingTime")
	b = appendJSONInt(b, bi.ApexProcessingTime)
	b = appendJSONKey(b, false, "apiActiveProcessingTime")
	b = appendJSONInt(b, bi.APIActiveProcessingTime)
	b = appendJSONKey(b, false, "createdDate")
	b = appendJSONString(b, jsonDate(bi.CreatedDate))
	b = appendJSONKey(b, false, "id")
	b = appendJSONString(b, bi.ID)
	b = appendJSONKey(b, false, "jobId")
	b = appendJSONString(b, bi.JobID)
	b = appendJSONKey(b, false, "numberRecordsFailed")
	b = appendJSONInt(b, bi.NumberRecordsFailed)
	b = appendJSONKey(b, false, "numberRecordsProcessed")
	b = appendJSONInt(b, bi.NumberRecordsProcessed)
	b = appendJSONKey(b, false, "state")
	b = appendJSONString(b, bi.State)
	if bi.StateMessage != "" || bi.State == bulk.BatchFailed {
		b = appendJSONKey(b, false, "stateMessage")
		b = appendJSONStringOrNull(b, bi.StateMessage)
	}
	b = appendJSONKey(b, false, "systemModstamp")
	b = appendJSONString(b, jsonDate(bi.SystemModstamp))
	b = appendJSONKey(b, false, "totalProcessingTime")
	b = appendJSONInt(b, bi.TotalProcessingTime)
	return append(b, '}')
}

// MarshalJSONBody is AppendJSON(nil).
func (bi *BatchInfo) MarshalJSONBody() []byte { return bi.AppendJSON(nil) }

// Marshal renders bi in f.
func (bi *BatchInfo) Marshal(f Format) []byte {
	if f == FormatJSON {
		return bi.MarshalJSONBody()
	}
	return bi.MarshalXMLBody()
}

// BatchInfoList is the answer of GET /job/{id}/batch (reference §4.3).
type BatchInfoList []BatchInfo

// MarshalXMLBody renders <batchInfoList> with each <batchInfo> indented one more space, as
// captured from real orgs. An empty list is the root with no children.
func (l BatchInfoList) MarshalXMLBody() []byte {
	b := appendXMLRoot(nil, "batchInfoList")
	for i := range l {
		b = appendXMLStart(b, 1, "batchInfo")
		b = l[i].appendXMLFields(b, 2)
		b = appendXMLEnd(b, 1, "batchInfo")
	}
	return appendXMLEnd(b, 0, "batchInfoList")
}

// MarshalJSONBody renders {"batchInfo":[…]}; an empty list is {"batchInfo":[]}.
func (l BatchInfoList) MarshalJSONBody() []byte {
	b := append([]byte(nil), `{"batchInfo":[`...)
	for i := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = l[i].AppendJSON(b)
	}
	return append(b, "]}"...)
}

// Marshal renders l in f.
func (l BatchInfoList) Marshal(f Format) []byte {
	if f == FormatJSON {
		return l.MarshalJSONBody()
	}
	return l.MarshalXMLBody()
}

// ResultList is the answer of GET …/batch/{id}/result for a query batch: the ids (752…)
// of its result files (reference §4.5).
type ResultList []string

// MarshalXMLBody renders <result-list> with one <result> per id.
func (l ResultList) MarshalXMLBody() []byte {
	b := appendXMLRoot(nil, "result-list")
	for _, id := range l {
		b = appendXMLText(b, 1, "result", id)
	}
	return appendXMLEnd(b, 0, "result-list")
}

// MarshalJSONBody renders a JSON array of the ids; an empty list is [].
func (l ResultList) MarshalJSONBody() []byte {
	b := []byte{'['}
	for i, id := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, id)
	}
	return append(b, ']')
}

// Marshal renders l in f.
func (l ResultList) Marshal(f Format) []byte {
	if f == FormatJSON {
		return l.MarshalJSONBody()
	}
	return l.MarshalXMLBody()
}
