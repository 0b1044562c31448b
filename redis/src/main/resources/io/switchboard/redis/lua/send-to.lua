-- ARGV: prefix, node of the address, address, channel of that node, envelope. Publishes when the
-- session is open there; returns 1 when it was published to a listening node.
if redis.call('HEXISTS', P .. 'node-sessions:' .. ARGV[2], ARGV[3]) == 0 then return 0 end
return redis.call('PUBLISH', ARGV[4], ARGV[5]) > 0 and 1 or 0
