#!/bin/sh
# Prints a VCL file with its "# BEGIN facet-cors-origins" block keeping exactly the origins of a
# CORS_ORIGINS value (the service's comma-separated list), one exact comparison each.
#
#   deploy/varnish/set-cors-origins.sh "$CORS_ORIGINS" > /etc/varnish/facet.vcl
#   deploy/varnish/set-cors-origins.sh path/to/facet.vcl "$CORS_ORIGINS" > /etc/varnish/facet.vcl
#
# With one argument it reads default.vcl next to this script. Run it whenever CORS_ORIGINS
# changes, then load the result (varnishadm vcl.load / vcl.use, or restart varnishd).
# test/varnish builds its VCL with this script too.
set -eu

if [ $# -eq 1 ]; then
  vcl=$(dirname "$0")/default.vcl
  origins=$1
elif [ $# -eq 2 ]; then
  vcl=$1
  origins=$2
else
  echo "usage: $0 [<vcl-file>] \"<CORS_ORIGINS>\"   (the VCL defaults to $(dirname "$0")/default.vcl)" >&2
  exit 2
fi
if [ ! -r "$vcl" ]; then
  echo "$0: cannot read the VCL file $vcl" >&2
  exit 2
fi

keep=''
old_ifs=$IFS
IFS=','
for origin in $origins; do
  IFS=$old_ifs
  origin=$(printf '%s' "$origin" | tr -d ' \t')
  [ -n "$origin" ] || continue
  # What the service accepts (src/config.ts: a serialised origin), and nothing that could end a VCL string.
  if ! printf '%s\n' "$origin" | grep -Eqx 'https?://([a-z0-9.-]+|\[[0-9a-f:.]+\])(:[0-9]{1,5})?'; then
    echo "$0: not an origin as CORS_ORIGINS takes it (scheme://host[:port], lower case): $origin" >&2
    exit 1
  fi
  keep="${keep}    if (req.http.Origin == \"${origin}\") {
        return;
    }
"
done
IFS=$old_ifs

KEEP=$keep awk '
  /^[ \t]*# BEGIN facet-cors-origins$/ { inblock = 1; seen = 1 }
  /^[ \t]*# END facet-cors-origins$/ { inblock = 0 }
  inblock && /^sub facet_cors_origin \{$/ {
    print; printf "%s", ENVIRON["KEEP"]; print "    unset req.http.Origin;"; print "}"
    insub = 1; subs += 1; next
  }
  insub { if ($0 ~ /^\}$/) insub = 0; next }
  { print }
  END {
    if (!seen || subs != 1) { print "no \"# BEGIN facet-cors-origins\" block with one sub facet_cors_origin" > "/dev/stderr"; exit 1 }
  }
' "$vcl"
