-- KEYS: the stream's. ARGV: known history epoch, fresh birth, keep, deadline (ms since 1970 by
-- Redis's clock), head, middle, tail, publish command, channel, envelope head, ttl ms. Numbers,
-- stores and publishes one entry in one step, so that the channel carries a stream's entries in id
-- order (on a cluster the channel is in the stream's slot: RedisHistory checks), and keeps the
-- stream alive for ttl ms more. The payload is head .. stream epoch .. middle .. id .. tail; the
-- message published is the envelope head, the payload's length (4 bytes, big-endian), then the
-- payload. Returns {id, stream epoch}, or {0} without doing anything once Redis's clock is past the
-- deadline: the node stopped waiting then and delivered the entry itself, so it must not appear a
-- second time.
if late(ARGV[4]) then
  return {0}
end
current_life()
local id = next_id()
local streamEpoch = birth(ARGV[11])
local payload = ARGV[5] .. streamEpoch .. ARGV[6] .. id .. ARGV[7]
redis.call('ZADD', KEYS[1], id, id .. ':' .. payload)
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
keep_alive(ARGV[11])
redis.call(ARGV[8], ARGV[9], ARGV[10] .. struct.pack('>I4', #payload) .. payload)
return {id, streamEpoch}
