-- ARGV: prefix, node, group, address, user. Returns {changed, count}.
return add_member(ARGV[2], ARGV[3], ARGV[4], ARGV[5])
