-- wrk script: username-password token requests (password + security token).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=password&client_id=BenchPwKey001&client_secret=BenchPwSecret001" ..
  "&username=bench%40bench.example&password=bench+passwordBenchToken00000000000001"
