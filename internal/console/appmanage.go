package console

// App Manager → Manage (the connected app's Manage page), Edit Policies and Manage Consumer
// Details.

func (c *Console) appManageRoutes() []route {
	return nil
}
