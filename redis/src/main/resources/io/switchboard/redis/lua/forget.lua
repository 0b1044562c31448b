-- KEYS: members, users, node-members of the group on one node. ARGV: the group's name, then the
-- (address, user) pairs the node has in the group now (none when the node is gone).
-- Removes every member the node had in the group, then adds the given ones, atomically: when two
-- nodes forget the same dead node at once, only the first finds its members, so each removal is
-- reported once. Returns the members removed, each as {group, address, user, changed, count}.
local removed = {}
local old = redis.call('HKEYS', NODE_MEMBERS)
for _, addr in ipairs(old) do
  local change = remove_member(addr)
  if change then
    table.insert(removed, {ARGV[1], addr, change[3], change[1], change[2]})
  end
end
redis.call('DEL', NODE_MEMBERS)
for i = 2, #ARGV - 1, 2 do
  add_member(ARGV[i], ARGV[i + 1])
end
return removed
