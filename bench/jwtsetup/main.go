// Command jwtsetup prepares the JWT bearer benchmark (bench/flows.sh): it generates an RSA
// key and a self-signed certificate, writes the certificate to DIR/app.crt for the org
// file, and prints one assertion signed with the key. The benchmark reuses that assertion
// for every request, which Salesforce allows: it checks no jti, so an assertion is valid
// until its exp (docs/compatibility.md).
package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

func main() {
	dir := flag.String("dir", ".", "directory for app.crt")
	iss := flag.String("iss", "BenchJwtKey01", "consumer key")
	sub := flag.String("sub", "bench@bench.example", "username")
	aud := flag.String("aud", "https://login.salesforce.com", "audience")
	flag.Parse()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		log.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "forcefield bench"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		log.Fatal(err)
	}
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := os.WriteFile(filepath.Join(*dir, "app.crt"), cert, 0o644); err != nil {
		log.Fatal(err)
	}
	enc := base64.RawURLEncoding
	claims, _ := json.Marshal(map[string]any{"iss": *iss, "sub": *sub, "aud": *aud, "exp": time.Now().Add(time.Hour).Unix()})
	input := enc.EncodeToString([]byte(`{"alg":"RS256"}`)) + "." + enc.EncodeToString(claims)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(input + "." + enc.EncodeToString(sig))
}
