-- History in Redis, shared by every history script (prepended to each one). ARGV[1] is the key
-- prefix, ARGV[2] a fresh epoch to adopt when Redis has none (first use, or its data was lost).
--
--   epoch                 string  names this history's lifetime
--   history-top:STREAM    string  the last id handed out in STREAM
--   history:STREAM        zset    'ID:PAYLOAD' scored by id, the newest entries only
--   history-birth:STREAM  string  names this life of STREAM (from history-births)
--   history-births        string  counts the lives of every stream
--   queue:QUEUE           list    payloads, oldest first
--
-- A stream's three keys expire together, a time after its last append (each append sets the same
-- deadline on all three; a read that starts a stream sets its birth's), so when a stream is
-- forgotten its ids restart at 1 under a new birth, and no position from its last life is taken
-- for one of the new. A queue expires a time after its last enqueue.
local P = ARGV[1]

local function epoch()
  local current = redis.call('GET', P .. 'epoch')
  if current then return current end
  redis.call('SET', P .. 'epoch', ARGV[2])
  return ARGV[2]
end

local function top(stream)
  return tonumber(redis.call('GET', P .. 'history-top:' .. stream) or '0')
end

-- The birth of STREAM's life, made with a deadline TTL milliseconds away if it has none.
local function birth(stream, ttl)
  local key = P .. 'history-birth:' .. stream
  local value = redis.call('GET', key)
  if value then return value end
  value = redis.call('INCR', P .. 'history-births')
  redis.call('SET', key, value, 'PX', ttl)
  return tostring(value)
end

-- Gives STREAM's keys one deadline, TTL milliseconds away.
local function keep_alive(stream, ttl)
  birth(stream, ttl)
  redis.call('PEXPIRE', P .. 'history-birth:' .. stream, ttl)
  redis.call('PEXPIRE', P .. 'history-top:' .. stream, ttl)
  redis.call('PEXPIRE', P .. 'history:' .. stream, ttl)
end
