package sfauth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/forcefield/forcefield/sfauth"
)

// The examples run against a Forcefield started by TestMain; against a real org, URL is
// the org's My Domain URL, e.g. https://acme.my.salesforce.com.

func ExampleConfig_Token() {
	cfg := &sfauth.Config{
		URL:          exampleServer.URL, // https://acme.my.salesforce.com
		ClientID:     "AcmeKey0001",     // the connected app's consumer key
		ClientSecret: "AcmeSecret0001",  // and secret: read them from the environment
	}
	tok, err := cfg.Token(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	// The response signature has been verified; the token has no expiry.
	fmt.Println(tok.TokenType, tok.Scope, tok.InstanceURL == exampleServer.URL, len(tok.UserID()))
	// Output: Bearer api id true 18
}

func ExampleConfig_Client() {
	cfg := &sfauth.Config{URL: exampleServer.URL, ClientID: "AcmeKey0001", ClientSecret: "AcmeSecret0001"}
	client := cfg.Client(context.Background()) // share it: one token for all goroutines

	// A relative URL goes to the token's instance_url.
	resp, err := client.Get("/services/data/v59.0/limits")
	if err != nil {
		log.Fatal(err)
	}
	if err := sfauth.CheckResponse(resp); err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var limits map[string]struct{ Max, Remaining int }
	if err := json.NewDecoder(resp.Body).Decode(&limits); err != nil {
		log.Fatal(err)
	}
	fmt.Println("daily API requests:", limits["DailyApiRequests"].Max)
	// Output: daily API requests: 101000
}

func ExampleCheckResponse() {
	cfg := &sfauth.Config{URL: exampleServer.URL, ClientID: "AcmeKey0001", ClientSecret: "AcmeSecret0001"}
	resp, err := cfg.Client(context.Background()).Get("/services/data/v59.0/sobjects/NoSuchObject__c")
	if err != nil {
		log.Fatal(err)
	}
	var apiErr *sfauth.APIError
	if err := sfauth.CheckResponse(resp); errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Errors[0].ErrorCode)
	}
	// Output: 404 NOT_FOUND
}

func ExampleTokenError() {
	cfg := &sfauth.Config{URL: exampleServer.URL, ClientID: "AcmeKey0001", ClientSecret: "wrong"}
	_, err := cfg.Token(context.Background())
	var tokErr *sfauth.TokenError
	if errors.As(err, &tokErr) {
		fmt.Println(tokErr.StatusCode, tokErr.Code, tokErr.Description)
	}
	// Output: 400 invalid_client invalid client credentials
}

// The JWT bearer flow needs a connected app with a certificate and a pre-authorized user;
// this example needs a real org, so it has no output to check.
func ExampleConfig_Token_jwtBearer() {
	pemBytes, err := os.ReadFile("server.key") // the key of the certificate uploaded to the app
	if err != nil {
		log.Fatal(err)
	}
	key, err := sfauth.ParsePrivateKey(pemBytes)
	if err != nil {
		log.Fatal(err)
	}
	cfg := &sfauth.Config{
		URL:        "https://login.salesforce.com", // aud defaults to it; test.salesforce.com for sandboxes
		ClientID:   os.Getenv("SF_CONSUMER_KEY"),
		PrivateKey: key,
		Username:   "integration@acme.example",
	}
	tok, err := cfg.Token(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.InstanceURL)
}

// A TokenSource is also a golang.org/x/oauth2 TokenSource, and a Transport can wrap any
// base RoundTripper.
func ExampleTransport() {
	cfg := &sfauth.Config{URL: exampleServer.URL, ClientID: "AcmeKey0001", ClientSecret: "AcmeSecret0001", AuthStyle: sfauth.AuthStyleInHeader}
	src := cfg.TokenSource(context.Background())
	client := &http.Client{Transport: &sfauth.Transport{Source: src, Base: http.DefaultTransport}}

	resp, err := client.Get("/services/oauth2/userinfo")
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	tok, err := src.Token() // the same token, as an *oauth2.Token
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, tok.Extra("instance_url") == exampleServer.URL)
	// Output: 200 true
}
