-- A test script: sets its one declared key and reads it back, on the primary that serves the key.
redis.call('SET', KEYS[1], ARGV[1])
return redis.call('GET', KEYS[1])
