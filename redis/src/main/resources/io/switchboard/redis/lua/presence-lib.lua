-- Presence of one group, shared by the group scripts (prepended to each one). Every script runs on
-- the group's slot and declares its keys:
--
--   KEYS[1]  members:GROUP           hash  address -> user ('' for an anonymous session)
--   KEYS[2]  users:GROUP             hash  user -> how many of the user's sessions are in GROUP
--   KEYS[3]  node-members:GROUP:NODE hash  address -> user, the members on one node
--
-- A node's own keys (its sessions, its groups) live in another slot and are written by the engine
-- with plain commands, never from here.
local MEMBERS, USERS, NODE_MEMBERS = KEYS[1], KEYS[2], KEYS[3]

local function user_count(user)
  if user == '' then return 0 end
  return tonumber(redis.call('HGET', USERS, user) or '0')
end

-- {changed, count}: changed is 1 when this is the user's first session in the group.
local function add_member(addr, user)
  if redis.call('HSETNX', MEMBERS, addr, user) == 0 then
    return {0, user_count(user)}
  end
  redis.call('HSET', NODE_MEMBERS, addr, user)
  if user == '' then return {0, 0} end
  local count = redis.call('HINCRBY', USERS, user, 1)
  return {count == 1 and 1 or 0, count}
end

-- {changed, count, user}, or nil when addr was no member: changed is 1 when it was the user's last.
local function remove_member(addr)
  redis.call('HDEL', NODE_MEMBERS, addr)
  local user = redis.call('HGET', MEMBERS, addr)
  if not user then return nil end
  redis.call('HDEL', MEMBERS, addr)
  if user == '' then return {0, 0, user} end
  local count = redis.call('HINCRBY', USERS, user, -1)
  if count <= 0 then
    redis.call('HDEL', USERS, user)
    return {1, 0, user}
  end
  return {0, count, user}
end
