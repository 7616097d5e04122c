-- wrk script: JWT bearer token requests reusing one assertion (FF_ASSERTION).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" .. os.getenv("FF_ASSERTION")
