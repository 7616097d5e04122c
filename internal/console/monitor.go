package console

// Connected Apps OAuth Usage, Login History, Session Management, View Setup Audit Trail, API Usage.

func (c *Console) monitorRoutes() []route {
	return nil
}
