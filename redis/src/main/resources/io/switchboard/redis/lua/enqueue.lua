-- KEYS: the queue. ARGV: payload, keep, ttl ms (counted from this enqueue), deadline (ms since 1970
-- by Redis's clock). Returns 1, or 0 without doing anything once Redis's clock is past the
-- deadline: the sender was told to try again then, so it must not be kept twice.
if late(ARGV[4]) then
  return 0
end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
