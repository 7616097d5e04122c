package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/tlscert"
)

// tlsCertCmd is `forcefield tls-cert --dir DIR [--host 127.0.0.1,localhost]`: it writes
// a self-signed ECDSA P-256 certificate valid one year for the hosts, for `serve
// --tls-addr` on a developer machine or in CI (docs/tls.md). It is not for production.
//
// With --salesforce it writes a local CA (ca.pem, name-constrained, its key discarded) and
// a leaf it signs for Salesforce's login hosts, every My Domain and loopback, plus the
// --host values (internal/tlscert/salesforce.go; docs/web-flow.md, "Salesforce's login
// hosts on your machine").
func tlsCertCmd(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("tls-cert", "", stderr)
	dir := fs.String("dir", "", "directory to write cert.pem and key.pem into (created if missing)")
	hosts := fs.String("host", strings.Join(tlscert.DefaultHosts, ","), "comma-separated host names and IP addresses the certificate names")
	sf := fs.Bool("salesforce", false, "write a local CA (ca.pem) and a certificate it signs for login.salesforce.com, test.salesforce.com, *.my.salesforce.com and loopback (plus --host)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("tls-cert takes no arguments, got %q", fs.Args())
	}
	if *dir == "" {
		return errors.New("no directory: pass --dir or set FORCEFIELD_DIR")
	}
	if *sf {
		caFile, certFile, keyFile, err := tlscert.WriteSalesforce(*dir, strings.Split(*hosts, ","), time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s (local CA, valid one year; its private key was not kept), %s and %s\n", caFile, certFile, keyFile)
		fmt.Fprintf(stdout, "the certificate names %s and %s\n", strings.Join(tlscert.SalesforceHosts, ", "), *hosts)
		fmt.Fprintf(stdout, "serve with: forcefield serve --tls-addr 127.0.0.1:443 --tls-cert %s --tls-key %s\n", certFile, keyFile)
		fmt.Fprintf(stdout, "then see what to change on this machine, and how to undo it: forcefield login-hosts --ca %s\n", caFile)
		return nil
	}
	certFile, keyFile, err := tlscert.Write(*dir, strings.Split(*hosts, ","), time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s and %s (valid one year for %s)\n", certFile, keyFile, *hosts)
	fmt.Fprintf(stdout, "serve with: forcefield serve --tls-addr 127.0.0.1:8443 --tls-cert %s --tls-key %s\n", certFile, keyFile)
	fmt.Fprintf(stdout, "trust it with: REQUESTS_CA_BUNDLE=%s (Python) or NODE_EXTRA_CA_CERTS=%s (Node)\n", certFile, certFile)
	return nil
}
