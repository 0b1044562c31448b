-- KEYS: the stream's. ARGV: known history epoch, fresh birth, ttl ms. Hands out the stream's next
-- id: {id, stream epoch}.
current_life()
local id = next_id()
return {id, keep_alive(ARGV[3])}
