package console

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

// Pages are html/template files embedded in the binary. Each pages/NAME.html defines
// "content" and is parsed with the layout and the shared partials (pages/partials/*.html),
// so a new page is a new file and nothing else. The stylesheet is /assets/console.css.

//go:embed pages
var files embed.FS

var funcs = template.FuncMap{
	"date": formatTime,
	"join": strings.Join,
	"path": func(parts ...string) string { // a console URL from escaped segments
		for i := range parts {
			parts[i] = url.PathEscape(parts[i])
		}
		return Prefix + strings.Join(parts, "/")
	},
}

var pages = func() map[string]*template.Template {
	m := map[string]*template.Template{}
	names, err := fs.Glob(files, "pages/*.html")
	if err != nil {
		panic(err)
	}
	partials, _ := fs.Glob(files, "pages/partials/*.html")
	for _, f := range names {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" {
			continue
		}
		set := append([]string{"pages/layout.html"}, partials...)
		m[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(files, append(set, f)...))
	}
	return m
}()

var css = func() []byte {
	b, err := files.ReadFile("pages/console.css")
	if err != nil {
		panic(err)
	}
	return b
}()

// Page is the data of every page; Data is the page's own.
type Page struct {
	Title string
	// Nav is the left navigation entry to highlight: the page's Setup path segment
	// (e.g. "ManageUsers").
	Nav  string
	Data any
	// Error is shown above the page's form; FieldErrors beside the named inputs.
	Error       string
	FieldErrors map[string]string

	Viewer *Viewer // nil on an error page served before the user is known
	req    *http.Request
	c      *Console
}

// CSRF is the token of the named form for this page's session.
func (p Page) CSRF(form string) string {
	if p.req == nil {
		return ""
	}
	return p.c.cfg.Login.CSRFToken(p.req, form)
}

// FieldError is the error of one input, "" when none.
func (p Page) FieldError(name string) string { return p.FieldErrors[name] }

// Now is the time of the request.
func (p Page) Now() time.Time { return p.c.now() }

// securityHeaders go with every console page: no caching (pages carry CSRF tokens and
// sometimes a secret shown once), no framing, no script of any kind, forms posting only
// here.
func securityHeaders(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
}

// render writes page name. It renders into a buffer first, so that a template error never
// leaves a half-written page.
func (c *Console) render(w http.ResponseWriter, r *http.Request, v *Viewer, status int, name string, p Page) {
	p.Viewer, p.req, p.c = v, r, c
	t, ok := pages[name]
	if !ok {
		c.log.ErrorContext(r.Context(), "console page has no template", "page", name)
		http.Error(w, "page rendering failed", http.StatusInternalServerError)
		return
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", p); err != nil {
		c.log.ErrorContext(r.Context(), "console page rendering failed", "page", name, "err", err)
		http.Error(w, "page rendering failed", http.StatusInternalServerError)
		return
	}
	securityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// maxFormBytes bounds a console form; the largest is a certificate's PEM.
const maxFormBytes = 256 << 10

// form parses a POSTed form and checks its CSRF token (field "csrf") for the named form:
// a missing or wrong token, or a post from another origin, is errCSRF and changes nothing.
func (c *Console) form(w http.ResponseWriter, r *http.Request, name string) (url.Values, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return nil, &pageError{http.StatusBadRequest, "Invalid Request", "The form could not be read."}
	}
	if !c.cfg.Login.ValidCSRF(r, name, r.PostForm.Get("csrf")) {
		return nil, errCSRF
	}
	return r.PostForm, nil
}

// seeOther redirects after a successful POST (so a reload does not post again).
func seeOther(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// formatTime renders a time as Salesforce's Setup lists do (M/D/YYYY, h:mm AM/PM), in UTC
// with the zone named; zero is blank.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("1/2/2006, 3:04:05 PM") + " UTC"
}

func handleCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(css)
}
