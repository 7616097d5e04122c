package main

import (
	"context"
	"crypto/sha1"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/template"
)

// loginHostsCmd is `forcefield login-hosts`: it prints, and never runs, the exact steps
// that make tools hard-coding https://login.salesforce.com / https://test.salesforce.com
// reach a Forcefield on this machine — hosts-file lines, trusting the CA of `tls-cert
// --salesforce`, binding port 443 — each with what it changes on the machine and the
// command that undoes it (issue 10 §4; the webflow reference §7.2; docs/web-flow.md).
// Printing instead of doing is deliberate: every step needs root and changes how the
// whole machine reaches Salesforce, so the person running it should read it first.
func loginHostsCmd(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("login-hosts", "", stderr)
	ca := fs.String("ca", filepath.Join("tls", "ca.pem"), "the CA certificate written by `forcefield tls-cert --salesforce`")
	domains := fs.String("my-domain", "", "comma-separated My Domain names of your orgs (acme → acme.my.salesforce.com) to map as well")
	goos := fs.String("os", runtime.GOOS, "linux or darwin (macOS)")
	port := fs.Int("port", 8443, "the unprivileged port serve listens on when 443 is forwarded to it")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("login-hosts takes no arguments, got %q", fs.Args())
	}
	if *goos != "linux" && *goos != "darwin" {
		return fmt.Errorf("--os %q: linux or darwin", *goos)
	}
	caPath, err := filepath.Abs(*ca)
	if err != nil {
		return err
	}
	d := loginHostsData{CA: caPath, Dir: filepath.Dir(caPath), Port: *port, Marker: "forcefield login hosts",
		CAName: "forcefield-login-hosts", Bin: "/path/to/forcefield"}
	if exe, err := os.Executable(); err == nil {
		d.Bin = exe
	}
	names := []string{"login.salesforce.com", "test.salesforce.com"}
	for _, n := range strings.Split(*domains, ",") {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" {
			continue
		}
		if !strings.Contains(n, ".") {
			n += ".my.salesforce.com"
		}
		names = append(names, n)
	}
	d.Names = strings.Join(names, " ")
	// The SHA-1 fingerprint names the certificate to delete from the macOS keychain.
	if raw, err := os.ReadFile(caPath); err == nil {
		if b, _ := pem.Decode(raw); b != nil {
			if c, err := x509.ParseCertificate(b.Bytes); err == nil {
				d.SHA1 = fmt.Sprintf("%X", sha1.Sum(c.Raw))
				d.Subject = c.Subject.CommonName
			}
		}
	} else {
		fmt.Fprintf(stderr, "note: %s does not exist yet; make it with: forcefield tls-cert --salesforce --dir %s\n", caPath, d.Dir)
	}
	if d.SHA1 == "" {
		d.SHA1 = "<SHA-1 of ca.pem: openssl x509 -in ca.pem -noout -fingerprint -sha1>"
	}
	tmpl := loginHostsLinux
	if *goos == "darwin" {
		tmpl = loginHostsDarwin
	}
	return template.Must(template.New("login-hosts").Parse(loginHostsCommon+tmpl)).Execute(stdout, d)
}

type loginHostsData struct {
	CA, Dir, Names, Marker, CAName, Bin, SHA1, Subject string
	Port                                               int
}

const loginHostsCommon = `# Salesforce's login hosts → this machine's Forcefield. Nothing here has been run:
# read each step, run it yourself, and keep its "undo" line. Steps 1, 2b and 3 need root.
# While steps 1 and 2 are in place this machine cannot reach the real login hosts
# (nor the My Domains listed), and it trusts a CA that can vouch only for
# salesforce.com names and loopback (its private key was not kept).
{{define "hosts"}}
## 1. Names → 127.0.0.1   (changes /etc/hosts)
sudo tee -a /etc/hosts >/dev/null <<'EOF'
# BEGIN {{.Marker}}
127.0.0.1 {{.Names}}
::1 {{.Names}}
# END {{.Marker}}
EOF
{{end}}{{define "env"}}
## 2a. Trust the CA per process (changes nothing on the machine; needed even after 2b,
##     because Node and Python requests do not read the system store by default)
export NODE_EXTRA_CA_CERTS={{.CA}}   # Node: sf, jsforce, n8n (read once at start)
cat "$(python3 -m certifi 2>/dev/null || echo /etc/ssl/certs/ca-certificates.crt)" {{.CA}} > {{.Dir}}/bundle.pem
export REQUESTS_CA_BUNDLE={{.Dir}}/bundle.pem   # Python requests: simple-salesforce, tap-salesforce, Airbyte
                                           # (it REPLACES requests' bundle, hence the concatenation)
export SSL_CERT_FILE={{.Dir}}/bundle.pem        # Go programs and OpenSSL-based tools (also replaces their bundle)
# undo: unset NODE_EXTRA_CA_CERTS REQUESTS_CA_BUNDLE SSL_CERT_FILE; rm {{.Dir}}/bundle.pem
{{end}}{{define "check"}}
## 4. Serve, then check from another shell (with the step 2a variables set)
forcefield serve --tls-addr 127.0.0.1:443 --tls-cert {{.Dir}}/cert.pem --tls-key {{.Dir}}/key.pem
#   (or --tls-addr 127.0.0.1:{{.Port}} with the forwarding of step 3)
curl --cacert {{.CA}} https://login.salesforce.com/.well-known/openid-configuration
{{end}}`

const loginHostsLinux = `{{template "hosts" .}}# undo: sudo sed -i '/^# BEGIN {{.Marker}}$/,/^# END {{.Marker}}$/d' /etc/hosts
{{template "env" .}}
## 2b. Trust the CA system-wide (changes the system CA store: curl, wget, Go, browsers
##     using the system store accept certificates it signed)
# Debian, Ubuntu:
sudo cp {{.CA}} /usr/local/share/ca-certificates/{{.CAName}}.crt && sudo update-ca-certificates
# undo: sudo rm /usr/local/share/ca-certificates/{{.CAName}}.crt && sudo update-ca-certificates --fresh
# Fedora, RHEL:
sudo cp {{.CA}} /etc/pki/ca-trust/source/anchors/{{.CAName}}.pem && sudo update-ca-trust
# undo: sudo rm /etc/pki/ca-trust/source/anchors/{{.CAName}}.pem && sudo update-ca-trust
# Chromium and Firefox keep their own NSS store: certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n {{.CAName}} -i {{.CA}}
# undo: certutil -d sql:$HOME/.pki/nssdb -D -n {{.CAName}}

## 3. Port 443 — one of:
# a) let this binary bind ports below 1024 (changes the file's capabilities: anyone who can
#    run it can bind them; a rebuilt or reinstalled binary loses it)
sudo setcap cap_net_bind_service=+ep {{.Bin}}
# undo: sudo setcap -r {{.Bin}}
# b) forward local connections to 127.0.0.1:443 to port {{.Port}} (changes the kernel's
#    NAT table until reboot; nothing is saved)
sudo iptables -t nat -A OUTPUT -o lo -p tcp -d 127.0.0.1 --dport 443 -j REDIRECT --to-ports {{.Port}}
# undo: sudo iptables -t nat -D OUTPUT -o lo -p tcp -d 127.0.0.1 --dport 443 -j REDIRECT --to-ports {{.Port}}
{{template "check" .}}`

const loginHostsDarwin = `{{template "hosts" .}}sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder
# undo: sudo sed -i '' '/^# BEGIN {{.Marker}}$/,/^# END {{.Marker}}$/d' /etc/hosts; sudo dscacheutil -flushcache; sudo killall -HUP mDNSResponder
{{template "env" .}}
## 2b. Trust the CA system-wide (changes the System keychain: Safari, Chrome, curl and
##     Go programs accept certificates it signed)
sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain {{.CA}}
# undo: sudo security delete-certificate -Z {{.SHA1}} /Library/Keychains/System.keychain
{{if .Subject}}#       (the certificate is "{{.Subject}}" in Keychain Access)
{{end}}
## 3. Port 443 — one of:
# a) run serve as root (simplest; the whole server then runs with root's rights)
# b) forward 127.0.0.1:443 to port {{.Port}} with pf (REPLACES pf's loaded rules until
#    reboot or reload; /etc/pf.conf is not changed)
echo 'rdr pass on lo0 inet proto tcp from any to 127.0.0.1 port 443 -> 127.0.0.1 port {{.Port}}' | sudo pfctl -ef -
# undo: sudo pfctl -f /etc/pf.conf   (and sudo pfctl -d if pf was off before)
{{template "check" .}}`
