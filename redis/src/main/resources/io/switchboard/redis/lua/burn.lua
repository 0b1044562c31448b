-- ARGV: prefix, fresh epoch, stream, highest provisional id. After an outage in which this node
-- numbered messages it could not store: moves the stream's top past them and past one more id that
-- is never stored, so every position from before the outage recovers as incomplete. ARGV[5]: ttl ms.
local next_top = math.max(top(ARGV[3]), tonumber(ARGV[4])) + 1
redis.call('SET', skey('history-top', ARGV[3]), next_top)
keep_alive(ARGV[3], ARGV[5])
return {epoch(), next_top}
