-- ARGV: prefix, fresh epoch, stream, ttl ms. Hands out the stream's next id: {epoch, id}. A stream
-- whose counter is missing starts a new life (as in append.lua): entries and birth left from an
-- earlier life (none, unless its counter was lost alone) go.
local counter = skey('history-top', ARGV[3])
-- INCR first: a Redis out of memory refuses the script's first write, before it changed anything.
local lost = redis.call('EXISTS', counter) == 0
local id = redis.call('INCR', counter)
if lost then
  redis.call('DEL', skey('history', ARGV[3]), skey('history-birth', ARGV[3]))
end
keep_alive(ARGV[3], ARGV[4])
return {epoch(), id}
