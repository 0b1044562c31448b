-- KEYS: members, users, node-members of the group. ARGV: address, user. Returns {changed, count}.
local change = remove_member(ARGV[1])
if not change then return {0, user_count(ARGV[2])} end
return {change[1], change[2]}
