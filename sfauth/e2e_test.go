package sfauth_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/sfauth"
)

// Client credentials against Forcefield, with the secret in the body and in HTTP Basic
// (the reference §1.3), then a REST call through the client.
func TestClientCredentialsForcefield(t *testing.T) {
	ff := start(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		style sfauth.AuthStyle
	}{{"secret in body", sfauth.AuthStyleInParams}, {"secret in Basic", sfauth.AuthStyleInHeader}} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &sfauth.Config{URL: ff.URL + "/", ClientID: testKey, ClientSecret: testSecret, AuthStyle: tc.style}
			tok, err := cfg.Token(ctx)
			if err != nil {
				t.Fatalf("Token: %v", err)
			}
			got := map[string]string{"instance_url": tok.InstanceURL, "token_type": tok.TokenType, "scope": tok.Scope}
			want := map[string]string{"instance_url": ff.URL, "token_type": "Bearer", "scope": "api id"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("token fields (-want +got):\n%s", diff)
			}
			if tok.Signature == "" || tok.IssuedAt == "" || len(tok.OrgID()) != 18 || len(tok.UserID()) != 18 || tok.Issued().IsZero() {
				t.Errorf("token %+v: want a signature, issued_at and an id with 18-character org and user ids", tok)
			}
			if o := tok.OAuth2(); o.AccessToken != tok.AccessToken || o.Extra("instance_url") != ff.URL || !o.Expiry.IsZero() {
				t.Errorf("OAuth2() = %+v, want the same token with instance_url in Extra and no expiry", o)
			}

			resp, err := cfg.Client(ctx).Get("/services/data/v59.0/limits")
			if err != nil {
				t.Fatalf("GET relative /limits: %v", err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET /limits: %d %s", resp.StatusCode, body)
			}
		})
	}
}

func TestTypedErrors(t *testing.T) {
	ff := start(t)
	ctx := context.Background()

	cfg := &sfauth.Config{URL: ff.URL, ClientID: testKey, ClientSecret: "WrongSecret"}
	_, err := cfg.Token(ctx)
	var te *sfauth.TokenError
	if !errors.As(err, &te) {
		t.Fatalf("wrong secret: %T %v, want *sfauth.TokenError", err, err)
	}
	if diff := cmp.Diff(sfauth.TokenError{StatusCode: 400, Code: "invalid_client", Description: "invalid client credentials"}, *te); diff != "" {
		t.Errorf("wrong secret (-want +got):\n%s", diff)
	}

	cfg.ClientSecret = testSecret
	resp, err := cfg.Client(ctx).Get("/services/data/v59.0/nosuchthing")
	if err != nil {
		t.Fatal(err)
	}
	err = sfauth.CheckResponse(resp)
	var ae *sfauth.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("unknown resource: %T %v, want *sfauth.APIError", err, err)
	}
	if ae.StatusCode != http.StatusNotFound || len(ae.Errors) != 1 || ae.Errors[0].ErrorCode != "NOT_FOUND" {
		t.Errorf("unknown resource: %d %+v, want 404 [NOT_FOUND]", ae.StatusCode, ae.Errors)
	}
}

// A token without the api scope gets 401 "This session is not valid for use with the REST
// API": a new token would not help, so none is requested (jsforce does the same).
func TestNotRESTSessionIsNotRenewed(t *testing.T) {
	ff := start(t)
	c := &counter{base: http.DefaultTransport}
	cfg := &sfauth.Config{URL: ff.URL, ClientID: "IdOnlyKey0002", ClientSecret: "IdOnlySecret0002", HTTPClient: &http.Client{Transport: c}}
	client := &http.Client{Transport: &sfauth.Transport{Source: cfg.TokenSource(context.Background()), Base: c}}
	resp, err := client.Get("/services/data/v59.0/limits")
	if err != nil {
		t.Fatal(err)
	}
	err = sfauth.CheckResponse(resp)
	var ae *sfauth.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 || len(ae.Errors) != 1 || ae.Errors[0].ErrorCode != "INVALID_SESSION_ID" {
		t.Fatalf("error %v, want a 401 INVALID_SESSION_ID", err)
	}
	if n := c.tokens.Load(); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
}
