-- KEYS: the stream's. ARGV: deadline (ms since 1970 by Redis's clock). Forgets the stream whole in
-- one step: its entries, counter and birth, so its next append or read begins a new life (ids from
-- 1 under a new birth). Returns 1, or 0 without doing anything once Redis's clock is past the
-- deadline: the node stopped waiting then and told its caller nothing was removed, so nothing must
-- be, later.
if late(ARGV[1]) then
  return 0
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return 1
