package dataapi

import "github.com/forcefield/forcefield/internal/cluster"

// ShareCursorSweep makes the sweep of expired query cursors run on one node per period
// across the cluster rather than on every node (call after EnableData).
func (a *API) ShareCursorSweep(c cluster.Coordinator) {
	if a.data != nil && cluster.Shared(c) {
		a.data.cursors.timers = c
	}
}
