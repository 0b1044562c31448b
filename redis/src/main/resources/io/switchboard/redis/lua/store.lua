-- ARGV: prefix, fresh epoch, stream, id, 'ID:PAYLOAD', keep, ttl ms. Stores an entry, keeps the newest.
local key = skey('history', ARGV[3])
redis.call('ZADD', key, ARGV[4], ARGV[5])
redis.call('ZREMRANGEBYRANK', key, 0, -(tonumber(ARGV[6]) + 1))
keep_alive(ARGV[3], ARGV[7])
return {epoch(), top(ARGV[3])}
