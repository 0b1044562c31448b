-- KEYS: members, users, node-members of the group. ARGV: address, user. Returns {changed, count}.
return add_member(ARGV[1], ARGV[2])
