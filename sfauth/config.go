package sfauth

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// AuthStyle says where a client credentials, password or refresh token request puts the
// consumer key and secret (RFC 6749 §2.3.1). Salesforce accepts both.
type AuthStyle int

const (
	// AuthStyleInParams sends client_id and client_secret in the form body (jsforce,
	// go-salesforce, the Salesforce docs).
	AuthStyleInParams AuthStyle = iota
	// AuthStyleInHeader sends them in Authorization: Basic (simple-salesforce).
	AuthStyleInHeader
)

// Grant types (RFC 6749 §4.3, §4.4, §6; RFC 7523 §2.1).
const (
	grantClientCredentials = "client_credentials"
	grantPassword          = "password"
	grantJWTBearer         = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	grantRefreshToken      = "refresh_token"
)

// Config describes how to get a token from one org. The grant follows from the fields set:
// PrivateKey selects JWT bearer, Password selects username-password, RefreshToken selects
// the refresh token grant, and otherwise client credentials is used. A Config must not be
// changed once in use (a rotated refresh token is kept by the TokenSource, not written
// back here).
type Config struct {
	// URL is the login URL (https://login.salesforce.com, https://test.salesforce.com) or
	// the org's My Domain URL (https://acme.my.salesforce.com; required for client
	// credentials), or a Forcefield server. The token endpoint is URL +
	// "/services/oauth2/token". A URL without a scheme gets https://.
	URL string

	ClientID     string    // consumer key
	ClientSecret string    // consumer secret; also verifies response signatures
	AuthStyle    AuthStyle // where ClientID/ClientSecret go; JWT bearer sends neither

	// Username is the user of the JWT bearer (sub) and password grants.
	Username string
	// Password and SecurityToken select the username-password grant; the token is
	// appended to the password, as Salesforce expects (the reference §1.5).
	Password, SecurityToken string

	// PrivateKey selects the JWT bearer grant: the key matching the certificate of the
	// connected app. See ParsePrivateKey.
	PrivateKey *rsa.PrivateKey
	// Audience is the JWT aud claim. Default: https://test.salesforce.com for a sandbox
	// URL, https://login.salesforce.com for other Salesforce hosts, URL itself otherwise.
	Audience string

	// RefreshToken selects the refresh token grant (RFC 6749 §6; the webflow reference
	// §4): a token obtained once through the web server flow (or `sf org login web`). It
	// is sent with ClientID and, when set, ClientSecret (apps whose "Require Secret for
	// Refresh Token Flow" is off, like the Salesforce CLI's PlatformCLI, need none).
	RefreshToken string
	// OnRefreshToken, if set, is called with the new refresh token when the server rotates
	// it (Refresh Token Rotation, the webflow reference §4.4): the one in use stops
	// working, so a program that stores its refresh token must store the new one. A
	// TokenSource uses the new token from then on either way, as golang.org/x/oauth2 does.
	// It runs on the goroutine that made the token request; a TokenSource makes one at a
	// time, but separate TokenSources or Token calls on one Config may call it concurrently.
	OnRefreshToken func(newRefreshToken string)

	// HTTPClient sends token requests; nil means a client with a one-minute timeout.
	HTTPClient *http.Client
	// Now is the clock for JWT expiry; nil means time.Now.
	Now func() time.Time
}

// grant returns the grant type the fields select, or an error for a contradictory Config.
func (c *Config) grant() (string, error) {
	switch {
	case c.ClientID == "":
		return "", errors.New("sfauth: Config.ClientID (the consumer key) is required")
	case c.PrivateKey != nil && c.Password != "":
		return "", errors.New("sfauth: set either PrivateKey (JWT bearer) or Password (username-password), not both")
	case c.RefreshToken != "" && (c.PrivateKey != nil || c.Password != ""):
		return "", errors.New("sfauth: set RefreshToken alone, without PrivateKey or Password")
	case c.RefreshToken != "":
		return grantRefreshToken, nil
	case c.PrivateKey != nil:
		if c.Username == "" {
			return "", errors.New("sfauth: the JWT bearer grant needs Config.Username")
		}
		return grantJWTBearer, nil
	case c.Password != "":
		if c.Username == "" {
			return "", errors.New("sfauth: the password grant needs Config.Username")
		}
		return grantPassword, nil
	case c.ClientSecret == "":
		return "", errors.New("sfauth: the client credentials grant needs Config.ClientSecret")
	}
	return grantClientCredentials, nil
}

// baseURL is URL with a scheme and without a trailing slash.
func (c *Config) baseURL() string {
	u := strings.TrimSuffix(strings.TrimSpace(c.URL), "/")
	if u != "" && !strings.Contains(u, "://") {
		u = "https://" + u
	}
	return u
}

// TokenURL is the token endpoint the Config posts to.
func (c *Config) TokenURL() string { return c.baseURL() + "/services/oauth2/token" }

func (c *Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// defaultHTTPClient is used for token requests when Config.HTTPClient is nil. It is
// immutable, so sharing it is no global state.
var defaultHTTPClient = &http.Client{Timeout: time.Minute}

// Token requests a new token (RFC 6749 §4.3.2, §4.4.2, §6; RFC 7523 §2.1). It verifies the
// response signature when ClientSecret is set and the response has one. An error answer
// is a *TokenError. With a refresh token whose app rotates them, the returned Token's
// RefreshToken is the new one (and OnRefreshToken is called); Config.RefreshToken no
// longer works after that.
func (c *Config) Token(ctx context.Context) (*Token, error) {
	return c.token(ctx, c.RefreshToken)
}

// token requests a token; refresh is the refresh token to present (the TokenSource's
// current one, which rotation may have replaced).
func (c *Config) token(ctx context.Context, refresh string) (*Token, error) {
	grant, err := c.grant()
	if err != nil {
		return nil, err
	}
	if c.URL == "" {
		return nil, errors.New("sfauth: Config.URL (login or My Domain URL) is required")
	}
	form := url.Values{"grant_type": {grant}}
	basic := false
	switch grant {
	case grantJWTBearer:
		// Only grant_type and assertion, like every client (the reference §1.4).
		a, err := c.assertion()
		if err != nil {
			return nil, err
		}
		form.Set("assertion", a)
	case grantRefreshToken:
		form.Set("refresh_token", refresh)
		// Like jsforce and sfdx-core: no client_secret parameter when there is none (the
		// webflow reference §5.2); Basic only with a secret to send.
		if c.AuthStyle == AuthStyleInHeader && c.ClientSecret != "" {
			basic = true
		} else {
			form.Set("client_id", c.ClientID)
			if c.ClientSecret != "" {
				form.Set("client_secret", c.ClientSecret)
			}
		}
	case grantPassword:
		form.Set("username", c.Username)
		form.Set("password", c.Password+c.SecurityToken)
		fallthrough
	default:
		if c.AuthStyle == AuthStyleInHeader {
			basic = true
		} else {
			form.Set("client_id", c.ClientID)
			form.Set("client_secret", c.ClientSecret)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.TokenURL(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("sfauth: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if basic {
		// RFC 6749 §2.3.1: each part form-urlencoded, then Basic.
		req.SetBasicAuth(url.QueryEscape(c.ClientID), url.QueryEscape(c.ClientSecret))
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("sfauth: token request: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("sfauth: reading token response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, tokenError(resp.StatusCode, body)
	}
	tok, err := parseToken(body)
	if err != nil {
		return nil, err
	}
	if err := tok.verifySignature(c.ClientSecret); err != nil {
		return nil, err
	}
	if grant == grantRefreshToken && tok.RefreshToken != "" && tok.RefreshToken != refresh && c.OnRefreshToken != nil {
		c.OnRefreshToken(tok.RefreshToken)
	}
	return tok, nil
}

// tokenError decodes an RFC 6749 §5.2 error body.
func tokenError(status int, body []byte) *TokenError {
	e := &TokenError{StatusCode: status}
	if json.Unmarshal(body, e) != nil || e.Code == "" {
		e.Code, e.Description = "", ""
		e.Body = body
	}
	return e
}
