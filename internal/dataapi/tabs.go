package dataapi

// Tabs and theme (salesforce-rest-more.md §5.2; REST API Developer Guide, "Tabs"
// resources_tabs.htm and "Themes" resources_themes.htm):
//
//	GET /tabs    an array of DescribeTab, one per object the user can read that has a tab
//	GET /theme   {"themeItems":[{"colors","icons","name"}, …]} for the same objects
//
// Forcefield has no user interface, so "has a tab" means: the standard objects whose tabs
// every Salesforce org has (Accounts, Cases, Contacts, Leads, Opportunities) and every
// custom object (as if its tab had been defined). The key set is the partner WSDL's
// DescribeTab (jsforce src/api/soap/schema.ts) and what jsforce's suite asserts
// (test/connection-meta.test.ts). The VALUES ARE UNCONFIRMED: the colors are those of
// Salesforce Classic (theme3) and of the Lightning Design System icons (theme4) as they
// are commonly published, the icon paths follow Salesforce's /img/icon layout, and a
// custom object gets a custom icon style 1–100 derived from its name (a real org uses
// the style chosen when the tab was created). Everything is deterministic.

import (
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/schema"
)

// standardTab is the look of a standard object's tab.
type standardTab struct {
	icon    string // Lightning icon name: account → t4v35/standard/account.svg
	classic string // Classic icon name: accounts → accounts32.png, accounts16.png
	theme3  string // Classic color
	theme4  string // Lightning color
}

// standardTabs are the standard objects with a tab in every org. UNCONFIRMED values.
var standardTabs = map[string]standardTab{
	"Account":     {"account", "accounts", "236FBD", "7F8DE1"},
	"Case":        {"case", "cases", "B7A752", "F2CF5B"},
	"Contact":     {"contact", "contacts", "56458C", "A094ED"},
	"Lead":        {"lead", "leads", "E39321", "F88962"},
	"Opportunity": {"opportunity", "opportunities", "E5C130", "FCB95B"},
}

// customColors are the colors of custom tab styles, by style number mod 10. UNCONFIRMED.
var customColors = []string{"FF7B84", "E7806F", "F0856E", "EB687F", "EF6E5C", "8BCF6A", "5AB0D2", "7E8BE4", "A094ED", "3C97DD"}

// tabLook is the colors, icons and icon URLs of one object's tab.
type tabLook struct {
	colors, icons        []any
	iconURL, miniIconURL string
}

func color(c, theme string) object {
	return object{{"color", c}, {"context", "primary"}, {"theme", theme}}
}

func icon(contentType string, size int, theme, url string) object {
	return object{{"contentType", contentType}, {"height", size}, {"theme", theme}, {"url", url}, {"width", size}}
}

// look returns obj's tab look, and false when obj has no tab.
func (d *data) look(obj *schema.Object) (tabLook, bool) {
	base := d.api.baseURL + "/img/icon/"
	if st, ok := standardTabs[obj.Name]; ok && !obj.Custom {
		l := tabLook{iconURL: base + st.classic + "32.png", miniIconURL: base + st.classic + "16.png"}
		l.colors = []any{color(st.theme3, "theme3"), color(st.theme4, "theme4")}
		l.icons = []any{
			icon("image/png", 32, "theme3", l.iconURL),
			icon("image/png", 16, "theme3", l.miniIconURL),
			icon("image/svg+xml", 0, "theme4", base+"t4v35/standard/"+st.icon+".svg"),
			icon("image/png", 60, "theme4", base+"t4v35/standard/"+st.icon+"_60.png"),
			icon("image/png", 120, "theme4", base+"t4v35/standard/"+st.icon+"_120.png"),
		}
		return l, true
	}
	if !obj.Custom || obj.Setup {
		return tabLook{}, false
	}
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(obj.Name)))
	n := int(h.Sum32()%100) + 1
	style := "custom" + strconv.Itoa(n)
	l := tabLook{iconURL: base + "custom51_100/" + style + "_32.png", miniIconURL: base + "custom51_100/" + style + "_16.png"}
	if n <= 50 {
		l.iconURL, l.miniIconURL = base+"custom1_50/"+style+"_32.png", base+"custom1_50/"+style+"_16.png"
	}
	c := customColors[n%len(customColors)]
	l.colors = []any{color(c, "theme3"), color(c, "theme4")}
	l.icons = []any{
		icon("image/png", 32, "theme3", l.iconURL),
		icon("image/png", 16, "theme3", l.miniIconURL),
		icon("image/svg+xml", 0, "theme4", base+"t4v35/custom/"+style+".svg"),
		icon("image/png", 60, "theme4", base+"t4v35/custom/"+style+"_60.png"),
		icon("image/png", 120, "theme4", base+"t4v35/custom/"+style+"_120.png"),
	}
	return l, true
}

// tabbed calls fn for every object the caller can read that has a tab, in catalog order.
func (d *data) tabbed(r *http.Request, c *Caller, rest []string, fn func(obj *schema.Object, l tabLook)) error {
	if len(rest) != 0 {
		return apierror.ErrNotFound
	}
	if err := allow(r, http.MethodGet); err != nil {
		return err
	}
	env, err := d.env(r.Context(), c)
	if err != nil {
		return err
	}
	for _, obj := range env.Cat.Objects() {
		if !env.Acc.Object(obj, access.Read) {
			continue
		}
		if l, ok := d.look(obj); ok {
			fn(obj, l)
		}
	}
	return nil
}

// tabs serves GET /tabs.
func (d *data) tabs(w http.ResponseWriter, r *http.Request, c *Caller, rest []string) error {
	out := []any{}
	err := d.tabbed(r, c, rest, func(obj *schema.Object, l tabLook) {
		name := obj.Name
		if !obj.Custom {
			name = "standard-" + obj.Name
		}
		out = append(out, object{
			{"colors", l.colors},
			{"custom", obj.Custom},
			{"iconUrl", l.iconURL},
			{"icons", l.icons},
			{"label", obj.LabelPlural},
			{"miniIconUrl", l.miniIconURL},
			{"name", name},
			{"sobjectName", obj.Name},
			{"url", d.api.baseURL + "/" + obj.KeyPrefix + "/o"},
		})
	})
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, out)
}

// theme serves GET /theme.
func (d *data) theme(w http.ResponseWriter, r *http.Request, c *Caller, rest []string) error {
	items := []any{}
	err := d.tabbed(r, c, rest, func(obj *schema.Object, l tabLook) {
		items = append(items, object{{"colors", l.colors}, {"icons", l.icons}, {"name", obj.Name}})
	})
	if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, object{{"themeItems", items}})
}
