-- ARGV: prefix, fresh epoch, stream. Hands out the stream's next id: {epoch, id}.
return {epoch(), redis.call('INCR', P .. 'history-top:' .. ARGV[3])}
