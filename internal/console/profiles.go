package console

// Profiles (EnhancedProfiles) and Permission Sets (PermSets).

func (c *Console) profileRoutes() []route {
	return nil
}
