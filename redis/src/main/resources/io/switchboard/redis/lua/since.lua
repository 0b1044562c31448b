-- ARGV: prefix, fresh epoch, stream, after, ttl ms. Returns {epoch, top, birth, entries with an id
-- above after...}; reading a stream that is not kept starts its life (see birth).
local out = {epoch(), top(ARGV[3]), birth(ARGV[3], ARGV[5])}
for _, entry in ipairs(redis.call('ZRANGEBYSCORE', skey('history', ARGV[3]), '(' .. ARGV[4], '+inf')) do
  table.insert(out, entry)
end
return out
