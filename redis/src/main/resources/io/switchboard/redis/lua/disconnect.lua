-- ARGV: prefix, node, address.
remove_session(ARGV[2], ARGV[3])
return 1
