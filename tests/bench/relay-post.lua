-- relay-post.lua: wrk script that posts one signed status webhook to
-- herald-relay, as Meta would.
--   HERALD_BENCH_BODY='{...}' HERALD_BENCH_SIGNATURE='sha256=...' \
--     wrk -t1 -c16 -d3s -s tests/bench/relay-post.lua http://127.0.0.1:PORT/webhook
-- bench-relay.c sets both variables (the signature is HMAC-SHA256 of the body
-- with the relay's app secret). Prints the answers by HTTP status at the end:
-- all should be 200.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  wrk.method = "POST"
  wrk.body = os.getenv("HERALD_BENCH_BODY")
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Hub-Signature-256"] = os.getenv("HERALD_BENCH_SIGNATURE")
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for status, count in pairs(s) do
      io.write(string.format("HTTP %d: %d\n", status, count))
    end
  end
end
