package console

import (
	"io"
	"mime"
	"net/http"
	"net/url"
)

// maxCertificateFile bounds an uploaded certificate (a PEM certificate is a few KB).
const maxCertificateFile = 64 << 10

// settingsForm reads the app settings form: multipart (it carries "Use digital
// signatures"'s certificate file, as Salesforce's form uploads one) or URL-encoded, with
// the same CSRF check as every other form. An uploaded file fills "certificate" unless
// PEM text was pasted there too.
func (c *Console) settingsForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return c.form(w, r, "appSettings")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseMultipartForm(maxFormBytes); err != nil {
		return nil, &pageError{http.StatusBadRequest, "Invalid Request", "The form could not be read."}
	}
	defer r.MultipartForm.RemoveAll()
	f := r.PostForm
	if !c.cfg.Login.ValidCSRF(r, "appSettings", f.Get("csrf")) {
		return nil, errCSRF
	}
	if files := r.MultipartForm.File["certificateFile"]; len(files) > 0 && files[0].Size > 0 && f.Get("certificate") == "" {
		if files[0].Size > maxCertificateFile {
			return nil, &pageError{http.StatusBadRequest, "Invalid Request", "The certificate file is larger than 64 KB."}
		}
		fh, err := files[0].Open()
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		data, err := io.ReadAll(io.LimitReader(fh, maxCertificateFile))
		if err != nil {
			return nil, err
		}
		f.Set("certificate", string(data))
	}
	return f, nil
}
