package sfauth_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/forcefield/forcefield/sfauth"
)

// The per-request cost of Transport: the same GET through a plain http.Transport and
// through sfauth.Transport over the same http.Transport, to a local server, and the
// Transport alone over a base that answers from memory. Compare with
//
//	go test -run '^$' -bench RoundTrip -benchmem -count 10 ./sfauth | benchstat -col /via -

// benchServer answers tokens and a small JSON body.
func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/services/oauth2/token" {
			io.WriteString(w, `{"access_token":"00D000000000001!AQ","instance_url":"http://`+r.Host+`","token_type":"Bearer"}`)
			return
		}
		io.WriteString(w, `{"DailyApiRequests":{"Max":15000,"Remaining":14999}}`)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func BenchmarkRoundTrip(b *testing.B) {
	srv := benchServer(b)
	base := http.DefaultTransport.(*http.Transport).Clone()
	b.Cleanup(base.CloseIdleConnections)
	cfg := &sfauth.Config{URL: srv.URL, ClientID: "k", ClientSecret: "s"}
	sf := &sfauth.Transport{Source: cfg.TokenSource(context.Background()), Base: base}
	buf := make([]byte, 512)
	run := func(b *testing.B, rt http.RoundTripper, req *http.Request) {
		b.ReportAllocs()
		for b.Loop() {
			resp, err := rt.RoundTrip(req)
			if err != nil {
				b.Fatal(err)
			}
			for {
				if _, err := resp.Body.Read(buf); err != nil {
					break
				}
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatal(resp.Status)
			}
		}
	}
	b.Run("via=http.Transport", func(b *testing.B) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/services/data/v59.0/limits", nil)
		req.Header.Set("Authorization", "Bearer 00D000000000001!AQ")
		run(b, base, req)
	})
	b.Run("via=sfauth.Transport", func(b *testing.B) {
		req, _ := http.NewRequest(http.MethodGet, "/services/data/v59.0/limits", nil)
		run(b, sf, req)
	})
}

// memoryBase answers every request with the same response, allocating nothing.
type memoryBase struct{ resp http.Response }

func (m *memoryBase) RoundTrip(*http.Request) (*http.Response, error) { return &m.resp, nil }

// BenchmarkTransportOverhead is the cost of Transport alone: the token lookup, the copy of
// the request and its header (http.RoundTripper must not modify the caller's request), and
// the URL resolved against instance_url.
func BenchmarkTransportOverhead(b *testing.B) {
	srv := benchServer(b)
	cfg := &sfauth.Config{URL: srv.URL, ClientID: "k", ClientSecret: "s"}
	base := &memoryBase{resp: http.Response{StatusCode: 200, Body: http.NoBody}}
	for _, tc := range []struct{ name, url string }{
		{"url=relative", "/services/data/v59.0/limits"},
		{"url=absolute", srv.URL + "/services/data/v59.0/limits"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			sf := &sfauth.Transport{Source: cfg.TokenSource(context.Background()), Base: base}
			req, _ := http.NewRequest(http.MethodGet, tc.url, nil)
			req.Header.Set("Accept", "application/json")
			req.Header.Set("User-Agent", strings.Repeat("x", 8))
			if _, err := sf.RoundTrip(req); err != nil { // fetch the token outside the loop
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				sf.RoundTrip(req)
			}
		})
	}
	// For reference, golang.org/x/oauth2's Transport with a static token does the same
	// job for an absolute URL (it clones the request with Request.Clone).
	b.Run("url=absolute/oauth2.Transport", func(b *testing.B) {
		rt := &oauth2.Transport{Source: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "00D000000000001!AQ"}), Base: base}
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/services/data/v59.0/limits", nil)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", strings.Repeat("x", 8))
		b.ReportAllocs()
		for b.Loop() {
			rt.RoundTrip(req)
		}
	})
}
