-- ARGV: prefix, fresh epoch, queue, max bytes, deadline (ms since 1970 by Redis's clock). Takes the
-- oldest payloads whose lengths plus one byte each fit max bytes (at least one) and leaves the rest
-- as they were (LTRIM keeps the key's time to live). Returns {epoch, 1 if more remain else 0,
-- payloads...}, or {epoch, -1} without taking anything once Redis's clock is past the deadline: the
-- node stopped waiting then, and what it did not receive must stay kept.
if late(ARGV[5]) then
  return {epoch(), -1}
end
local key = P .. 'queue:' .. ARGV[3]
local all = redis.call('LRANGE', key, 0, -1)
local budget = tonumber(ARGV[4])
local used = 0
local out = {epoch(), 0}
for i, payload in ipairs(all) do
  used = used + #payload + 1
  if used > budget and i > 1 then break end
  out[i + 2] = payload
end
local taken = #out - 2
if taken < #all then
  out[2] = 1
  redis.call('LTRIM', key, taken, -1)
else
  redis.call('DEL', key)
end
return out
