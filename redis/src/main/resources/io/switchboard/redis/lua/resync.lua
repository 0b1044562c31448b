-- ARGV: prefix, node, expiry in ms, session count S, then S pairs (address, user), then triples
-- (group, address, user). Makes Redis hold exactly this node's sessions and memberships, as after a
-- reconnect or after being reaped. Reports nothing: the node decided presence locally meanwhile.
local node = ARGV[2]
forget_node(node)
beat(node, ARGV[3])
local sessions = tonumber(ARGV[4])
local i = 5
for _ = 1, sessions do
  add_session(node, ARGV[i], ARGV[i + 1])
  i = i + 2
end
while i + 2 <= #ARGV do
  add_member(node, ARGV[i], ARGV[i + 1], ARGV[i + 2])
  i = i + 3
end
return 1
