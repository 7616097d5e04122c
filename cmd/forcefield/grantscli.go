package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// The admin verbs of the web server flow's grants (internal/admin/grants.go): list and
// revoke users' approvals and refresh tokens (OauthToken rows), and mint a refresh token
// without a browser for tests and ELT tools (docs/web-flow.md).

func init() {
	columns["oauth-tokens"] = [][2]string{{"ID", "id"}, {"USER", "username"}, {"APP", "appName"}, {"SCOPES", "scopes"},
		{"CREATED", "createdAt"}, {"LAST USED", "lastUsedAt"}, {"USES", "useCount"}, {"ROTATED", "rotatedAt"}}
	columns["approvals"] = [][2]string{{"USER", "username"}, {"APP", "appName"}, {"SCOPES", "scopes"}, {"APPROVED", "createdAt"}}
	columns["apps"] = append(columns["apps"], [2]string{"REFRESH POLICY", "refreshTokenPolicy"},
		[2]string{"ROTATION", "refreshTokenRotation"}, [2]string{"PKCE", "pkceRequired"})
}

// revokeGrantsCmd is revoke-oauth-tokens and revoke-approvals: USER [--app APP].
func revokeGrantsCmd(what string) func(context.Context, []string, io.Writer, io.Writer) error {
	return func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		fs := newFlags("revoke-"+what, "USER", stderr)
		c := adminFlags(fs)
		app := fs.String("app", "", "only this connected app (name or id)")
		if err := parse(fs, args); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			fs.Usage()
			return fmt.Errorf("revoke-%s takes a username or user id", what)
		}
		q := url.Values{}
		if *app != "" {
			q.Set("app", *app)
		}
		var raw json.RawMessage
		if err := c.do(ctx, http.MethodDelete, "/forcefield/admin/users/"+url.PathEscape(fs.Arg(0))+"/"+what+"?"+q.Encode(), nil, &raw); err != nil {
			return err
		}
		if c.json {
			return printJSON(stdout, raw)
		}
		var res struct{ OauthTokens, Sessions, Approvals int }
		if err := json.Unmarshal(raw, &res); err != nil {
			return err
		}
		if what == "approvals" {
			fmt.Fprintf(stdout, "Revoked %d approval(s) of %s, with %d refresh token(s) and %d session(s) minted from them.\n",
				res.Approvals, fs.Arg(0), res.OauthTokens, res.Sessions)
		} else {
			fmt.Fprintf(stdout, "Revoked %d refresh token(s) of %s and %d session(s) minted from them.\n", res.OauthTokens, fs.Arg(0), res.Sessions)
		}
		return nil
	}
}

// mintRefreshTokenCmd is mint-refresh-token --app APP --user USER: the test shortcut.
func mintRefreshTokenCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("mint-refresh-token", "", stderr)
	c := adminFlags(fs)
	app := fs.String("app", "", "the connected app (name or id); it needs the refresh_token scope")
	user := fs.String("user", "", "the user (username or id)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *app == "" || *user == "" || fs.NArg() != 0 {
		fs.Usage()
		return errors.New("mint-refresh-token needs --app and --user")
	}
	body, _ := json.Marshal(map[string]string{"app": *app, "user": *user})
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodPost, "/forcefield/admin/oauth-tokens", body, &raw); err != nil {
		return err
	}
	if c.json {
		return printJSON(stdout, raw)
	}
	var res struct{ ID, RefreshToken, SfdxAuthURL string }
	if err := json.Unmarshal(raw, &res); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Refresh token %s for %s on %q — shown once, store it now:\n  %s\n", res.ID, *user, *app, res.RefreshToken)
	if res.SfdxAuthURL != "" {
		fmt.Fprintf(stdout, "sfdx auth URL (sf org login sfdx-url; sf always uses https):\n  %s\n", res.SfdxAuthURL)
	}
	fmt.Fprintf(stdout, "Revoke it with: forcefield revoke-oauth-tokens --app %q %s\n", *app, *user)
	return nil
}
