-- ARGV: prefix, fresh epoch, stream, keep, deadline (ms since 1970 by Redis's clock), head,
-- middle, tail, channel, envelope head. Numbers, stores and publishes one entry in one step, so that the channel carries a
-- stream's entries in id order. The payload is head .. epoch .. middle .. id .. tail; the message
-- published is the envelope head, the payload's length (4 bytes, big-endian), then the payload.
-- Returns {epoch, id}, or {epoch, 0} without doing anything once Redis's clock is past the deadline:
-- the node stopped waiting then and delivered the entry itself, so it must not appear a second time.
local now = redis.call('TIME')
local current = epoch()
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[5]) then
  return {current, 0}
end
local stream = ARGV[3]
local id = redis.call('INCR', P .. 'history-top:' .. stream)
local payload = ARGV[6] .. current .. ARGV[7] .. id .. ARGV[8]
local key = P .. 'history:' .. stream
redis.call('ZADD', key, id, id .. ':' .. payload)
redis.call('ZREMRANGEBYRANK', key, 0, -(tonumber(ARGV[4]) + 1))
redis.call('PUBLISH', ARGV[9], ARGV[10] .. struct.pack('>I4', #payload) .. payload)
return {current, id}
