-- ARGV: prefix, fresh epoch, queue. Takes every payload, oldest first, and empties the queue.
local key = P .. 'queue:' .. ARGV[3]
local out = redis.call('LRANGE', key, 0, -1)
redis.call('DEL', key)
return out
