package sfauth

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
)

// Transport is an http.RoundTripper that authenticates requests to the Salesforce REST
// API with the token of Source:
//
//   - it sets Authorization: Bearer <access token> (RFC 6750 §2.1);
//   - a request URL without a host, such as "/services/data/v59.0/limits", is sent to the
//     token's instance_url;
//   - on 401 with errorCode INVALID_SESSION_ID (the session expired or was revoked; the
//     reference §6.2) it renews the token, once for all concurrent callers holding the
//     same stale token, and retries the request once if its body can be sent again
//     (Request.GetBody is set, or there is no body). A 401 on the retry is returned as
//     is: Transport never loops. The 401 "This session is not valid for use with the REST
//     API" (a token without the api scope) is returned without renewing, as jsforce does,
//     since a new token would have the same scopes.
//
// The token is sent to whatever host an absolute URL names, as golang.org/x/oauth2's
// Transport does: use the client for Salesforce only.
type Transport struct {
	// Source provides the token; required. Share one Source between the Transports (and
	// goroutines) that should share a token.
	Source *TokenSource
	// Base sends the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
}

// Client returns an *http.Client that authenticates with c through a Transport, with a
// TokenSource using ctx for token requests.
func (c *Config) Client(ctx context.Context) *http.Client {
	return &http.Client{Transport: &Transport{Source: c.TokenSource(ctx)}}
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// RoundTrip implements http.RoundTripper. Following its contract, req is not modified: the
// request sent is a shallow copy with its own header map (and URL, when it is relative).
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	closeBody := func() {
		if req.Body != nil {
			req.Body.Close()
		}
	}
	tok, err := t.Source.Current(req.Context())
	if err != nil {
		closeBody()
		return nil, err
	}
	resp, err := t.base().RoundTrip(authorize(req, tok, req.Body))
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	if !invalidSession(resp) {
		return resp, nil
	}
	body := req.Body
	if body != nil && body != http.NoBody {
		if req.GetBody == nil {
			// The body was consumed and cannot be sent again: surface the 401, and let
			// the next request get a new token.
			t.Source.forget(tok)
			return resp, nil
		}
		if body, err = req.GetBody(); err != nil {
			t.Source.forget(tok)
			return resp, nil
		}
	}
	resp.Body.Close()
	fresh, err := t.Source.Renew(req.Context(), tok)
	if err != nil {
		if body != nil {
			body.Close()
		}
		return nil, err
	}
	return t.base().RoundTrip(authorize(req, fresh, body))
}

// authorize returns a shallow copy of req that carries tok and goes to its instance.
func authorize(req *http.Request, tok *Token, body io.ReadCloser) *http.Request {
	c := new(requestCopy) // the request and its URL in one allocation
	r := &c.req
	*r = *req
	r.Body = body
	h := make(http.Header, len(req.Header)+1)
	for k, v := range req.Header {
		h[k] = v // values are shared, read-only
	}
	h["Authorization"] = tok.auth
	r.Header = h
	if req.URL.Host == "" {
		u := &c.url
		*u = *req.URL
		u.Scheme, u.Host = tok.instance.Scheme, tok.instance.Host
		if tok.instance.Path != "" {
			u.Path = tok.instance.Path + u.Path
			u.RawPath = ""
		}
		r.URL = u
		r.Host = ""
	}
	return r
}

// requestCopy holds a copied request and, for a relative URL, its resolved URL.
type requestCopy struct {
	req http.Request
	url url.URL
}

// maxSniff bounds how much of a 401 body is read to find its errorCode.
const maxSniff = 16 << 10

// invalidSession reports whether a 401 response is Salesforce's INVALID_SESSION_ID for an
// ended session. It reads the body and puts back an equivalent one.
func invalidSession(resp *http.Response) bool {
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxSniff))
	rest := resp.Body
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(data), rest), rest}
	if err != nil {
		return false // the caller reads the same error from the body
	}
	var items []ErrorItem
	if json.Unmarshal(data, &items) != nil {
		return false
	}
	for _, it := range items {
		if it.ErrorCode == "INVALID_SESSION_ID" && it.Message != notRESTMessage {
			return true
		}
	}
	return false
}

// notRESTMessage is the 401 for a token without the api scope (the reference §6.2).
const notRESTMessage = "This session is not valid for use with the REST API"
