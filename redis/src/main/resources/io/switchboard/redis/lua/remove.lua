-- ARGV: prefix, fresh epoch, stream, deadline (ms since 1970 by Redis's clock). Forgets the stream
-- whole in one step: its entries, counter and birth, so its next append or read begins a new life
-- (ids from 1 under a new birth, see birth). Returns {epoch, 1}, or {epoch, 0} without doing
-- anything once Redis's clock is past the deadline: the node stopped waiting then and told its
-- caller nothing was removed, so nothing must be, later.
local current = epoch()
if late(ARGV[4]) then
  return {current, 0}
end
local stream = ARGV[3]
redis.call('DEL', skey('history', stream), skey('history-top', stream), skey('history-birth', stream))
return {current, 1}
