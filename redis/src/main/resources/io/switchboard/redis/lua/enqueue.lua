-- ARGV: prefix, fresh epoch, queue, payload, keep, ttl ms (counted from this enqueue), deadline (ms
-- since 1970 by Redis's clock). Returns {epoch, 1}, or {epoch, 0} without doing anything once Redis's
-- clock is past the deadline: the sender was told to try again then, so it must not be kept twice.
if late(ARGV[7]) then
  return {epoch(), 0}
end
local key = P .. 'queue:' .. ARGV[3]
redis.call('RPUSH', key, ARGV[4])
redis.call('LTRIM', key, -tonumber(ARGV[5]), -1)
redis.call('PEXPIRE', key, ARGV[6])
return {epoch(), 1}
