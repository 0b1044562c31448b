-- KEYS: the stream's. ARGV: known history epoch, fresh birth, id, 'ID:PAYLOAD', keep, ttl ms. Stores
-- an entry, keeps the newest. Returns {top, stream epoch}.
current_life()
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[5]) + 1))
local epoch = keep_alive(ARGV[6])
return {top(), epoch}
