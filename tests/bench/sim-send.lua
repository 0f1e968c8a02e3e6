-- sim-send.lua: wrk script that sends template messages to herald-sim, each to
-- a new recipient with its own biz_opaque_callback_data.
--   herald-sim --port 18480 --token bench --template hello:en:1 --mps 1000000 \
--              --messaging-limit 100000000
--   wrk -t2 -c32 -d5s -s tests/bench/sim-send.lua http://127.0.0.1:18480
-- Prints the answers by HTTP status at the end: all should be 200. Each run
-- starts at a random block of numbers, so that a run right after another
-- does not trip the 6 s pair rate limit (or POST /_sim/reset in between).

local thread_count = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  math.randomseed(os.time() * 7 + thread_id)
  base = math.random(0, 899) * 10000000
  statuses = {}
  token = os.getenv("HERALD_SIM_TOKEN") or "bench"
  wrk.method = "POST"
  wrk.path = "/v23.0/106540352242922/messages"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  counter = counter + 1
  local id = base + thread_id * 5000000 + counter
  local body = string.format(
    '{"messaging_product":"whatsapp","recipient_type":"individual","to":"+49%010d",' ..
    '"type":"template","biz_opaque_callback_data":"row=%d","template":{"name":"hello",' ..
    '"language":{"code":"en"},"components":[{"type":"body","parameters":' ..
    '[{"type":"text","text":"Anna"}]}]}}', 1000000000 + id, id)
  return wrk.format(nil, nil, nil, body)
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
