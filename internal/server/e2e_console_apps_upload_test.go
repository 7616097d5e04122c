package server

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"
)

// postMultipart posts fields and one file as multipart/form-data with the browser's cookies.
func (b *browser) postMultipart(path string, fields map[string]string, fileField, fileName, file string) response {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if fileField != "" {
		fw, _ := mw.CreateFormFile(fileField, fileName)
		io.WriteString(fw, file)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.base+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(data)}
}

// "Use digital signatures" with a certificate file, as the browser posts the form
// (multipart): the JWT bearer flow then accepts assertions signed by its key — it gets as
// far as the user's approval, which a policy grants (Manage → Edit Policies) — and
// refuses another key's. Without the CSRF token the upload changes nothing.
func TestConsoleAppsCertificateUpload(t *testing.T) {
	s := startConsole(t)
	b := consoleLogin(t, s, consoleAdmin)
	good, other := newSigner(t), newSigner(t)
	fields := map[string]string{"name": "Signed App", "contactEmail": "admin@console.example", "oauthEnabled": "1",
		"callbackUrl": "https://localhost", "scopes": "api", "useDigitalSignatures": "1", "requireSecretWeb": "1", "requireSecretRefresh": "1"}

	r := b.postMultipart(appsPrefix+"apps/new", fields, "certificateFile", "server.crt", good.certPEM)
	wantPage(t, r, http.StatusForbidden, "Invalid Request")
	if strings.Contains(s.admin(t, http.MethodGet, "/apps", "").Body, "Signed App") {
		t.Fatal("an upload without a CSRF token created an app")
	}

	page := b.get(appsPrefix + "apps/new")
	fields["csrf"] = csrf(t, page.Body)
	r = b.postMultipart(appsPrefix+"apps/new", fields, "certificateFile", "server.crt", "not a certificate")
	wantPage(t, r, http.StatusBadRequest, "Use digital signatures: not a PEM certificate")

	r = b.postMultipart(appsPrefix+"apps/new", fields, "certificateFile", "server.crt", good.certPEM)
	wantPage(t, r, http.StatusOK, "shown only once")
	key := consumerKeyRE.FindStringSubmatch(r.Body)[1]
	id := appIDIn(t, r.Body)
	view := b.get(appsPrefix + "apps/" + id + "/view")
	if !strings.Contains(view.Body, `Use digital signatures</dt><dd><span class="status-ok">Yes`) {
		t.Errorf("the app page does not show the certificate:\n%s", view.Body)
	}

	claims := func() map[string]any {
		return map[string]any{"iss": key, "sub": consoleAPIOnly, "aud": "https://login.salesforce.com", "exp": time.Now().Add(3 * time.Minute).Unix()}
	}
	signed := s.jwtToken(t, good.sign(t, claims(), jwtStyle{}))
	forged := s.jwtToken(t, other.sign(t, claims(), jwtStyle{}))
	if forged.Status == http.StatusOK || signed.Status == http.StatusOK || signed.Body == forged.Body {
		t.Errorf("JWT bearer: signed by the uploaded key %d %s; by another key %d %s — want the first refused only for approval",
			signed.Status, signed.Body, forged.Status, forged.Body)
	}
	if !strings.Contains(signed.Body, "approve") {
		t.Errorf("signed by the uploaded key: %s, want the approval error (the signature passed)", signed.Body)
	}
}
