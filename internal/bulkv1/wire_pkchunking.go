package bulkv1

import (
	"strconv"
	"strings"
)

// PK chunking bounds (reference §4.7, Salesforce "PK Chunking").
const (
	DefaultPKChunkSize = 100000
	MaxPKChunkSize     = 250000
)

// PKChunking is a parsed Sforce-Enable-PKChunking header.
type PKChunking struct {
	ChunkSize int    // DefaultPKChunkSize unless chunkSize= says otherwise
	Parent    string // parent=<Object>, for history, share and feed objects
	StartRow  string // startRow=<15 or 18-character id>
}

// ParsePKChunking parses the Sforce-Enable-PKChunking header of a job create request.
// It reports whether PK chunking is on: "true" (any case) or any parameter turns it on,
// "false" or an empty header leaves it off. The value splits on ";"; each part is
// trimmed, keys (chunkSize, parent, startRow) are matched case-insensitively and unknown
// keys are ignored, as singer (`true; chunkSize=100000; parent=Account`) and Meltano send
// (reference §4.7). Errors are *Error InvalidJob for a chunkSize that is not a whole
// number from 1 to MaxPKChunkSize, a startRow that is not a 15/18-character id, an empty
// parent, or a part that is neither true/false nor key=value.
func ParsePKChunking(header string) (PKChunking, bool, error) {
	pk := PKChunking{ChunkSize: DefaultPKChunkSize}
	on, off := false, false
	for part := range strings.SplitSeq(header, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		key, value, hasValue := strings.Cut(part, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !hasValue {
			switch {
			case strings.EqualFold(part, "true"):
				on = true
			case strings.EqualFold(part, "false"):
				off = true
			default:
				return PKChunking{}, false, errorf(InvalidJob, "Invalid Sforce-Enable-PKChunking value: %s", truncate(part, 64))
			}
			continue
		}
		switch strings.ToLower(key) {
		case "chunksize":
			n, err := strconv.Atoi(value)
			if err != nil || n < 1 || n > MaxPKChunkSize {
				return PKChunking{}, false, errorf(InvalidJob, "Invalid PK chunking chunkSize: %s; it must be between 1 and %d", truncate(value, 32), MaxPKChunkSize)
			}
			pk.ChunkSize = n
		case "parent":
			if value == "" {
				return PKChunking{}, false, errorf(InvalidJob, "Invalid PK chunking parent: empty")
			}
			pk.Parent = value
		case "startrow":
			if !isRecordID(value) {
				return PKChunking{}, false, errorf(InvalidJob, "Invalid PK chunking startRow: %s", truncate(value, 32))
			}
			pk.StartRow = value
		default:
			continue // unknown keys are ignored
		}
		on = true
	}
	if off || !on {
		return PKChunking{}, false, nil
	}
	return pk, true, nil
}

func isRecordID(s string) bool {
	if len(s) != 15 && len(s) != 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
