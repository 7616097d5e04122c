package server

import (
	"net"
	"net/http"
	"net/http/pprof"
)

// serveDebug serves Go's profiling endpoints (/debug/pprof/) on their own listener, apart
// from the public one, when --debug-addr is set. Keep it on loopback: profiles reveal
// memory contents.
func serveDebug(ln net.Listener) *http.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	return srv
}
