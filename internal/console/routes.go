package console

// routeGroups lists every area's routes. Each area keeps its routes in its own file; this
// list only names the groups.
func (c *Console) routeGroups() [][]route {
	return [][]route{
		c.homeRoutes(),
		c.userRoutes(),
		c.profileRoutes(),
		c.appRoutes(),
		c.appManageRoutes(),
		c.monitorRoutes(),
	}
}
