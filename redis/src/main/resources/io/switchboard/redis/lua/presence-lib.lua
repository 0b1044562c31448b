-- Presence in Redis, shared by every engine script (prepended to each one). ARGV[1] is the key prefix.
--
--   members:GROUP        hash  address -> user ('' for an anonymous session)
--   users:GROUP          hash  user -> how many of the user's sessions are in GROUP
--   node-groups:NODE     set   'GROUP ADDRESS' for every membership of NODE's sessions
--   node-sessions:NODE   hash  address -> user, every open session of NODE
--   user-nodes:USER      hash  node -> how many sessions USER has open on that node
--   alive:NODE           string that expires unless NODE keeps beating
--   nodes                set   every node that has registered and not been forgotten
--
-- Group names never contain a space (the engine refuses them), so 'GROUP ADDRESS' splits at the
-- first one.
local P = ARGV[1]

local function user_count(group, user)
  if user == '' then return 0 end
  return tonumber(redis.call('HGET', P .. 'users:' .. group, user) or '0')
end

-- {changed, count}: changed is 1 when this is the user's first session in the group.
local function add_member(node, group, addr, user)
  if redis.call('HSETNX', P .. 'members:{' .. group .. '}', addr, user) == 0 then
    return {0, user_count(group, user)}
  end
  redis.call('SADD', P .. 'node-groups:' .. node, group .. ' ' .. addr)
  if user == '' then return {0, 0} end
  local count = redis.call('HINCRBY', P .. 'users:' .. group, user, 1)
  return {count == 1 and 1 or 0, count}
end

-- {changed, count, user}, or nil when addr was no member: changed is 1 when it was the user's last.
local function remove_member(node, group, addr)
  redis.call('SREM', P .. 'node-groups:' .. node, group .. ' ' .. addr)
  local user = redis.call('HGET', P .. 'members:{' .. group .. '}', addr)
  if not user then return nil end
  redis.call('HDEL', P .. 'members:{' .. group .. '}', addr)
  if user == '' then return {0, 0, user} end
  local count = redis.call('HINCRBY', P .. 'users:' .. group, user, -1)
  if count <= 0 then
    redis.call('HDEL', P .. 'users:' .. group, user)
    return {1, 0, user}
  end
  return {0, count, user}
end

local function add_session(node, addr, user)
  if redis.call('HSETNX', P .. 'node-sessions:' .. node, addr, user) == 1 and user ~= '' then
    redis.call('HINCRBY', P .. 'user-nodes:' .. user, node, 1)
  end
end

local function remove_session(node, addr)
  local user = redis.call('HGET', P .. 'node-sessions:' .. node, addr)
  if not user then return end
  redis.call('HDEL', P .. 'node-sessions:' .. node, addr)
  if user ~= '' and redis.call('HINCRBY', P .. 'user-nodes:' .. user, node, -1) <= 0 then
    redis.call('HDEL', P .. 'user-nodes:' .. user, node)
  end
end

-- Removes every session and membership of node; returns the memberships removed, each as
-- {group, address, user, changed, count}.
local function forget_node(node)
  local removed = {}
  for _, entry in ipairs(redis.call('SMEMBERS', P .. 'node-groups:' .. node)) do
    local space = string.find(entry, ' ', 1, true)
    local group = string.sub(entry, 1, space - 1)
    local addr = string.sub(entry, space + 1)
    local change = remove_member(node, group, addr)
    if change then
      table.insert(removed, {group, addr, change[3], change[1], change[2]})
    end
  end
  local sessions = redis.call('HKEYS', P .. 'node-sessions:' .. node)
  for _, addr in ipairs(sessions) do
    remove_session(node, addr)
  end
  redis.call('DEL', P .. 'node-groups:' .. node, P .. 'node-sessions:' .. node)
  return removed
end

local function beat(node, ttl)
  redis.call('SET', P .. 'alive:' .. node, '1', 'PX', ttl)
  return redis.call('SADD', P .. 'nodes', node) == 0 and 1 or 0
end
