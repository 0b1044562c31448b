-- ARGV: prefix, this node. Forgets every node whose heartbeat expired; returns their memberships,
-- each as {group, address, user, changed, count}. Atomic, so each dead node is reaped once.
local removed = {}
for _, node in ipairs(redis.call('SMEMBERS', P .. 'nodes')) do
  if node ~= ARGV[2] and redis.call('EXISTS', P .. 'alive:' .. node) == 0 then
    for _, membership in ipairs(forget_node(node)) do
      table.insert(removed, membership)
    end
    redis.call('SREM', P .. 'nodes', node)
  end
end
return removed
