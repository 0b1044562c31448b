-- ARGV: prefix, this node, user, node channel prefix, envelope. Publishes the envelope to every other
-- node with a session of the user; returns how many sessions those nodes have.
local reached = 0
local nodes = redis.call('HGETALL', P .. 'user-nodes:' .. ARGV[3])
for i = 1, #nodes, 2 do
  local count = tonumber(nodes[i + 1])
  if nodes[i] ~= ARGV[2] and count > 0 and redis.call('PUBLISH', ARGV[4] .. '{' .. nodes[i] .. '}', ARGV[5]) > 0 then
    reached = reached + count
  end
end
return reached
