-- POST a complete, valid submission with a real session, CSRF token and form
-- token. Sessions (cookie + CSRF) come from sessions.txt, one per line; every
-- request takes a fresh form token from tokens.txt, so each is a new record.
local threads = {}
local counter = 0

local function lines(path)
  local out = {}
  for line in io.lines(path) do out[#out + 1] = line end
  return out
end

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  sessions = lines(os.getenv("BENCH_SESSIONS"))
  tokens = lines(os.getenv("BENCH_TOKENS"))
  nthreads = tonumber(os.getenv("BENCH_THREADS"))
  fields = os.getenv("BENCH_FIELDS")
end

function request()
  local n = counter * nthreads + id
  counter = counter + 1
  local cookie, csrf = sessions[(n % #sessions) + 1]:match("([^\t]+)\t([^\t]+)")
  local token = tokens[(n % #tokens) + 1]
  local phone = string.format("0812%08d", 10000000 + n)
  local body = fields .. "&nomor_hp=" .. phone .. "&csrf_token=" .. csrf .. "&formulir=" .. token
  return wrk.format("POST", "/daftar/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }, body)
end
