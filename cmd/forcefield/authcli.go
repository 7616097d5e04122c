package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
)

// Admin verbs for the username-password and JWT bearer flows.

// setPasswordCmd sets a user's password. The password comes from --password (or
// FORCEFIELD_PASSWORD), else the first line of standard input; it is never echoed.
func setPasswordCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("set-password", "USER", stderr)
	c := adminFlags(fs)
	pw := fs.String("password", "", "the new password (visible in process lists: prefer FORCEFIELD_PASSWORD or standard input)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("set-password takes a username or user id")
	}
	if *pw == "" {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		*pw = strings.TrimRight(line, "\r\n")
	}
	if *pw == "" {
		return errors.New("no password: pass it on standard input, in FORCEFIELD_PASSWORD, or with --password")
	}
	body, _ := json.Marshal(map[string]string{"password": *pw})
	if err := c.do(ctx, http.MethodPut, "/forcefield/admin/users/"+url.PathEscape(fs.Arg(0))+"/password", body, nil); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Set the password of %s (and cleared any lockout).\n", fs.Arg(0))
	return nil
}

// resetTokenCmd gives a user a new security token and shows it once.
func resetTokenCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("reset-security-token", "USER", stderr)
	c := adminFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("reset-security-token takes a username or user id")
	}
	var res struct{ Username, SecurityToken string }
	if err := c.do(ctx, http.MethodPost, "/forcefield/admin/users/"+url.PathEscape(fs.Arg(0))+"/security-token", nil, &res); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "New security token for %s — shown once, store it now:\n  Security Token: %s\n"+
		"The username-password flow takes password=<password><security token>.\n", res.Username, res.SecurityToken)
	return nil
}

// addCertCmd uploads a PEM certificate to a connected app.
func addCertCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("add-certificate", "APP CERT.pem", stderr)
	c := adminFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return errors.New("add-certificate takes the app and a PEM certificate file")
	}
	data, err := os.ReadFile(fs.Arg(1))
	if err != nil {
		return err
	}
	var v struct{ Fingerprint, Subject string }
	if err := c.do(ctx, http.MethodPost, "/forcefield/admin/apps/"+url.PathEscape(fs.Arg(0))+"/certificates", data, &v); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Added certificate %s (%s) to %q.\n", v.Fingerprint, v.Subject, fs.Arg(0))
	return nil
}

// removeCertCmd removes a certificate from a connected app by its SHA-256 fingerprint.
func removeCertCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("remove-certificate", "APP FINGERPRINT", stderr)
	c := adminFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return errors.New("remove-certificate takes the app and the certificate's SHA-256 fingerprint (see: forcefield certificates APP)")
	}
	path := "/forcefield/admin/apps/" + url.PathEscape(fs.Arg(0)) + "/certificates/" + url.PathEscape(fs.Arg(1))
	if err := c.do(ctx, http.MethodDelete, path, nil, nil); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Removed certificate %s from %q.\n", fs.Arg(1), fs.Arg(0))
	return nil
}

// certsCmd lists an app's certificates.
func certsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("certificates", "APP", stderr)
	c := adminFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("certificates takes the app's name or id")
	}
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodGet, "/forcefield/admin/apps/"+url.PathEscape(fs.Arg(0))+"/certificates", nil, &raw); err != nil {
		return err
	}
	return printJSON(stdout, raw)
}
