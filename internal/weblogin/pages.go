package weblogin

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
)

// The pages are html/template files embedded in the binary, each parsed with the shared
// layout; the stylesheet is served at /assets/forcefield.css.

//go:embed pages/*.html pages/forcefield.css
var files embed.FS

var pages = func() map[string]*template.Template {
	m := map[string]*template.Template{}
	for _, name := range []string{"login", "home", "apionly", "invalid", "frame"} {
		m[name] = template.Must(template.ParseFS(files, "pages/layout.html", "pages/"+name+".html"))
	}
	return m
}()

var css = func() []byte {
	b, err := files.ReadFile("pages/forcefield.css")
	if err != nil {
		panic(err)
	}
	return b
}()

// page is the data of every page (each uses the fields it shows).
type page struct {
	Title    string
	Error    string
	Username string
	Name     string
	OrgName  string
	OrgID    string
	StartURL string
	CSRF     string
	Body     template.HTML
}

// securityHeaders are sent with every page: no caching (pages carry CSRF tokens), no
// framing (clickjacking of the login and approval buttons), and nothing loaded but the
// stylesheet. There is deliberately no form-action directive: Chrome applies it to the
// redirect after a form post, which would block the approval's redirect to the app's
// callback.
func securityHeaders(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	// same-origin: the approval page's URL (its source id) never goes to another site,
	// while the forms' own POSTs keep their Origin (no-referrer would make it "null").
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'")
}

// writePage renders a page into a buffer first, so that a template error never leaves a
// half-written page.
func writePage(w http.ResponseWriter, status int, name string, data any) {
	var b bytes.Buffer
	if err := pages[name].ExecuteTemplate(&b, "layout", data); err != nil {
		http.Error(w, "page rendering failed", http.StatusInternalServerError)
		return
	}
	securityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func handleCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(css)
}
