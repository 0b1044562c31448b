-- History in Redis, shared by every history script (prepended to each one). Every script declares
-- the keys it touches, all in one slot, so it runs on a Redis Cluster with several primaries:
--
--   epoch.lua:        KEYS = epoch (alone in its slot)
--   a stream's:       KEYS = history:S, history-top:S, history-birth:S (S is a hash tag: one slot)
--   a queue's:        KEYS = queue:Q
--
--   epoch                 string  the history epoch: '<13-digit ms by Redis's clock>-<random hex>'
--   history-top:S         string  the last id handed out in S
--   history:S             zset    'ID:PAYLOAD' scored by id, the newest entries only
--   history-birth:S       string  S's stream epoch: '<history epoch>.<random hex>', fixed at birth
--   queue:Q               list    payloads, oldest first
--
-- Epochs. No stream script reads the epoch key (another slot): each is given the history epoch its
-- node knows (ARGV[1]; the node reads it with epoch.lua at connect, after each outage, every
-- second, and when a reply shows a newer one) and a fresh random birth (ARGV[2]). A stream's epoch
-- is made once, at its birth, from both, and stored whole in its birth key, so every node reports
-- the same one for that life whatever epoch it knows. The random part alone keeps lives apart (a counter could be evicted
-- or rolled back and hand out a birth twice, randomness cannot). The history epoch begins with the
-- time it was made, so a script can tell an older one from a newer one: a life born under an older
-- history epoch than the caller's is forgotten whole (a snapshot restored, after which the operator
-- deletes the epoch key, as RedisHistory says), while a caller that knows an older epoch than the
-- life's (it has not read the new one yet) takes the life as it is and learns the newer epoch from
-- the reply. So no (stream epoch, id) comes twice: a new life always has a new random birth.
--
-- A stream's three keys expire together, the append's time to live after its last append (each
-- append sets the same deadline on all three, from its own ttl argument; a read that starts a
-- stream sets its birth's), so when a stream is forgotten its ids restart at 1 under a new birth;
-- remove.lua deletes all three at once, to the same end. A queue expires a time after its last
-- enqueue.

-- Whether history epoch A is older than B: by the time in front, then by the random part. A value
-- of another form (from before epochs carried their time) is older than any.
local function older(a, b)
  local ta, tb = tonumber(string.sub(a, 1, 13)), tonumber(string.sub(b, 1, 13))
  if ta == nil or tb == nil then
    return ta == nil and tb ~= nil
  end
  if ta ~= tb then
    return ta < tb
  end
  return a < b
end

-- Forgets the stream's life when it was born under an older history epoch than the caller's (see
-- above). DEL is allowed when Redis is out of memory, and a forgotten life only ever leads to a new
-- birth. Every stream script calls it first.
local function current_life()
  local born = redis.call('GET', KEYS[3])
  if not born then return end
  local epoch = string.match(born, '^([^.]*)%.')
  if epoch == nil or older(epoch, ARGV[1]) then
    redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
  end
end

local function top()
  return tonumber(redis.call('GET', KEYS[2]) or '0')
end

-- The stream's epoch, made (with a deadline TTL milliseconds away) if it has none. A life started
-- by a read has its counter at 0, so that the first append can tell it from a counter lost alone
-- (see append.lua).
local function birth(ttl)
  local value = redis.call('GET', KEYS[3])
  if value then return value end
  value = ARGV[1] .. '.' .. ARGV[2]
  redis.call('SET', KEYS[3], value, 'PX', ttl)
  redis.call('SET', KEYS[2], 0, 'PX', ttl, 'NX')
  return value
end

-- Hands out the stream's next id. A stream whose counter is missing starts a new life: on first
-- use, or when the counter alone was lost (evicted under a volatile-* policy), so its entries and
-- birth from an earlier life go. INCR first: a Redis out of memory refuses the script's first write
-- (DEL in current_life is no write it refuses), before it changed anything.
local function next_id()
  local lost = redis.call('EXISTS', KEYS[2]) == 0
  local id = redis.call('INCR', KEYS[2])
  if lost then
    redis.call('DEL', KEYS[1], KEYS[3])
  end
  return id
end

-- Whether Redis's clock is past DEADLINE (ms since 1970): the caller stopped waiting then and acted
-- on its own, so the script must not take effect.
local function late(deadline)
  local now = redis.call('TIME')
  return tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(deadline)
end

-- Gives the stream's keys one deadline, TTL milliseconds away; returns its epoch.
local function keep_alive(ttl)
  local epoch = birth(ttl)
  redis.call('PEXPIRE', KEYS[3], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
  redis.call('PEXPIRE', KEYS[1], ttl)
  return epoch
end
