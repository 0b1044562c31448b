-- KEYS: the stream's. ARGV: known history epoch, fresh birth, highest provisional id, ttl ms. After
-- an outage in which this node numbered messages it could not store: moves the stream's top past
-- them and past one more id that is never stored, so every position from before the outage
-- recovers as incomplete. Returns {top, stream epoch}.
current_life()
local next_top = math.max(top(), tonumber(ARGV[3])) + 1
redis.call('SET', KEYS[2], next_top)
return {next_top, keep_alive(ARGV[4])}
