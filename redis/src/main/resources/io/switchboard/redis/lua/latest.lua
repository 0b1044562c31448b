-- KEYS: the stream's. ARGV: known history epoch, fresh birth, count. Returns the newest count
-- entries, oldest first.
current_life()
return redis.call('ZRANGE', KEYS[1], -tonumber(ARGV[3]), -1)
