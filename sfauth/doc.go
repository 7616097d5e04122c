// Package sfauth is the client side of Salesforce's server-to-server OAuth 2.0 flows and of
// the refresh token a browser flow leaves behind: it gets access tokens from a Salesforce
// org (or from Forcefield, which speaks the same wire protocol) and uses them,
// re-authenticating when the session ends.
//
// # Getting a token
//
// A [Config] names the org's login or My Domain URL and the connected app's consumer key,
// and selects the grant from the credentials it holds:
//
//   - client credentials (RFC 6749 §4.4): ClientID and ClientSecret, the secret sent in the
//     body or in HTTP Basic (RFC 6749 §2.3.1), see [AuthStyle];
//   - JWT bearer (RFC 7523 §2.1): PrivateKey and Username, optionally Audience;
//   - username-password (RFC 6749 §4.3): Username, Password and SecurityToken;
//   - refresh token (RFC 6749 §6): RefreshToken, from a web server flow done once, with
//     ClientID and, if the app requires it, ClientSecret. When the app rotates refresh
//     tokens, the [TokenSource] presents the newest one from then on and
//     [Config.OnRefreshToken] lets a program store it.
//
// Salesforce answers with a token that has no expires_in: a client learns that its session
// ended only from a 401 INVALID_SESSION_ID on the REST API. That is what [Transport] and
// [Config.Client] handle.
//
// # Using a token
//
// [Config.Client] returns an *http.Client whose [Transport] adds the bearer token, resolves
// relative URLs such as "/services/data/v59.0/limits" against the token's instance_url,
// and on a 401 INVALID_SESSION_ID gets one new token for all concurrent callers and retries
// each request once (when its body can be replayed). [TokenSource] is the shared token
// cache behind it and implements golang.org/x/oauth2's TokenSource.
//
// # Errors
//
// Token-endpoint errors are [*TokenError] (error and error_description, RFC 6749 §5.2);
// REST API errors, returned by [CheckResponse], are [*APIError] (Salesforce's array of
// message, errorCode and fields). A token response whose signature does not match is
// reported as [ErrSignature].
//
// Nothing in this package keeps global state; every type is safe for concurrent use once
// configured.
package sfauth
