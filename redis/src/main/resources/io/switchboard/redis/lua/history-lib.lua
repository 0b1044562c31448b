-- History in Redis, shared by every history script (prepended to each one). ARGV[1] is the key
-- prefix, ARGV[2] a fresh epoch to adopt when Redis has none (first use, or its data was lost).
--
--   epoch                 string  names this history's lifetime
--   history-top:{STREAM}    string  the last id handed out in STREAM
--   history:{STREAM}        zset    'ID:PAYLOAD' scored by id, the newest entries only
--   history-birth:{STREAM}  string  names this life of STREAM (random, from the caller's ARGV[2])
--   queue:QUEUE           list    payloads, oldest first
--
-- A stream's three keys expire together, the append's time to live after its last append (each
-- append sets the same deadline on all three, from its own ttl argument, so streams of one history
-- may live for different times; a read that starts a stream sets its birth's), so when a stream is
-- forgotten its ids restart at 1 under a new birth, and no position from its last life is taken
-- for one of the new; remove.lua deletes all three at once, to the same end. A queue expires a time after its last enqueue. Births are random, not counted:
-- a counter could itself be evicted or rolled back and hand out a birth again.
local P = ARGV[1]

-- The key of STREAM's KIND. The stream's name is a Redis Cluster hash tag, so its three keys share a
-- slot and a script may touch them in one command (DEL of all three).
local function skey(kind, stream)
  return P .. kind .. ':{' .. stream .. '}'
end

local function epoch()
  local current = redis.call('GET', P .. 'epoch')
  if current then return current end
  redis.call('SET', P .. 'epoch', ARGV[2])
  return ARGV[2]
end

local function top(stream)
  return tonumber(redis.call('GET', skey('history-top', stream)) or '0')
end

-- The birth of STREAM's life, made with a deadline TTL milliseconds away if it has none. A life
-- started by a read has its counter at 0, so that the first append can tell it from a counter lost
-- alone (see append.lua).
local function birth(stream, ttl)
  local key = skey('history-birth', stream)
  local value = redis.call('GET', key)
  if value then return value end
  redis.call('SET', key, ARGV[2], 'PX', ttl)
  redis.call('SET', skey('history-top', stream), 0, 'PX', ttl, 'NX')
  return ARGV[2]
end

-- Whether Redis's clock is past DEADLINE (ms since 1970): the caller stopped waiting then and acted
-- on its own, so the script must not take effect.
local function late(deadline)
  local now = redis.call('TIME')
  return tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(deadline)
end

-- Gives STREAM's keys one deadline, TTL milliseconds away.
local function keep_alive(stream, ttl)
  birth(stream, ttl)
  redis.call('PEXPIRE', skey('history-birth', stream), ttl)
  redis.call('PEXPIRE', skey('history-top', stream), ttl)
  redis.call('PEXPIRE', skey('history', stream), ttl)
end
