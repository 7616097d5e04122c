package console

// Users (ManageUsers): list, New User, edit, freeze, passwords, security tokens.

func (c *Console) userRoutes() []route {
	return nil
}
