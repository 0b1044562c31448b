-- ARGV: prefix, node, expiry in ms. Returns 1 when the node was known, 0 when it was forgotten
-- (reaped while it could not beat, or Redis lost its data) and must write its state again.
return beat(ARGV[2], ARGV[3])
