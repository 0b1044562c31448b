-- ARGV: prefix, fresh epoch, queue, payload, keep.
local key = P .. 'queue:' .. ARGV[3]
redis.call('RPUSH', key, ARGV[4])
redis.call('LTRIM', key, -tonumber(ARGV[5]), -1)
return {epoch()}
