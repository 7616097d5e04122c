-- wrk script: sObject Collections inserts, POST /services/data/vXX.X/composite/sobjects
-- with 200 new Accounts per request (allOrNone). Every response must be 200 with no
-- "success":false; done() prints how many were not ("failed responses: N").
-- FF_TOKEN is the bearer token.
local version = os.getenv("FF_VERSION") or "v59.0"
wrk.method = "POST"
wrk.path = "/services/data/" .. version .. "/composite/sobjects"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("FF_TOKEN") or "")
wrk.headers["Content-Type"] = "application/json"
local threads = {}
local counter = 0
failures = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function request()
  local recs = {}
  for j = 1, 200 do
    counter = counter + 1
    recs[j] = string.format('{"attributes":{"type":"Account"},"Name":"W%d-%d","NumberOfEmployees":%d}',
      id or 0, counter, counter % 1000)
  end
  return wrk.format(nil, nil, nil, '{"allOrNone":true,"records":[' .. table.concat(recs, ",") .. "]}")
end

function response(status, headers, body)
  if status ~= 200 or body:find('"success":false', 1, true) then failures = failures + 1 end
end

function done(summary, latency, requests)
  local f = 0
  for _, t in ipairs(threads) do f = f + t:get("failures") end
  io.write(string.format("failed responses: %d\n", f))
end
