-- KEYS: the stream's. ARGV: known history epoch, fresh birth, after, ttl ms. Returns {top, stream
-- epoch, entries with an id above after...}; reading a stream that is not kept starts its life (see
-- birth).
current_life()
local out = {top(), birth(ARGV[4])}
for _, entry in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[3], '+inf')) do
  table.insert(out, entry)
end
return out
