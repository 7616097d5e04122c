package console

import (
	"net/http"

	"github.com/forcefield/forcefield/internal/org"
)

func (c *Console) homeRoutes() []route {
	return []route{{"GET " + Prefix + "SetupOneHome/home", AccessView, c.home}}
}

// tokenPanel is one app of Setup Home's "get a token" panel.
type tokenPanel struct {
	App         org.ConnectedApp
	RunAs       string // the Run As user's username; "" when not set
	ConsumerKey string // the active pair's key; "" when the app has none
}

type homeData struct {
	Org            org.Org
	InstanceURL    string
	MyDomainURL    string // "" without a My Domain
	ActiveUsers    int
	Users          int
	Profiles       int
	PermissionSets int
	Apps           int
	APIUsed        int
	APILimit       int
	TokenApps      []tokenPanel
}

// home is Setup Home: the org, its URLs and counts, and a ready curl line for every app
// that has the client credentials flow enabled. The consumer secret is never shown here
// (Forcefield keeps only its hash); the line names it $CONSUMER_SECRET.
func (c *Console) home(w http.ResponseWriter, r *http.Request, v *Viewer) error {
	ctx := r.Context()
	st := c.cfg.Setup.Store()
	d := homeData{Org: v.Org, InstanceURL: c.cfg.BaseURL}
	if v.Org.MyDomain != "" {
		d.MyDomainURL = "https://" + v.Org.MyDomain + ".my.salesforce.com"
	}
	users, err := st.Users(ctx, v.Org.ID)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, u := range users {
		d.Users++
		if u.Active {
			d.ActiveUsers++
		}
		names[u.ID.String()] = u.Username
	}
	profiles, err := st.Profiles(ctx, v.Org.ID)
	if err != nil {
		return err
	}
	d.Profiles = len(profiles)
	sets, err := st.PermissionSets(ctx, v.Org.ID)
	if err != nil {
		return err
	}
	d.PermissionSets = len(sets)
	apps, err := st.ConnectedApps(ctx, v.Org.ID)
	if err != nil {
		return err
	}
	d.Apps = len(apps)
	for _, a := range apps {
		if !a.ClientCredentialsEnabled {
			continue
		}
		p := tokenPanel{App: a, RunAs: names[a.RunAsUserID.String()]}
		creds, err := st.Credentials(ctx, a.ID)
		if err != nil {
			return err
		}
		for _, cr := range creds {
			if cr.State == org.CredentialActive {
				p.ConsumerKey = cr.ConsumerKey
			}
		}
		d.TokenApps = append(d.TokenApps, p)
	}
	if c.cfg.Usage != nil {
		d.APIUsed = c.cfg.Usage.Used(v.Org.ID)
	}
	d.APILimit = v.Org.APIRequestLimit()
	c.render(w, r, v, http.StatusOK, "home", Page{Title: "Setup Home", Nav: "SetupOneHome", Data: d})
	return nil
}
