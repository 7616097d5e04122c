package server

// The storage backends Config.DB can name. backend.Open chooses among them by the value
// (a file path or a postgres:// URL); the server never names one.
import (
	_ "github.com/forcefield/forcefield/internal/store/postgres"
	_ "github.com/forcefield/forcefield/internal/store/sqlite"
)
