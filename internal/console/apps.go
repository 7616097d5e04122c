package console

// App Manager (NavigationMenus): connected apps and external client apps, policies, consumer details.

func (c *Console) appRoutes() []route {
	return nil
}
