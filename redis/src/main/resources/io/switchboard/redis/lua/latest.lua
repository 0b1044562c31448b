-- ARGV: prefix, fresh epoch, stream, count. Returns {epoch, top, entries...}, oldest first.
local out = {epoch(), top(ARGV[3])}
for _, entry in ipairs(redis.call('ZRANGE', skey('history', ARGV[3]), -tonumber(ARGV[4]), -1)) do
  table.insert(out, entry)
end
return out
