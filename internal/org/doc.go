// Package org holds Forcefield's domain: the Setup objects of a Salesforce org (Org,
// Profile, PermissionSet, User, ConnectedApp and its consumer credentials), the sessions
// that OAuth tokens stand for, and login history — plus the rules that relate them
// (effective permissions, session timeout resolution, the scopes a token is granted).
//
// The types are plain values free of storage and transport concerns; the store package
// persists them and the oauth and dataapi packages act on them.
package org
