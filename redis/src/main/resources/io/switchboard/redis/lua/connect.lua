-- ARGV: prefix, node, address, user.
add_session(ARGV[2], ARGV[3], ARGV[4])
return 1
