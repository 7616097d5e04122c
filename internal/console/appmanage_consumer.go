package console

// Manage Consumer Details (the setup reference §2: "the secret is revealed after an
// identity verification"). Forcefield keeps only a hash of each consumer secret
// (ARCHITECTURE: hash only), so this page cannot reveal an existing secret, unlike
// Salesforce. It asks for the viewer's password again ("Verify your identity";
// passwordlogin.Checker, so a wrong password counts toward the lockout like a login), then
// shows — in the response to that POST, never at a URL — the consumer key(s) and each
// pair's state (Active / Staged / Rotated / Expired) with the staged rotation actions of
// the admin API (setup/credentials.go): Generate (stage a new key and secret), Rotate
// (promote the staged pair), Delete (a staged or rotated pair) and the one-step Rotate
// Consumer Secret. A new secret is shown once, in the response of the action that made it.
//
// The verification is a stateless token in every action form: the CSRF token of the form
// "consumer:<app id>:<slot>", slot being the 5-minute period of the verification, accepted
// in that period and the next — so an action needs a password verified 5 to 10 minutes
// ago at most. An action re-renders the page with the token it carried (it does not
// extend the verification).

import (
	"crypto/hmac"
	"net"
	"net/http"
	"slices"
	"strconv"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/passwordlogin"
	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
)

// verifySlot is the length of a verification period.
const verifySlot = 300 // seconds

// verificationToken is the token of a verification made now for app.
func (c *Console) verificationToken(r *http.Request, app org.ConnectedApp, slot int64) string {
	return c.cfg.Login.CSRFToken(r, "consumer:"+app.ID.String()+":"+strconv.FormatInt(slot, 10))
}

// verified reports whether token is a verification for app of this period or the last.
func (c *Console) verified(r *http.Request, app org.ConnectedApp, token string) bool {
	slot := c.now().Unix() / verifySlot
	for _, s := range []int64{slot, slot - 1} {
		want := c.verificationToken(r, app, s)
		if want != "" && hmac.Equal([]byte(want), []byte(token)) {
			return true
		}
	}
	return false
}

type verifyData struct {
	App org.ConnectedApp
}

// renderVerify shows "Verify your identity" with msg as the error.
func (c *Console) renderVerify(w http.ResponseWriter, r *http.Request, v *Viewer, app org.ConnectedApp, status int, msg string) error {
	c.render(w, r, v, status, "appmanage_verify", Page{Title: "Verify Your Identity", Nav: "NavigationMenus",
		Data: verifyData{App: app}, Error: msg, FieldErrors: map[string]string{"password": msg}})
	return nil
}

// consumerVerify is GET Manage Consumer Details: the password form.
func (c *Console) consumerVerify(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	app, err := c.viewerApp(r, v)
	if err != nil {
		return err
	}
	return c.renderVerify(w, r, v, app, http.StatusOK, "")
}

// sourceIP is the client's address, as the login page records it.
func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// consumerVerified is POST Manage Consumer Details: the password checked, the details.
func (c *Console) consumerVerified(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	f, err := c.form(w, r, "consumerVerify")
	if err != nil {
		return err
	}
	app, err := c.viewerApp(r, v)
	if err != nil {
		return err
	}
	pw := f.Get("password")
	if pw == "" || len(pw) > 1024 {
		return c.renderVerify(w, r, v, app, http.StatusBadRequest, "Enter your password.")
	}
	out, err := c.cfg.Passwords.Check(r.Context(), passwordlogin.Attempt{User: v.User, Known: true, Username: v.User.Username,
		Password: pw, SourceIP: sourceIP(r), Policy: v.Org.PasswordPolicy})
	if err != nil {
		return err
	}
	switch out {
	case passwordlogin.Valid:
	case passwordlogin.LockedOut:
		return c.renderVerify(w, r, v, app, http.StatusForbidden,
			"Your account is locked out after too many invalid attempts. Try again later or ask your administrator to reset your password.")
	case passwordlogin.Throttled:
		return c.renderVerify(w, r, v, app, http.StatusTooManyRequests, "Too many attempts. Wait a minute and try again.")
	default:
		c.log.InfoContext(r.Context(), "identity verification failed", "user", v.User.ID, "app", app.ID)
		return c.renderVerify(w, r, v, app, http.StatusBadRequest, "Your password is incorrect. Try again.")
	}
	return c.renderConsumer(w, r, v, app, c.verificationToken(r, app, c.now().Unix()/verifySlot), http.StatusOK, consumerResult{})
}

// consumerResult is what an action leaves to show.
type consumerResult struct {
	Message string
	Error   string
	New     *setup.NewCredential // shown once
}

type pairView struct {
	ID          sfid.ID
	ConsumerKey string
	State       string
	Created     string
	Expires     string
	Deletable   bool
}

type consumerData struct {
	App          org.ConnectedApp
	ECA          bool
	Verification string
	Pairs        []pairView
	Keys         []string // the distinct consumer keys, Active first
	CanStage     bool     // the staged slot is free
	CanRotate    bool     // a Staged pair waits
	New          *setup.NewCredential
	Message      string
}

// renderConsumer shows the consumer details. It is only ever the response to a POST that
// carried a valid verification (so the page, and a new secret on it, has no URL).
func (c *Console) renderConsumer(w http.ResponseWriter, r *http.Request, v *Viewer, app org.ConnectedApp, token string, status int, res consumerResult) error {
	creds, err := c.cfg.Setup.Store().Credentials(r.Context(), app.ID)
	if err != nil {
		return err
	}
	now := c.now()
	d := consumerData{App: app, ECA: app.Kind == org.AppKindExternalClient, Verification: token, New: res.New, Message: res.Message}
	_, taken := setup.StagedSlot(creds, now)
	d.CanStage = !taken
	for _, cr := range creds {
		st := setup.CredentialState(cr, now)
		pv := pairView{ID: cr.ID, ConsumerKey: cr.ConsumerKey, State: st, Created: formatTime(cr.CreatedAt), Expires: formatTime(cr.ExpiresAt),
			Deletable: cr.State != org.CredentialActive}
		if st == org.CredentialActive {
			d.Pairs = append([]pairView{pv}, d.Pairs...)
		} else {
			d.Pairs = append(d.Pairs, pv)
		}
		if st == org.CredentialStaged {
			d.CanRotate = true
		}
	}
	for _, p := range d.Pairs {
		if p.State != setup.CredentialExpired && !slices.Contains(d.Keys, p.ConsumerKey) {
			d.Keys = append(d.Keys, p.ConsumerKey)
		}
	}
	c.render(w, r, v, status, "appmanage_consumer", Page{Title: "Consumer Details: " + app.Name, Nav: "NavigationMenus", Data: d, Error: res.Error})
	return nil
}

// consumerAction is POST …/consumer/{stage|rotate|delete|rotate-secret}. Without a valid
// CSRF token it is refused (403) before anything else; without a current verification it
// asks for the password again (403) and changes nothing.
func (c *Console) consumerAction(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	f, err := c.form(w, r, "consumerAction")
	if err != nil {
		return err
	}
	app, err := c.viewerApp(r, v)
	if err != nil {
		return err
	}
	token := f.Get("verification")
	if !c.verified(r, app, token) {
		return c.renderVerify(w, r, v, app, http.StatusForbidden,
			"Verify your identity again: changing the consumer key and secret needs your password from the last 5 minutes.")
	}
	ctx, actor := r.Context(), v.Actor()
	var res consumerResult
	switch r.PathValue("action") {
	case "stage":
		var nc setup.NewCredential
		if nc, err = c.cfg.Setup.StageCredentials(ctx, actor, app.ID); err == nil {
			res = consumerResult{New: &nc, Message: "New consumer credentials are staged. Both the active and the staged pair work until you rotate or delete."}
		}
	case "rotate":
		if _, err = c.cfg.Setup.RotateCredentials(ctx, actor, app.ID, ""); err == nil {
			res.Message = "The staged credentials are now active. The previous pair keeps working for 30 days unless you delete it."
		}
	case "delete":
		id, perr := sfid.Parse(f.Get("credential"))
		if perr != nil {
			return c.renderConsumer(w, r, v, app, token, http.StatusBadRequest, consumerResult{Error: "No such consumer credentials."})
		}
		if err = c.cfg.Setup.DeleteCredential(ctx, actor, app.ID, id); err == nil {
			res.Message = "The consumer credentials were deleted. They no longer authenticate."
		}
	case "rotate-secret":
		var nc setup.NewCredential
		if nc, err = c.cfg.Setup.RotateSecret(ctx, actor, app.ID); err == nil {
			res = consumerResult{New: &nc, Message: "The consumer secret was rotated. The previous secret keeps working for 30 days unless you delete it."}
		}
	default:
		return errNotFound
	}
	if err != nil {
		se, ok := setup.AsError(err)
		if !ok {
			return err
		}
		status := http.StatusBadRequest
		if se.Kind == setup.NotFound {
			status = http.StatusNotFound
		}
		return c.renderConsumer(w, r, v, app, token, status, consumerResult{Error: se.Message})
	}
	return c.renderConsumer(w, r, v, app, token, http.StatusOK, res)
}
