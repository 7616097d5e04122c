// Package oauth implements Salesforce's OAuth 2.0 endpoints: the token endpoint
// (POST /services/oauth2/token) with one handler per grant behind a dispatcher that owns
// request parsing, client authentication and error rendering; and the identity URL,
// UserInfo, introspection (RFC 7662), revocation (RFC 7009, Salesforce's variant) and
// OpenID discovery.
//
// The wire contract is ../shared/reference/salesforce-oauth.md: success bodies are JSON with
// string values and no expires_in; every token error is HTTP 400
// {"error","error_description"} with Salesforce's exact strings (§2).
package oauth
