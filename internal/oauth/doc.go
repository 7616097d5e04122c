// Package oauth implements Salesforce's OAuth 2.0 endpoints: the token endpoint
// (POST /services/oauth2/token) and the identity URL, UserInfo, introspection (RFC 7662),
// revocation (RFC 7009, Salesforce's variant) and OpenID discovery.
//
// The token endpoint is one dispatcher (token.go) over a table of grants (grant.go). The
// dispatcher owns request parsing, client authentication as each grant requires it, the
// user policy every grant shares (active, login IP ranges, approval — grant.go says which
// apply to which grant, and why), issuing, the response's shape and the LoginHistory row
// of every attempt; a grant only proves who the user is (clientcredentials.go,
// password.go, jwtbearer.go). Its rules are table-tested in this package
// (TestGrantPolicy), end to end with real clients in internal/server.
//
// The web server flow's exchange (authorization_code) and the refresh token grant
// (webgrants.go, ../shared/reference/salesforce-webflow.md §3–§4) issue through mintGrant
// (mint.go), which the authorize endpoint's user-agent flow uses too: a session, a refresh
// token stored by hash when refresh_token or offline_access is granted, an id_token when
// openid is. Refresh tokens are also revoked and introspected here (refreshrevoke.go).
// Their rules are table-tested in TestCodeGrant, TestRefreshGrant and
// TestRefreshRevocation.
//
// The wire contract is ../shared/reference/salesforce-oauth.md: success bodies are JSON with
// string values and no expires_in; every token error is HTTP 400
// {"error","error_description"} with Salesforce's exact strings (§2).
package oauth
