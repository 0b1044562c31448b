-- ARGV: prefix, fresh epoch, stream, keep, deadline (ms since 1970 by Redis's clock), head,
-- middle, tail, channel, envelope head, ttl ms. Numbers, stores and publishes one entry in one step, so that the channel carries a
-- stream's entries in id order, and keeps the stream alive for ttl ms more (keep_alive). The
-- payload is head .. stream epoch .. middle .. id .. tail, the stream epoch naming this life of the
-- stream (the history's epoch and the stream's birth, as since.lua reports it); the message
-- published is the envelope head, the payload's length (4 bytes, big-endian), then the payload.
-- Returns {epoch, id, stream epoch}, or {epoch, 0} without doing anything once Redis's clock is past the deadline:
-- the node stopped waiting then and delivered the entry itself, so it must not appear a second time.
-- A stream whose counter is missing starts a new life (a new birth, no entries): on first use, or
-- when the counter alone was lost (evicted under a volatile-* policy), so no (epoch, id) comes twice.
local current = epoch()
if late(ARGV[5]) then
  return {current, 0}
end
local stream = ARGV[3]
local counter = skey('history-top', stream)
-- INCR first: a Redis out of memory refuses the script's first write, before it changed anything.
local lost = redis.call('EXISTS', counter) == 0
local id = redis.call('INCR', counter)
if lost then
  redis.call('DEL', skey('history', stream), skey('history-birth', stream))
end
local streamEpoch = current .. '.' .. birth(stream, ARGV[11])
local payload = ARGV[6] .. streamEpoch .. ARGV[7] .. id .. ARGV[8]
local key = skey('history', stream)
redis.call('ZADD', key, id, id .. ':' .. payload)
redis.call('ZREMRANGEBYRANK', key, 0, -(tonumber(ARGV[4]) + 1))
keep_alive(stream, ARGV[11])
redis.call('PUBLISH', ARGV[9], ARGV[10] .. struct.pack('>I4', #payload) .. payload)
return {current, id, streamEpoch}
