package org

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
)

// SecurityTokenLen is the length of a user's security token: Salesforce's are 24
// characters. The username-password flow's password parameter is the password followed
// by the token, so the server splits it at this length from the end.
const SecurityTokenLen = 24

// RSACertificateKey parses a connected app's PEM X.509 certificate and returns its RSA
// public key: Salesforce verifies JWT bearer assertions with RS256 only.
func RSACertificateKey(pemText string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New("not a PEM certificate (want -----BEGIN CERTIFICATE-----)")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, err
	}
	k, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, errors.New("the certificate's key is not RSA (Salesforce signs JWT bearer assertions with RS256 only)")
	}
	return k, nil
}
