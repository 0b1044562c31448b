-- ARGV: prefix, fresh epoch, queue, payload, keep, ttl ms (counted from this enqueue).
local key = P .. 'queue:' .. ARGV[3]
redis.call('RPUSH', key, ARGV[4])
redis.call('LTRIM', key, -tonumber(ARGV[5]), -1)
redis.call('PEXPIRE', key, ARGV[6])
return {epoch()}
