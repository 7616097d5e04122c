package main

import (
	"context"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tls-cert --salesforce writes a CA and a leaf; serve, given the leaf, answers a client
// that trusts only ca.pem and dials login.salesforce.com / acme.my.salesforce.com (resolved
// here to the listener, as the hosts file would) with that host's URLs, and refuses client
// credentials on the login host with Salesforce's body.
func TestTLSCertSalesforceAndServe(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tls")
	var out strings.Builder
	if err := run(t.Context(), []string{"tls-cert", "--salesforce", "--dir", dir}, &out, &out); err != nil {
		t.Fatalf("tls-cert --salesforce: %v\n%s", err, out.String())
	}
	caFile, certFile, keyFile := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for _, want := range []string{"private key was not kept", "forcefield login-hosts --ca " + caFile, "--tls-cert " + certFile} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("tls-cert --salesforce output lacks %q:\n%s", want, out.String())
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tlsAddr := l.Addr().String()
	l.Close()
	p := startServe(t, []string{"FORCEFIELD_TLS_ADDR=" + tlsAddr, "FORCEFIELD_TLS_CERT=" + certFile, "FORCEFIELD_TLS_KEY=" + keyFile},
		"--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "ff.db"))
	key, secret := keyLine.FindStringSubmatch(p.Stdout)[1], secretLine.FindStringSubmatch(p.Stdout)[1]

	pemBytes, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pemBytes)
	_, port, _ := net.SplitHostPort(tlsAddr)
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		// The hosts file's job: every name resolves to the TLS listener.
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, tlsAddr)
		},
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Timeout: 10 * time.Second, Transport: tr}
	post := func(host string, form url.Values) (int, map[string]string) {
		var resp *http.Response
		var err error
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if resp, err = client.PostForm("https://"+host+":"+port+"/services/oauth2/token", form); err == nil || time.Now().After(deadline) {
				break
			}
		}
		if err != nil {
			t.Fatalf("POST to %s: %v", host, err)
		}
		defer resp.Body.Close()
		var m map[string]string
		body, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("POST to %s: %d %s", host, resp.StatusCode, body)
		}
		return resp.StatusCode, m
	}
	cc := url.Values{"grant_type": {"client_credentials"}, "client_id": {key}, "client_secret": {secret}}
	if status, m := post("login.salesforce.com", cc); status != 400 || m["error"] != "invalid_grant" || m["error_description"] != "request not supported on this domain" {
		t.Errorf("client credentials at login.salesforce.com: %d %v", status, m)
	}
	status, m := post("demo.my.salesforce.com", cc)
	if status != 200 || !strings.HasPrefix(m["id"], "https://demo.my.salesforce.com:"+port+"/id/") || !strings.HasSuffix(m["instance_url"], ".my.salesforce.com:"+port) {
		t.Errorf("client credentials at a My Domain: %d %v", status, m)
	}
}

// login-hosts prints the steps with the real paths, the My Domains asked for, and the undo
// of each; on macOS the keychain entry is named by the CA's SHA-1.
func TestLoginHostsCmd(t *testing.T) {
	dir := t.TempDir()
	var out strings.Builder
	if err := run(t.Context(), []string{"tls-cert", "--salesforce", "--dir", dir}, &out, &out); err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(dir, "ca.pem")
	var linux, mac, stderr strings.Builder
	if err := run(t.Context(), []string{"login-hosts", "--ca", ca, "--my-domain", "Acme, globex.my.salesforce.com", "--os", "linux"}, &linux, &stderr); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# BEGIN forcefield login hosts\n127.0.0.1 login.salesforce.com test.salesforce.com acme.my.salesforce.com globex.my.salesforce.com\n",
		"# undo: sudo sed -i '/^# BEGIN forcefield login hosts$/,/^# END forcefield login hosts$/d' /etc/hosts",
		"export NODE_EXTRA_CA_CERTS=" + ca,
		"sudo cp " + ca + " /usr/local/share/ca-certificates/forcefield-login-hosts.crt && sudo update-ca-certificates",
		"# undo: sudo setcap -r ",
		"# undo: sudo iptables -t nat -D OUTPUT -o lo -p tcp -d 127.0.0.1 --dport 443 -j REDIRECT --to-ports 8443",
	} {
		if !strings.Contains(linux.String(), want) {
			t.Errorf("linux steps lack %q:\n%s", want, linux.String())
		}
	}
	if err := run(t.Context(), []string{"login-hosts", "--ca", ca, "--os", "darwin", "--port", "9443"}, &mac, &stderr); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(ca)
	b, _ := pem.Decode(raw)
	sum := fmt.Sprintf("%X", sha1.Sum(b.Bytes))
	for _, want := range []string{
		"sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain " + ca,
		"# undo: sudo security delete-certificate -Z " + sum + " /Library/Keychains/System.keychain",
		"127.0.0.1 port 443 -> 127.0.0.1 port 9443",
		"sudo sed -i ''",
	} {
		if !strings.Contains(mac.String(), want) {
			t.Errorf("macOS steps lack %q:\n%s", want, mac.String())
		}
	}
	if err := run(t.Context(), []string{"login-hosts", "--os", "windows"}, &out, &out); err == nil {
		t.Error("login-hosts --os windows succeeded")
	}
}
