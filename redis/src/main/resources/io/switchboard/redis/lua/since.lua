-- ARGV: prefix, fresh epoch, stream, after. Returns {epoch, top, entries with an id above after...}.
local out = {epoch(), top(ARGV[3])}
for _, entry in ipairs(redis.call('ZRANGEBYSCORE', P .. 'history:' .. ARGV[3], '(' .. ARGV[4], '+inf')) do
  table.insert(out, entry)
end
return out
