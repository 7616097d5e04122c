package oauth

import (
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// maxFormBytes bounds a token-endpoint body. A JWT assertion with a certificate chain is
// the largest legitimate parameter; 64 KiB leaves ample room.
const maxFormBytes = 64 << 10

// params are a request's OAuth parameters: the URL query merged with a form body
// (the reference §1.2: the Mobile SDK puts device_id in the query, some clients put
// everything there).
type params url.Values

func (p params) get(k string) string {
	if v := p[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (p params) has(k string) bool { _, ok := p[k]; return ok }

// parseParams reads the query and a form body of any transfer encoding (jsforce sends
// chunked bodies with no Content-Length). RFC 6749 §3.2: parameters must not repeat, so a
// parameter given twice with different values is refused; the same value twice (query and
// body agreeing) is tolerated.
func parseParams(w http.ResponseWriter, r *http.Request) (params, *Error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, invalidRequest("malformed query string")
	}
	p := params(q)
	if r.Body != nil && r.Method != http.MethodGet {
		if ct := r.Header.Get("Content-Type"); ct != "" {
			mt, _, err := mime.ParseMediaType(ct)
			if err != nil || mt != "application/x-www-form-urlencoded" {
				return nil, invalidRequest("unsupported Content-Type %q: send application/x-www-form-urlencoded", ct)
			}
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFormBytes))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return nil, invalidRequest("request body larger than %d bytes", maxFormBytes)
			}
			return nil, invalidRequest("could not read the request body")
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, invalidRequest("malformed form body")
		}
		for k, vs := range form {
			p[k] = append(p[k], vs...)
		}
	}
	for k, vs := range p {
		for _, v := range vs[1:] {
			if v != vs[0] {
				return nil, invalidRequest("parameter %s given more than once with different values", k)
			}
		}
	}
	return p, nil
}

// clientCredentials extracts client_id and client_secret from the body or from HTTP Basic
// authentication (RFC 6749 §2.3.1; both styles are used by real clients, the reference §0
// item 2). In Basic, each part is form-urlencoded before base64, per the RFC.
// ok is false when the request carries no client_id at all.
func clientCredentials(r *http.Request, p params) (id, secret string, usedBasic bool, e *Error) {
	id, secret = p.get("client_id"), p.get("client_secret")
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return id, secret, false, nil
	}
	scheme, rest, _ := strings.Cut(auth, " ")
	if !strings.EqualFold(scheme, "Basic") {
		return id, secret, false, nil // e.g. a Bearer header on a token request: not client auth
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
	if err != nil {
		return "", "", true, invalidRequest("malformed Basic authorization header")
	}
	bid, bsecret, found := strings.Cut(string(raw), ":")
	if !found {
		return "", "", true, invalidRequest("malformed Basic authorization header")
	}
	if u, err := url.QueryUnescape(bid); err == nil {
		bid = u
	}
	if u, err := url.QueryUnescape(bsecret); err == nil {
		bsecret = u
	}
	if (id != "" && id != bid) || (secret != "" && secret != bsecret) {
		return "", "", true, invalidRequest("client credentials in the Authorization header and the body differ")
	}
	return bid, bsecret, true, nil
}

// sourceIP is the client address of the connection (proxies are not trusted).
func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// bearerToken returns the access token of a request: an Authorization header with the
// Bearer or OAuth scheme (jsforce's streaming client uses OAuth), else an oauth_token
// query parameter (identity URL and UserInfo; the reference §4.1).
func bearerToken(r *http.Request) string {
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, tok, _ := strings.Cut(auth, " ")
		if strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "OAuth") {
			return strings.TrimSpace(tok)
		}
	}
	return r.URL.Query().Get("oauth_token")
}

// postParams answers anything but POST with 405 and otherwise parses the parameters,
// writing the error itself when they are malformed; ok says whether to go on.
func postParams(w http.ResponseWriter, r *http.Request) (params, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeError(w, &Error{Code: "invalid_request", Description: "must use HTTP POST", Status: http.StatusMethodNotAllowed})
		return nil, false
	}
	p, e := parseParams(w, r)
	if e != nil {
		writeError(w, e)
		return nil, false
	}
	return p, true
}
