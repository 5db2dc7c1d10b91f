vcl 4.1;
#
# Varnish 7 in front of Facet: one cached object per representation of a public link card.
#
# Facet answers the public card GET /api/links/{code} with `Cache-Control: public, max-age=60`
# and `Vary: Accept, X-Client-Platform, Authorization`. Without help a shared cache keeps one
# object per *spelling* of those headers. This file rewrites them, before lookup, to the one
# media type the service would choose (DESIGN.md, "Negotiation rules"), so the cache keeps at
# most four variants per URL: summary, full, partner.v3 and "nothing acceptable" (406, never
# stored: the service sends it with `no-store`).
#
# The rules mirrored here live in src/http/negotiation/ (negotiate.ts, accept-ranges.ts,
# default-representation.ts); test/varnish/varnish.test.ts runs a corpus of Accept and
# X-Client-Platform values through real varnishd and that code and fails on any difference.
#
# Stock VCL and vmod std only. VCL has no loops, so at most 8 media ranges are read; longer or
# unusual headers (quoted strings, non-ASCII, numeric parameter names) go to the service
# uncached instead of being guessed at.

import std;

backend facet {
    .host = "127.0.0.1";
    .port = "3000";
}

sub vcl_recv {
    unset req.http.X-Facet-Variant;
    if (req.http.Authorization) {
        # Private resources, and a partner key's pinned default: never shared.
        return (pass);
    }
    # BEGIN facet-normalise
    if ((req.method == "GET" || req.method == "HEAD") && req.url ~ "^/api/links/[^/?]+/?(\?.*)?$") {
        # Facet neither reads nor sets cookies; a browser's cookie must not defeat the cache.
        unset req.http.Cookie;
        call facet_normalise;
        if (req.http.X-Facet-Variant == "pass") {
            return (pass);
        }
    }
    # END facet-normalise
    # The built-in vcl_recv follows: methods, Authorization, Cookie.
}

# BEGIN facet-normalise
# Sets req.http.Accept to the chosen vendor type (or application/x-facet-unacceptable), drops
# X-Client-Platform, and records the outcome in req.http.X-Facet-Variant ("pass" when the
# header is beyond what is read here). Registers are req.http.X-Facet-* headers, removed after.
sub facet_normalise {
    std.collect(req.http.Accept);
    std.collect(req.http.X-Client-Platform);
    # Rule 1: a missing or blank Accept is */*.
    if (!req.http.Accept || req.http.Accept ~ "^[ \t]*$") {
        set req.http.Accept = "*/*";
    }
    if (req.http.Accept ~ {"[^\x20-\x7e\t]|["]|;[ \t]*[0-9]+[ \t]*=|^.{1024}"} ||
        req.http.X-Client-Platform ~ "[^\x20-\x7e\t]") {
        set req.http.X-Facet-Variant = "pass";
        return;
    }
    set req.http.X-Facet-Rest = req.http.Accept;
    set req.http.X-Facet-N = "0";
    # Best q (thousandths, -1 = not named) and position of each vendor type.
    set req.http.X-Facet-QS = "-1";
    set req.http.X-Facet-OS = "0";
    set req.http.X-Facet-QF = "-1";
    set req.http.X-Facet-OF = "0";
    set req.http.X-Facet-QP = "-1";
    set req.http.X-Facet-OP = "0";
    # Most specific generic range seen (-1 = none) and its best q.
    set req.http.X-Facet-GS = "-1";
    set req.http.X-Facet-GQ = "0";
    call facet_range;
    call facet_range;
    call facet_range;
    call facet_range;
    call facet_range;
    call facet_range;
    call facet_range;
    call facet_range;
    if (req.http.X-Facet-Rest != "") {
        set req.http.X-Facet-Variant = "pass";
    } else {
        call facet_choose;
    }
    unset req.http.X-Facet-Rest;
    unset req.http.X-Facet-N;
    unset req.http.X-Facet-R;
    unset req.http.X-Facet-T;
    unset req.http.X-Facet-Q;
    unset req.http.X-Facet-QS;
    unset req.http.X-Facet-OS;
    unset req.http.X-Facet-QF;
    unset req.http.X-Facet-OF;
    unset req.http.X-Facet-QP;
    unset req.http.X-Facet-OP;
    unset req.http.X-Facet-GS;
    unset req.http.X-Facet-GQ;
    unset req.http.X-Facet-B;
    unset req.http.X-Facet-BQ;
    unset req.http.X-Facet-BO;
    unset req.http.X-Facet-D;
    unset req.http.X-Facet-AQ;
}

# Takes the next media range off X-Facet-Rest and records it (RFC 9110 §12.5.1).
sub facet_range {
    if (req.http.X-Facet-Rest == "") {
        return;
    }
    set req.http.X-Facet-R = regsub(req.http.X-Facet-Rest, "^([^,]*).*$", "\1");
    set req.http.X-Facet-Rest = regsub(req.http.X-Facet-Rest, "^[^,]*,?", "");
    set req.http.X-Facet-N = std.integer(req.http.X-Facet-N, 0) + 1;
    set req.http.X-Facet-T = std.tolower(regsub(req.http.X-Facet-R, "^[ \t]*([^;]*?)[ \t]*(;.*)?$", "\1"));
    if (req.http.X-Facet-T != "application/vnd.example.summary+json" &&
        req.http.X-Facet-T != "application/vnd.example.full+json" &&
        req.http.X-Facet-T != "application/vnd.example.partner.v3+json" &&
        req.http.X-Facet-T != "*/*" &&
        req.http.X-Facet-T != "application/*" &&
        req.http.X-Facet-T != "application/*+json" &&
        req.http.X-Facet-T != "application/json") {
        # Names no representation and stands for none: ignored.
        return;
    }
    # Before the weight only charset is tolerated (rule 1); a bad qvalue drops the range
    # (RFC 9110 §12.4.2); what follows the weight is an extension and is ignored.
    if (req.http.X-Facet-R !~ {"(?i)^[^;]*(;[ \t]*+(charset[ \t]*=[^;]*|[^;=]*))*(;[ \t]*+q[ \t]*=[ \t]*(0(\.[0-9]{0,3})?|1(\.0{0,3})?)[ \t]*(;.*)?)?$"}) {
        return;
    }
    set req.http.X-Facet-Q = "1000";
    if (req.http.X-Facet-R ~ {"(?i)^[^;]*(;[ \t]*+(charset[ \t]*=[^;]*|[^;=]*))*;[ \t]*+q[ \t]*="}) {
        set req.http.X-Facet-Q = regsub(req.http.X-Facet-R, {"(?i)^[^;]*(;[ \t]*+(charset[ \t]*=[^;]*|[^;=]*))*;[ \t]*+q[ \t]*=[ \t]*([0-9.]*).*$"}, "\3");
        if (req.http.X-Facet-Q ~ "^1") {
            set req.http.X-Facet-Q = "1000";
        } else {
            # 0, 0., 0.5, 0.25, 0.125 -> thousandths
            set req.http.X-Facet-Q = regsub(req.http.X-Facet-Q + "000", "^0\.?([0-9]{3}).*$", "\1");
        }
    }
    # For one vendor type the highest q counts, and on a tie the later range (negotiator's order).
    if (req.http.X-Facet-T == "application/vnd.example.summary+json") {
        if (std.integer(req.http.X-Facet-Q, 0) >= std.integer(req.http.X-Facet-QS, 0)) {
            set req.http.X-Facet-QS = req.http.X-Facet-Q;
            set req.http.X-Facet-OS = req.http.X-Facet-N;
        }
    } elsif (req.http.X-Facet-T == "application/vnd.example.full+json") {
        if (std.integer(req.http.X-Facet-Q, 0) >= std.integer(req.http.X-Facet-QF, 0)) {
            set req.http.X-Facet-QF = req.http.X-Facet-Q;
            set req.http.X-Facet-OF = req.http.X-Facet-N;
        }
    } elsif (req.http.X-Facet-T == "application/vnd.example.partner.v3+json") {
        if (std.integer(req.http.X-Facet-Q, 0) >= std.integer(req.http.X-Facet-QP, 0)) {
            set req.http.X-Facet-QP = req.http.X-Facet-Q;
            set req.http.X-Facet-OP = req.http.X-Facet-N;
        }
    } else {
        # Generic ranges: the most specific one present decides the default's q (rule 2).
        if (req.http.X-Facet-T == "*/*") {
            set req.http.X-Facet-T = "0";
        } elsif (req.http.X-Facet-T == "application/*") {
            set req.http.X-Facet-T = "1";
        } elsif (req.http.X-Facet-T == "application/*+json") {
            set req.http.X-Facet-T = "2";
        } else {
            set req.http.X-Facet-T = "3";
        }
        if (std.integer(req.http.X-Facet-T, 0) > std.integer(req.http.X-Facet-GS, 0)) {
            set req.http.X-Facet-GS = req.http.X-Facet-T;
            set req.http.X-Facet-GQ = req.http.X-Facet-Q;
        } elsif (req.http.X-Facet-T == req.http.X-Facet-GS &&
                 std.integer(req.http.X-Facet-Q, 0) > std.integer(req.http.X-Facet-GQ, 0)) {
            set req.http.X-Facet-GQ = req.http.X-Facet-Q;
        }
    }
}

# Rules 2-5: the default for generic ranges, then higher q, vendor over generic, header order.
sub facet_choose {
    # Anonymous requests only (Authorization passed above), so never the partner pin (rule 3).
    if (req.http.X-Client-Platform ~ "(?i)^[ \t]*(ios|android)[ \t]*$") {
        set req.http.X-Facet-D = "application/vnd.example.summary+json";
        set req.http.X-Facet-AQ = req.http.X-Facet-GQ;
        if (req.http.X-Facet-QS != "-1") {
            # Naming the default, even with q=0, takes it out of the generic ranges' hands.
            set req.http.X-Facet-AQ = "0";
        }
    } else {
        set req.http.X-Facet-D = "application/vnd.example.full+json";
        set req.http.X-Facet-AQ = req.http.X-Facet-GQ;
        if (req.http.X-Facet-QF != "-1") {
            set req.http.X-Facet-AQ = "0";
        }
    }
    set req.http.X-Facet-B = "application/x-facet-unacceptable";
    set req.http.X-Facet-BQ = "0";
    set req.http.X-Facet-BO = "99";
    if (std.integer(req.http.X-Facet-QS, 0) > 0) {
        set req.http.X-Facet-B = "application/vnd.example.summary+json";
        set req.http.X-Facet-BQ = req.http.X-Facet-QS;
        set req.http.X-Facet-BO = req.http.X-Facet-OS;
    }
    if (std.integer(req.http.X-Facet-QF, 0) > std.integer(req.http.X-Facet-BQ, 0) ||
        (std.integer(req.http.X-Facet-QF, 0) > 0 &&
         std.integer(req.http.X-Facet-QF, 0) == std.integer(req.http.X-Facet-BQ, 0) &&
         std.integer(req.http.X-Facet-OF, 0) < std.integer(req.http.X-Facet-BO, 0))) {
        set req.http.X-Facet-B = "application/vnd.example.full+json";
        set req.http.X-Facet-BQ = req.http.X-Facet-QF;
        set req.http.X-Facet-BO = req.http.X-Facet-OF;
    }
    if (std.integer(req.http.X-Facet-QP, 0) > std.integer(req.http.X-Facet-BQ, 0) ||
        (std.integer(req.http.X-Facet-QP, 0) > 0 &&
         std.integer(req.http.X-Facet-QP, 0) == std.integer(req.http.X-Facet-BQ, 0) &&
         std.integer(req.http.X-Facet-OP, 0) < std.integer(req.http.X-Facet-BO, 0))) {
        set req.http.X-Facet-B = "application/vnd.example.partner.v3+json";
        set req.http.X-Facet-BQ = req.http.X-Facet-QP;
    }
    # A vendor type beats a generic range at equal q (rule 4).
    if (std.integer(req.http.X-Facet-AQ, 0) > std.integer(req.http.X-Facet-BQ, 0)) {
        set req.http.X-Facet-B = req.http.X-Facet-D;
    }
    set req.http.Accept = req.http.X-Facet-B;
    set req.http.X-Facet-Variant = req.http.X-Facet-B;
    unset req.http.X-Client-Platform;
}
# END facet-normalise

sub vcl_backend_fetch {
    unset bereq.http.X-Facet-Variant;
}

sub vcl_deliver {
    # For tests and debugging: was this answered from the cache, and as which variant?
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    if (req.http.X-Facet-Variant) {
        set resp.http.X-Facet-Variant = req.http.X-Facet-Variant;
    }
}
