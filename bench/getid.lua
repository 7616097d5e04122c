-- wrk script: GET /services/data/vXX.X/sobjects/Account/{id} for random Ids read from the
-- file FF_IDS (one a line, written by bench/dataload -ids). FF_TOKEN is the bearer token.
local version = os.getenv("FF_VERSION") or "v59.0"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("FF_TOKEN") or "")
local ids = {}

function init(args)
  for line in io.lines(os.getenv("FF_IDS")) do ids[#ids + 1] = line end
  math.randomseed(os.time())
end

function request()
  return wrk.format("GET", "/services/data/" .. version .. "/sobjects/Account/" .. ids[math.random(#ids)])
end
