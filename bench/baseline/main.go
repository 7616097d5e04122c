// Command baseline is the yardstick of docs/performance.md: a minimal in-memory token
// handler that does what the token endpoint cannot avoid — parse the same form, compare a
// SHA-256 of the secret, make a random token, write JSON — and nothing else (no store, no
// sessions, no login history). Forcefield's issuance rate is reported as a ratio of this
// handler's rate measured in the same run on the same machine.
package main

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"flag"
	"log"
	"net/http"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18081", "listen address")
	key := flag.String("key", "BenchKey0001", "consumer key")
	secret := flag.String("secret", "BenchSecret0001", "consumer secret")
	flag.Parse()
	want := sha256.Sum256([]byte(*secret))
	http.HandleFunc("POST /services/oauth2/token", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_id") != *key {
			http.Error(w, `{"error":"invalid_client_id"}`, http.StatusBadRequest)
			return
		}
		got := sha256.Sum256([]byte(r.PostForm.Get("client_secret")))
		if subtle.ConstantTimeCompare(want[:], got[:]) != 1 {
			http.Error(w, `{"error":"invalid_client"}`, http.StatusBadRequest)
			return
		}
		b := make([]byte, 48)
		rand.Read(b)
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		json.NewEncoder(w).Encode(map[string]string{"access_token": "00D000000000001!" + base64.RawURLEncoding.EncodeToString(b), "token_type": "Bearer"})
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
