# usage: zsh -f drive.zsh SCRIPT OUTFILE 'line to complete'...
# Types each line into one interactive zsh followed by TAB; every match given to compadd is appended to OUTFILE under
# a "=== line" heading. Each step waits until the shell has finished the one before (zle drops early type-ahead).
zmodload zsh/zpty
script=$1 out=$2; shift 2
n=0
await() { for i in {1..400}; do grep -qx -- "$1" $out 2>/dev/null && return 0; sleep 0.05; done; print -u2 "timeout waiting for $1"; exit 1; }
zpty z zsh -f -i
zpty -w z "PS1='%% '; autoload -Uz compinit; compinit -u -D; source ${(q)script}"
zpty -w z 'compadd() { if (( ${@[(I)-[OAD]*]} )); then builtin compadd "$@"; return; fi; local -a __m; builtin compadd -O __m "$@"; print -rl -- $__m >> '${(q)out}'; builtin compadd "$@"; }'
for line in "$@"; do
  (( n++ ))
  zpty -w z "print -r -- '=== $line' >> ${(q)out}"
  await "=== $line"
  zpty -w -n z "$line"$'\t'
  zpty -w z $'\C-e\C-u'"print -r -- '--- $n' >> ${(q)out}"
  await "--- $n"
done
zpty -d z
