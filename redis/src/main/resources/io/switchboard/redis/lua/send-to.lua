-- KEYS: node-sessions of the address's node. ARGV: address, the publish command (PUBLISH or
-- SPUBLISH), that node's channel (in the same slot), envelope. Publishes when the session is open
-- there; returns 1 when it was published to a listening node.
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
return redis.call(ARGV[2], ARGV[3], ARGV[4]) > 0 and 1 or 0
