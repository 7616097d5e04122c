package sfauth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Token is a Salesforce token response (the reference §1.9). Salesforce sends every value
// as a string and no expires_in.
type Token struct {
	AccessToken string `json:"access_token"`
	InstanceURL string `json:"instance_url"` // where the REST API is, without a trailing slash
	ID          string `json:"id"`           // identity URL .../id/<orgId>/<userId>
	TokenType   string `json:"token_type"`   // "Bearer"
	IssuedAt    string `json:"issued_at"`    // epoch milliseconds, absent for JWT bearer
	Signature   string `json:"signature"`    // see ErrSignature
	Scope       string `json:"scope"`        // space-separated
	// RefreshToken is present when the app grants refresh_token and the flow issues one,
	// and on a refresh only when the app rotates refresh tokens (the webflow reference
	// §4.3, §4.4).
	RefreshToken string `json:"refresh_token,omitempty"`

	// Raw is the whole response body, including fields not listed above.
	Raw json.RawMessage `json:"-"`

	instance *url.URL // parsed InstanceURL
	auth     []string // the Authorization header value, shared read-only by every request
}

// parseToken decodes a 200 response body and prepares it for use by the Transport.
func parseToken(body []byte) (*Token, error) {
	t := &Token{Raw: json.RawMessage(body)}
	if err := json.Unmarshal(body, t); err != nil {
		return nil, fmt.Errorf("sfauth: token response is not JSON: %w", err)
	}
	if t.AccessToken == "" {
		return nil, errors.New("sfauth: token response has no access_token")
	}
	if t.InstanceURL == "" {
		return nil, errors.New("sfauth: token response has no instance_url")
	}
	u, err := url.Parse(strings.TrimSuffix(t.InstanceURL, "/"))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("sfauth: token response has an unusable instance_url %q", t.InstanceURL)
	}
	t.instance = u
	t.auth = []string{"Bearer " + t.AccessToken}[:1:1]
	return t, nil
}

// verifySignature checks signature = base64(HMAC-SHA256(key = consumer secret,
// message = id + issued_at)), standard base64 with padding (the reference §1.10). A
// response without a signature (JWT bearer, the reference §1.4) passes.
func (t *Token) verifySignature(secret string) error {
	if secret == "" || t.Signature == "" {
		return nil
	}
	got, err := base64.StdEncoding.DecodeString(t.Signature)
	if err != nil {
		return ErrSignature
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(t.ID + t.IssuedAt))
	if !hmac.Equal(got, mac.Sum(nil)) {
		return ErrSignature
	}
	return nil
}

// OrgID is the 18-character org ID: the second-last segment of the identity URL, as
// jsforce and the other clients read it (the reference §0 item 4); "" when id is malformed.
func (t *Token) OrgID() string { org, _ := t.ids(); return org }

// UserID is the 18-character user ID: the last segment of the identity URL; "" when id is
// malformed.
func (t *Token) UserID() string { _, user := t.ids(); return user }

func (t *Token) ids() (org, user string) {
	parts := strings.Split(t.ID, "/")
	if len(parts) < 3 || parts[len(parts)-3] != "id" {
		return "", ""
	}
	return parts[len(parts)-2], parts[len(parts)-1]
}

// Issued is issued_at as a time, zero when absent or malformed.
func (t *Token) Issued() time.Time {
	ms, err := strconv.ParseInt(t.IssuedAt, 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// OAuth2 returns t as a golang.org/x/oauth2 token. Expiry is zero (Salesforce sends no
// expires_in), and Extra gives every response field, e.g. Extra("instance_url").
func (t *Token) OAuth2() *oauth2.Token {
	var extra map[string]any
	json.Unmarshal(t.Raw, &extra) // Raw was decoded once already
	return (&oauth2.Token{AccessToken: t.AccessToken, TokenType: t.TokenType, RefreshToken: t.RefreshToken}).WithExtra(extra)
}
