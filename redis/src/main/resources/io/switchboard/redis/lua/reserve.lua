-- ARGV: prefix, fresh epoch, stream, ttl ms. Hands out the stream's next id: {epoch, id}. The first
-- id of a life starts it clean: entries left from an earlier life (none, unless keys were lost one by
-- one) go.
local id = redis.call('INCR', P .. 'history-top:' .. ARGV[3])
if id == 1 then redis.call('DEL', P .. 'history:' .. ARGV[3]) end
keep_alive(ARGV[3], ARGV[4])
return {epoch(), id}
