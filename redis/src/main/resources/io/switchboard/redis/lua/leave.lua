-- ARGV: prefix, node, group, address, user. Returns {changed, count}.
local change = remove_member(ARGV[2], ARGV[3], ARGV[4])
if not change then return {0, user_count(ARGV[3], ARGV[5])} end
return {change[1], change[2]}
