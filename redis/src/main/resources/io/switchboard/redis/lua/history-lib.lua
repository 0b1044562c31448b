-- History in Redis, shared by every history script (prepended to each one). ARGV[1] is the key
-- prefix, ARGV[2] a fresh epoch to adopt when Redis has none (first use, or its data was lost).
--
--   epoch                 string  names this history's lifetime
--   history-top:STREAM    string  the last id handed out in STREAM
--   history:STREAM        zset    'ID:PAYLOAD' scored by id, the newest entries only
--   queue:QUEUE           list    payloads, oldest first
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
