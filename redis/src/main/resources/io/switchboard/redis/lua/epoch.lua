-- KEYS: epoch. ARGV: a random hex. Returns the history epoch, making one when there is none (first
-- use, Redis lost its data, or an operator deleted it after restoring a snapshot) or the one there
-- is of an older form: the time by Redis's clock in ms (13 digits, so newer sorts after older), a
-- dash and the random hex.
local current = redis.call('GET', KEYS[1])
if current and string.match(current, '^%d%d%d%d%d%d%d%d%d%d%d%d%d%-') then
  return current
end
local now = redis.call('TIME')
current = string.format('%013d', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)) .. '-' .. ARGV[1]
redis.call('SET', KEYS[1], current)
return current
