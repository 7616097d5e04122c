package bulkv1

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParsePKChunking(t *testing.T) {
	def := PKChunking{ChunkSize: DefaultPKChunkSize}
	for _, tc := range []struct {
		header string
		want   PKChunking
		on     bool
		err    *Error
	}{
		{"", PKChunking{}, false, nil},
		{"true", def, true, nil},
		{"TRUE", def, true, nil},
		{"FALSE", PKChunking{}, false, nil},
		{"false; chunkSize=5", PKChunking{}, false, nil},
		{"true; chunkSize=100000", def, true, nil},                         // singer
		{"true; chunkSize=50000", PKChunking{ChunkSize: 50000}, true, nil}, // Meltano
		{"true; chunkSize=100000; parent=Account; startRow=001000000000001", PKChunking{ChunkSize: 100000, Parent: "Account", StartRow: "001000000000001"}, true, nil},
		{"chunkSize=50000; startRow=00130000000xEftMGH", PKChunking{ChunkSize: 50000, StartRow: "00130000000xEftMGH"}, true, nil},
		{" True ;CHUNKSIZE = 250000 ; ; Parent=Account;other=1", PKChunking{ChunkSize: MaxPKChunkSize, Parent: "Account"}, true, nil},
		{"true; chunkSize=250001", PKChunking{}, false, &Error{InvalidJob, "Invalid PK chunking chunkSize: 250001; it must be between 1 and 250000"}},
		{"true; chunkSize=0", PKChunking{}, false, &Error{InvalidJob, "Invalid PK chunking chunkSize: 0; it must be between 1 and 250000"}},
		{"true; chunkSize=1e5", PKChunking{}, false, &Error{InvalidJob, "Invalid PK chunking chunkSize: 1e5; it must be between 1 and 250000"}},
		{"true; startRow=001", PKChunking{}, false, &Error{InvalidJob, "Invalid PK chunking startRow: 001"}},
		{"true; parent=", PKChunking{}, false, &Error{InvalidJob, "Invalid PK chunking parent: empty"}},
		{"yes", PKChunking{}, false, &Error{InvalidJob, "Invalid Sforce-Enable-PKChunking value: yes"}},
	} {
		t.Run(tc.header, func(t *testing.T) {
			got, on, err := ParsePKChunking(tc.header)
			var wantErr error
			if tc.err != nil {
				wantErr = tc.err
			}
			if diff := cmp.Diff(wantErr, err); diff != "" {
				t.Fatalf("error -want +got:\n%s", diff)
			}
			if on != tc.on {
				t.Errorf("on = %v, want %v", on, tc.on)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("-want +got:\n%s", diff)
			}
		})
	}
}
