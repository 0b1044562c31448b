-- KEYS: the queue. ARGV: max bytes, deadline (ms since 1970 by Redis's clock). Takes the oldest
-- payloads whose lengths plus one byte each fit max bytes (at least one) and leaves the rest as they
-- were (LTRIM keeps the key's time to live). Returns {1 if more remain else 0, payloads...}, or {-1}
-- without taking anything once Redis's clock is past the deadline: the node stopped waiting then,
-- and what it did not receive must stay kept.
if late(ARGV[2]) then
  return {-1}
end
local all = redis.call('LRANGE', KEYS[1], 0, -1)
local budget = tonumber(ARGV[1])
local used = 0
local out = {0}
for i, payload in ipairs(all) do
  used = used + #payload + 1
  if used > budget and i > 1 then break end
  out[i + 1] = payload
end
local taken = #out - 1
if taken < #all then
  out[1] = 1
  redis.call('LTRIM', KEYS[1], taken, -1)
else
  redis.call('DEL', KEYS[1])
end
return out
