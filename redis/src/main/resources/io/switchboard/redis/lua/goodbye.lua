-- ARGV: prefix, node. A node closing: forgets it at once; returns its memberships as reap does.
local removed = forget_node(ARGV[2])
redis.call('SREM', P .. 'nodes', ARGV[2])
redis.call('DEL', P .. 'alive:' .. ARGV[2])
return removed
