-- wrk script: SOQL queries over the Accounts of bench/dataload (named P%07d), each for a
-- random name. FF_ROWS=1 (default) sends the selective query of issue 3 §8,
--   SELECT Id, Name FROM Account WHERE Name = 'P0500000'
-- and FF_ROWS=k > 1 a range over the Name index that returns k rows,
--   SELECT Id, Name FROM Account WHERE Name >= 'P0500000' AND Name < 'P0500100'
-- FF_N is the number of Accounts loaded, FF_TOKEN the bearer token.
local n = tonumber(os.getenv("FF_N") or "10000")
local rows = tonumber(os.getenv("FF_ROWS") or "1")
local version = os.getenv("FF_VERSION") or "v59.0"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("FF_TOKEN") or "")

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

local function name(i) return string.format("%%27P%07d%%27", i) end

function request()
  local i = math.random(0, n - rows)
  local q
  if rows == 1 then
    q = "SELECT+Id%2CName+FROM+Account+WHERE+Name+%3D+" .. name(i)
  else
    q = "SELECT+Id%2CName+FROM+Account+WHERE+Name+%3E%3D+" .. name(i) .. "+AND+Name+%3C+" .. name(i + rows)
  end
  return wrk.format("GET", "/services/data/" .. version .. "/query?q=" .. q)
end
