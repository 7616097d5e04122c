-- wrk script: client credentials token requests with the secret in the body.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=client_credentials&client_id=" .. (os.getenv("FF_KEY") or "BenchKey0001") ..
  "&client_secret=" .. (os.getenv("FF_SECRET") or "BenchSecret0001")
