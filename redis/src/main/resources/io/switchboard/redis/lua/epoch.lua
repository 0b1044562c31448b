-- ARGV: prefix, fresh epoch. Returns the history's epoch, adopting the fresh one on first use.
return epoch()
