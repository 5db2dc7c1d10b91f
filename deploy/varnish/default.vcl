vcl 4.1;
#
# Varnish 7 in front of Facet: one cached object per representation of a public link card,
# spread over several Facet instances that share one PostgreSQL database.
#
# Facet answers the public card GET /api/links/{code} with `Cache-Control: public, max-age=60`
# and `Vary: Accept, X-Client-Platform, Authorization`. Without help a shared cache keeps one
# object per *spelling* of those headers. This file rewrites them, before lookup, to the one
# media type the service would choose (docs/negotiation.md, "The rules"), so the cache keeps one
# variant per representation of the card (the offers listed in the generated block below), one
# HTML view per default (rule 7: a browser's Accept becomes `text/html`, and X-Client-Platform one
# platform that stands for the view's default), plus "nothing acceptable" (406, never stored: the
# service sends it with `no-store`).
#
# The rules mirrored here live in src/http/answer/negotiation/ (negotiate.ts, accept-ranges.ts,
# default-representation.ts); test/varnish/ runs a corpus of Accept and X-Client-Platform
# values, derived from the registry, through real varnishd and that code and fails on any
# difference.
#
# Stock VCL and the vmods shipped with Varnish (std, directors) only. VCL has no loops, so at
# most 8 media ranges are read; longer or unusual headers (quoted strings, non-ASCII, numeric
# parameter names) go to the service uncached instead of being guessed at.
#
# Compression and CORS (issue 14). Facet compresses its own answers (br or gzip, chosen by
# Accept-Encoding as src/http/answer/encoding/accept-encoding.ts chooseEncoding() does) and gives each
# coding its own strong ETag ("<tag>-br", "<tag>-gz"); with CORS_ORIGINS set, every /api answer
# also varies on Origin. For GET and HEAD, facet_encoding rewrites Accept-Encoding to exactly
# `br`, `gzip` or nothing (identity), and facet_cors_origin keeps Origin only when it is one of
# CORS_ORIGINS, so a representation is stored at most 3 x (allowed origins + 1) times.
#
# Varnish's defaults, http_gzip_support=on included, are fine (off works too). With it on,
# Varnish rewrites req.http.Accept-Encoding *after* vcl_recv to `gzip` or nothing, asks the
# backend for gzip, ignores `Vary: Accept-Encoding` when it looks up, and gunzips a gzip object
# (weakening its ETag) for a client without gzip. So this file keeps the coding it chose itself:
# X-Facet-Coding is hashed (vcl_hash: one object per coding, whatever Accept-Encoding has become),
# restored into bereq.http.Accept-Encoding (vcl_backend_fetch: Facet is asked for that coding),
# and Facet's body is stored and delivered as sent (vcl_backend_response: no gzip filters, so
# Varnish never marks it gzipped and never gunzips it behind Facet's back).
#
# The subs that know the media types (between `# BEGIN facet-offers` and `# END facet-offers`)
# are generated from the registry by src/cli/edge-vcl.ts; test/cli/edge-vcl.test.ts fails when
# this file differs from what it writes.
#
# Instances (deploy/README.md): one backend per Facet process, all probed on /readyz. Requests
# that name a link (/api/links/{code}: card reads and the owner's edits) go to the instance the
# code hashes to, so a card fetched right after an edit comes from the instance that made it
# (its own write refreshed its caches at once; the others learn of it within 250 ms). Every
# other request goes round-robin. A sick instance is skipped by both directors; a GET or HEAD
# whose instance fails is retried once on the next one.

import std;
import directors;

# A Facet instance is ready when /readyz answers 200 (it reaches its store). Sick after 2 of the
# last 3 probes failed (about 2 s), healthy again after 2 of 3 succeeded.
probe facet_ready {
    .request = "GET /readyz HTTP/1.1"
               "Host: facet-probe"
               "User-Agent: varnish-probe"
               "Connection: close";
    .expected_response = 200;
    .interval = 1s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
}

# BEGIN facet-backends
# One block per instance (deploy/systemd/facet@.service: the instance name is the port).
backend facet_3000 {
    .host = "127.0.0.1";
    .port = "3000";
    .probe = facet_ready;
    .connect_timeout = 1s;
    .first_byte_timeout = 15s;
}

backend facet_3001 {
    .host = "127.0.0.1";
    .port = "3001";
    .probe = facet_ready;
    .connect_timeout = 1s;
    .first_byte_timeout = 15s;
}
# END facet-backends

sub vcl_init {
    new facet_rr = directors.round_robin();
    new facet_by_code = directors.shard();
    # BEGIN facet-members
    facet_rr.add_backend(facet_3000);
    facet_rr.add_backend(facet_3001);
    facet_by_code.add_backend(facet_3000);
    facet_by_code.add_backend(facet_3001);
    # END facet-members
    facet_by_code.reconfigure();
}

sub vcl_recv {
    unset req.http.X-Facet-Variant;
    unset req.http.X-Facet-Code;
    unset req.http.X-Facet-Coding;
    set req.backend_hint = facet_rr.backend();
    if (req.url ~ "^/api/links/[A-Za-z0-9_-]{3,64}/?(\?.*)?$") {
        # Remembered for vcl_deliver: an edit bans the cached variants of this code.
        set req.http.X-Facet-Code = regsub(req.url, "^/api/links/([^/?]+).*$", "\1");
    }
    if (req.method == "OPTIONS") {
        # A CORS preflight (Fetch §3.2.3): the service answers it per Origin; never stored.
        return (pass);
    }
    # BEGIN facet-normalise
    if (req.method == "GET" || req.method == "HEAD") {
        call facet_encoding;
        call facet_origin;
    }
    # END facet-normalise
    if (req.url ~ "^/(healthz|readyz|metrics)/?(\?.*)?$") {
        # They describe one instance, and the service sends no Cache-Control on the first two:
        # the built-in VCL would keep an old "ready" for two minutes.
        return (pass);
    }
    if (req.http.Authorization) {
        # Private resources, and a partner key's pinned default: never shared.
        return (pass);
    }
    # BEGIN facet-normalise
    if ((req.method == "GET" || req.method == "HEAD") && req.url ~ "^/api/links/[^/?]+/?(\?.*)?$") {
        # The public card ignores the session cookie (only private /api routes read it): a
        # signed-in browser's cookie must not defeat the cache.
        unset req.http.Cookie;
        call facet_normalise;
        if (req.http.X-Facet-Variant == "pass") {
            return (pass);
        }
    }
    # END facet-normalise
    if ((req.method == "GET" || req.method == "HEAD") && req.url ~ "^/[A-Za-z0-9_-]+/?(\?.*)?$") {
        # A short-link visit ignores cookies too (it is answered private, no-store: counted, never stored).
        unset req.http.Cookie;
    }
    # The built-in vcl_recv follows: methods, Authorization, Cookie (a signed-in browser's
    # requests to private /api routes carry the session cookie: passed, never shared).
}

# BEGIN facet-normalise
# BEGIN facet-cors-origins
# The origins of the service's CORS_ORIGINS, one exact comparison each (deploy/README.md: keep
# the two in step; deploy/varnish/set-cors-origins.sh writes this block from the variable). Another
# Origin is removed: the service grants it nothing, so one object serves it and no-Origin alike.
sub facet_cors_origin {
    unset req.http.Origin;
}
# END facet-cors-origins

# Origin, joined first so that a second Origin header cannot ride along with an allowed one.
sub facet_origin {
    std.collect(req.http.Origin);
    if (req.http.Origin) {
        call facet_cors_origin;
    }
}

# Rewrites Accept-Encoding to the coding chooseEncoding() picks: `br`, `gzip`, or unset for
# identity (RFC 9110 §12.5.3): members split at commas and semicolons as it splits them; for each
# of br, gzip (x-gzip too), identity and `*` the first member with a well-formed weight counts,
# q=0 refuses; `*` covers the unnamed, unnamed identity ranks below any named coding, br beats
# gzip beats identity at equal q. Weights are in ten-thousandths (1 = unnamed identity). A header
# over 1 KB means identity there; one with bytes outside printable ASCII and tab is treated so
# here (identity is always an acceptable answer) rather than guess at JavaScript's trim().
# Records the outcome in req.http.X-Facet-Coding (br, gzip or identity). Each regsub below
# matches the first member naming its coding with a well-formed weight (group 1: its q, empty
# without one) and leaves the header unchanged when there is none.
sub facet_encoding {
    std.collect(req.http.Accept-Encoding);
    set req.http.X-Facet-Coding = "identity";
    if (!req.http.Accept-Encoding || req.http.Accept-Encoding ~ "[^\x20-\x7e\t]" || req.http.Accept-Encoding ~ "^.{1025}") {
        unset req.http.Accept-Encoding;
        return;
    }
    set req.http.X-Facet-EB = regsub(req.http.Accept-Encoding, {"(?i)^(?:|.*?,)[ \t]*br[ \t]*(?:(?:;[^,;]*)*;[ \t]*q[ \t]*=[ \t]*(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)[ \t]*(?:=[^,;]*)?)?(?:;(?![ \t]*q[ \t]*(?:[=;,]|$))[^,;]*)*(?:,.*)?$"}, "q\1");
    call facet_weight_b;
    set req.http.X-Facet-EG = regsub(req.http.Accept-Encoding, {"(?i)^(?:|.*?,)[ \t]*(?:x-)?gzip[ \t]*(?:(?:;[^,;]*)*;[ \t]*q[ \t]*=[ \t]*(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)[ \t]*(?:=[^,;]*)?)?(?:;(?![ \t]*q[ \t]*(?:[=;,]|$))[^,;]*)*(?:,.*)?$"}, "q\1");
    call facet_weight_g;
    set req.http.X-Facet-EI = regsub(req.http.Accept-Encoding, {"(?i)^(?:|.*?,)[ \t]*identity[ \t]*(?:(?:;[^,;]*)*;[ \t]*q[ \t]*=[ \t]*(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)[ \t]*(?:=[^,;]*)?)?(?:;(?![ \t]*q[ \t]*(?:[=;,]|$))[^,;]*)*(?:,.*)?$"}, "q\1");
    call facet_weight_i;
    set req.http.X-Facet-ES = regsub(req.http.Accept-Encoding, {"(?i)^(?:|.*?,)[ \t]*\*[ \t]*(?:(?:;[^,;]*)*;[ \t]*q[ \t]*=[ \t]*(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)[ \t]*(?:=[^,;]*)?)?(?:;(?![ \t]*q[ \t]*(?:[=;,]|$))[^,;]*)*(?:,.*)?$"}, "q\1");
    call facet_weight_s;
    # Unnamed codings take the weight of `*`; unnamed identity, without `*`, the least there is.
    if (req.http.X-Facet-ES != "-1") {
        if (req.http.X-Facet-EB == "-1") { set req.http.X-Facet-EB = req.http.X-Facet-ES; }
        if (req.http.X-Facet-EG == "-1") { set req.http.X-Facet-EG = req.http.X-Facet-ES; }
        if (req.http.X-Facet-EI == "-1") { set req.http.X-Facet-EI = req.http.X-Facet-ES; }
    } elsif (req.http.X-Facet-EI == "-1") {
        set req.http.X-Facet-EI = "1";
    }
    set req.http.X-Facet-EQ = "0";
    if (std.integer(req.http.X-Facet-EB, 0) > std.integer(req.http.X-Facet-EQ, 0)) {
        set req.http.X-Facet-Coding = "br";
        set req.http.X-Facet-EQ = req.http.X-Facet-EB;
    }
    if (std.integer(req.http.X-Facet-EG, 0) > std.integer(req.http.X-Facet-EQ, 0)) {
        set req.http.X-Facet-Coding = "gzip";
        set req.http.X-Facet-EQ = req.http.X-Facet-EG;
    }
    if (std.integer(req.http.X-Facet-EI, 0) > std.integer(req.http.X-Facet-EQ, 0)) {
        set req.http.X-Facet-Coding = "identity";
    }
    if (req.http.X-Facet-Coding == "identity") {
        unset req.http.Accept-Encoding;
    } else {
        set req.http.Accept-Encoding = req.http.X-Facet-Coding;
    }
    unset req.http.X-Facet-EB;
    unset req.http.X-Facet-EG;
    unset req.http.X-Facet-EI;
    unset req.http.X-Facet-ES;
    unset req.http.X-Facet-EQ;
}

# X-Facet-EB: the header unchanged (not named: -1), "q" (no weight: 1) or "q<qvalue>" -> ten-thousandths.
sub facet_weight_b {
    if (req.http.X-Facet-EB == req.http.Accept-Encoding) {
        set req.http.X-Facet-EB = "-1";
    } elsif (req.http.X-Facet-EB ~ "^q(1|$)") {
        set req.http.X-Facet-EB = "10000";
    } else {
        set req.http.X-Facet-EB = std.integer(regsub(req.http.X-Facet-EB + "000", "^q0\.?([0-9]{3}).*$", "\1"), 0) * 10;
    }
}

# X-Facet-EG: the header unchanged (not named: -1), "q" (no weight: 1) or "q<qvalue>" -> ten-thousandths.
sub facet_weight_g {
    if (req.http.X-Facet-EG == req.http.Accept-Encoding) {
        set req.http.X-Facet-EG = "-1";
    } elsif (req.http.X-Facet-EG ~ "^q(1|$)") {
        set req.http.X-Facet-EG = "10000";
    } else {
        set req.http.X-Facet-EG = std.integer(regsub(req.http.X-Facet-EG + "000", "^q0\.?([0-9]{3}).*$", "\1"), 0) * 10;
    }
}

# X-Facet-EI: the header unchanged (not named: -1), "q" (no weight: 1) or "q<qvalue>" -> ten-thousandths.
sub facet_weight_i {
    if (req.http.X-Facet-EI == req.http.Accept-Encoding) {
        set req.http.X-Facet-EI = "-1";
    } elsif (req.http.X-Facet-EI ~ "^q(1|$)") {
        set req.http.X-Facet-EI = "10000";
    } else {
        set req.http.X-Facet-EI = std.integer(regsub(req.http.X-Facet-EI + "000", "^q0\.?([0-9]{3}).*$", "\1"), 0) * 10;
    }
}

# X-Facet-ES: the header unchanged (not named: -1), "q" (no weight: 1) or "q<qvalue>" -> ten-thousandths.
sub facet_weight_s {
    if (req.http.X-Facet-ES == req.http.Accept-Encoding) {
        set req.http.X-Facet-ES = "-1";
    } elsif (req.http.X-Facet-ES ~ "^q(1|$)") {
        set req.http.X-Facet-ES = "10000";
    } else {
        set req.http.X-Facet-ES = std.integer(regsub(req.http.X-Facet-ES + "000", "^q0\.?([0-9]{3}).*$", "\1"), 0) * 10;
    }
}
# END facet-normalise

# BEGIN facet-normalise
# Sets req.http.Accept to the chosen vendor type (or application/x-facet-unacceptable) and drops
# X-Client-Platform; for the HTML view (rule 7) Accept becomes the view's type and
# X-Client-Platform one platform whose default the view shows (none for the fallback). Records
# the outcome in req.http.X-Facet-Variant: the type, "<view type>;default=<type>" for the view,
# "pass" when the header is beyond what is read here. Registers are req.http.X-Facet-* headers,
# removed after.
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
    call facet_offers_init;
    # Most specific generic range seen (-1 = none) and its best q.
    set req.http.X-Facet-GS = "-1";
    set req.http.X-Facet-GQ = "0";
    # The same for the ranges that name the HTML view (rule 7).
    set req.http.X-Facet-HS = "-1";
    set req.http.X-Facet-HQ = "0";
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
        set req.http.Accept = req.http.X-Facet-B;
        if (req.http.X-Facet-V == "1") {
            # The view shows the default, which the service reads from X-Client-Platform: one
            # spelling of it per default, so every browser shares one object per default.
            set req.http.X-Facet-Variant = req.http.X-Facet-B + ";default=" + req.http.X-Facet-D;
            if (req.http.X-Facet-HP == "") {
                unset req.http.X-Client-Platform;
            } else {
                set req.http.X-Client-Platform = req.http.X-Facet-HP;
            }
        } else {
            set req.http.X-Facet-Variant = req.http.X-Facet-B;
            unset req.http.X-Client-Platform;
        }
    }
    unset req.http.X-Facet-Rest;
    unset req.http.X-Facet-N;
    unset req.http.X-Facet-R;
    unset req.http.X-Facet-T;
    unset req.http.X-Facet-Q;
    unset req.http.X-Facet-K;
    unset req.http.X-Facet-GS;
    unset req.http.X-Facet-GQ;
    unset req.http.X-Facet-HS;
    unset req.http.X-Facet-HQ;
    unset req.http.X-Facet-HP;
    unset req.http.X-Facet-V;
    unset req.http.X-Facet-JQ;
    unset req.http.X-Facet-B;
    unset req.http.X-Facet-BQ;
    unset req.http.X-Facet-BO;
    unset req.http.X-Facet-D;
    unset req.http.X-Facet-AQ;
    call facet_offers_unset;
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
    set req.http.X-Facet-K = "";
    call facet_offer_of_type;
    if (req.http.X-Facet-K == "") {
        # Names no representation, stands for none and names no view: ignored.
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
    if (req.http.X-Facet-K ~ "^[0-9]") {
        call facet_offer_record;
        return;
    }
    set req.http.X-Facet-T = regsub(req.http.X-Facet-K, "^[gh]", "");
    if (req.http.X-Facet-K ~ "^g") {
        # Generic ranges (g0-g3 by specificity): the most specific one present decides the default's q (rule 2).
        if (std.integer(req.http.X-Facet-T, 0) > std.integer(req.http.X-Facet-GS, 0)) {
            set req.http.X-Facet-GS = req.http.X-Facet-T;
            set req.http.X-Facet-GQ = req.http.X-Facet-Q;
        } elsif (req.http.X-Facet-T == req.http.X-Facet-GS &&
                 std.integer(req.http.X-Facet-Q, 0) > std.integer(req.http.X-Facet-GQ, 0)) {
            set req.http.X-Facet-GQ = req.http.X-Facet-Q;
        }
    } else {
        # The view's ranges (h0 text/*, h1 text/html): the more specific one present decides its
        # q, and its highest q when named twice (rule 7); q=0 there means "not the view".
        if (std.integer(req.http.X-Facet-T, 0) > std.integer(req.http.X-Facet-HS, 0)) {
            set req.http.X-Facet-HS = req.http.X-Facet-T;
            set req.http.X-Facet-HQ = req.http.X-Facet-Q;
        } elsif (req.http.X-Facet-T == req.http.X-Facet-HS &&
                 std.integer(req.http.X-Facet-Q, 0) > std.integer(req.http.X-Facet-HQ, 0)) {
            set req.http.X-Facet-HQ = req.http.X-Facet-Q;
        }
    }
}

# Rule 7, after rules 1-5 chose X-Facet-B: X-Facet-V is "1" when the HTML view of the default
# (X-Facet-D) answers instead. The JSON outcome's q (X-Facet-JQ) is the default's generic q
# (X-Facet-AQ) when generic ranges chose it, else the chosen vendor type's best q (X-Facet-BQ, 0
# for a 406). The view wins at a higher q, and at an equal one when the JSON came only from `*/*`
# or `application/*` (GS 0 or 1): `application/json`, `application/*+json` and a named vendor
# type keep a tie.
sub facet_view {
    set req.http.X-Facet-V = "0";
    if (req.http.X-Facet-HP == "-" || std.integer(req.http.X-Facet-HQ, 0) <= 0) {
        return;
    }
    set req.http.X-Facet-JQ = req.http.X-Facet-BQ;
    if (std.integer(req.http.X-Facet-AQ, 0) > std.integer(req.http.X-Facet-BQ, 0)) {
        set req.http.X-Facet-JQ = req.http.X-Facet-AQ;
        if (std.integer(req.http.X-Facet-GS, 0) <= 1 &&
            std.integer(req.http.X-Facet-HQ, 0) == std.integer(req.http.X-Facet-JQ, 0)) {
            set req.http.X-Facet-V = "1";
        }
    }
    if (std.integer(req.http.X-Facet-HQ, 0) > std.integer(req.http.X-Facet-JQ, 0)) {
        set req.http.X-Facet-V = "1";
    }
}

# BEGIN facet-offers
# Generated by src/cli/edge-vcl.ts from representations/registry.ts (the link card's offers) and
# defaultRepresentation(): do not edit. After changing either, run
# `npm run build && node dist/src/cli/edge-vcl.js`. Offer <n> keeps its best q in X-Facet-Q<n>
# (thousandths, -1 = not named) and its position in Accept in X-Facet-O<n>:
#   0 application/vnd.example.full+json
#   1 application/vnd.example.summary+json
#   2 application/vnd.example.partner.v3+json
#   3 application/vnd.example.partner.v4+json
sub facet_offers_init {
    set req.http.X-Facet-Q0 = "-1";
    set req.http.X-Facet-O0 = "0";
    set req.http.X-Facet-Q1 = "-1";
    set req.http.X-Facet-O1 = "0";
    set req.http.X-Facet-Q2 = "-1";
    set req.http.X-Facet-O2 = "0";
    set req.http.X-Facet-Q3 = "-1";
    set req.http.X-Facet-O3 = "0";
}

# X-Facet-K: the offer X-Facet-T names (its <n>), g<s> for a generic range and h<s> for one
# naming the HTML view (<s>: its specificity), or left empty.
sub facet_offer_of_type {
    if (req.http.X-Facet-T == "application/vnd.example.full+json") {
        set req.http.X-Facet-K = "0";
    } elsif (req.http.X-Facet-T == "application/vnd.example.summary+json") {
        set req.http.X-Facet-K = "1";
    } elsif (req.http.X-Facet-T == "application/vnd.example.partner.v3+json") {
        set req.http.X-Facet-K = "2";
    } elsif (req.http.X-Facet-T == "application/vnd.example.partner.v4+json") {
        set req.http.X-Facet-K = "3";
    } elsif (req.http.X-Facet-T == "*/*") {
        set req.http.X-Facet-K = "g0";
    } elsif (req.http.X-Facet-T == "application/*") {
        set req.http.X-Facet-K = "g1";
    } elsif (req.http.X-Facet-T == "application/*+json") {
        set req.http.X-Facet-K = "g2";
    } elsif (req.http.X-Facet-T == "application/json") {
        set req.http.X-Facet-K = "g3";
    } elsif (req.http.X-Facet-T == "text/*") {
        set req.http.X-Facet-K = "h0";
    } elsif (req.http.X-Facet-T == "text/html") {
        set req.http.X-Facet-K = "h1";
    }
}

# For one vendor type the highest q counts, and on a tie the later range (negotiator's order).
sub facet_offer_record {
    if (req.http.X-Facet-K == "0") {
        if (std.integer(req.http.X-Facet-Q, 0) >= std.integer(req.http.X-Facet-Q0, 0)) {
            set req.http.X-Facet-Q0 = req.http.X-Facet-Q;
            set req.http.X-Facet-O0 = req.http.X-Facet-N;
        }
    } elsif (req.http.X-Facet-K == "1") {
        if (std.integer(req.http.X-Facet-Q, 0) >= std.integer(req.http.X-Facet-Q1, 0)) {
            set req.http.X-Facet-Q1 = req.http.X-Facet-Q;
            set req.http.X-Facet-O1 = req.http.X-Facet-N;
        }
    } elsif (req.http.X-Facet-K == "2") {
        if (std.integer(req.http.X-Facet-Q, 0) >= std.integer(req.http.X-Facet-Q2, 0)) {
            set req.http.X-Facet-Q2 = req.http.X-Facet-Q;
            set req.http.X-Facet-O2 = req.http.X-Facet-N;
        }
    } elsif (req.http.X-Facet-K == "3") {
        if (std.integer(req.http.X-Facet-Q, 0) >= std.integer(req.http.X-Facet-Q3, 0)) {
            set req.http.X-Facet-Q3 = req.http.X-Facet-Q;
            set req.http.X-Facet-O3 = req.http.X-Facet-N;
        }
    }
}

# Rules 2-5: the default for generic ranges, then higher q, vendor over generic, header order;
# then rule 7, the HTML view of the default (facet_view). X-Facet-HP: the X-Client-Platform that
# asks the service for this default ("" none, "-" no view: the default is not offered).
# Anonymous requests only (Authorization is passed), so never a partner pin (rule 3).
sub facet_choose {
    if (req.http.X-Client-Platform ~ "(?i)^[ \t]*(ios|android)[ \t]*$") {
        set req.http.X-Facet-D = "application/vnd.example.summary+json";
        set req.http.X-Facet-AQ = req.http.X-Facet-GQ;
        if (req.http.X-Facet-Q1 != "-1") {
            set req.http.X-Facet-AQ = "0";
        }
        set req.http.X-Facet-HP = "ios";
    } else {
        set req.http.X-Facet-D = "application/vnd.example.full+json";
        set req.http.X-Facet-AQ = req.http.X-Facet-GQ;
        if (req.http.X-Facet-Q0 != "-1") {
            set req.http.X-Facet-AQ = "0";
        }
        set req.http.X-Facet-HP = "";
    }
    set req.http.X-Facet-B = "application/x-facet-unacceptable";
    set req.http.X-Facet-BQ = "0";
    set req.http.X-Facet-BO = "99";
    if (std.integer(req.http.X-Facet-Q0, 0) > std.integer(req.http.X-Facet-BQ, 0) ||
        (std.integer(req.http.X-Facet-Q0, 0) > 0 &&
         std.integer(req.http.X-Facet-Q0, 0) == std.integer(req.http.X-Facet-BQ, 0) &&
         std.integer(req.http.X-Facet-O0, 0) < std.integer(req.http.X-Facet-BO, 0))) {
        set req.http.X-Facet-B = "application/vnd.example.full+json";
        set req.http.X-Facet-BQ = req.http.X-Facet-Q0;
        set req.http.X-Facet-BO = req.http.X-Facet-O0;
    }
    if (std.integer(req.http.X-Facet-Q1, 0) > std.integer(req.http.X-Facet-BQ, 0) ||
        (std.integer(req.http.X-Facet-Q1, 0) > 0 &&
         std.integer(req.http.X-Facet-Q1, 0) == std.integer(req.http.X-Facet-BQ, 0) &&
         std.integer(req.http.X-Facet-O1, 0) < std.integer(req.http.X-Facet-BO, 0))) {
        set req.http.X-Facet-B = "application/vnd.example.summary+json";
        set req.http.X-Facet-BQ = req.http.X-Facet-Q1;
        set req.http.X-Facet-BO = req.http.X-Facet-O1;
    }
    if (std.integer(req.http.X-Facet-Q2, 0) > std.integer(req.http.X-Facet-BQ, 0) ||
        (std.integer(req.http.X-Facet-Q2, 0) > 0 &&
         std.integer(req.http.X-Facet-Q2, 0) == std.integer(req.http.X-Facet-BQ, 0) &&
         std.integer(req.http.X-Facet-O2, 0) < std.integer(req.http.X-Facet-BO, 0))) {
        set req.http.X-Facet-B = "application/vnd.example.partner.v3+json";
        set req.http.X-Facet-BQ = req.http.X-Facet-Q2;
        set req.http.X-Facet-BO = req.http.X-Facet-O2;
    }
    if (std.integer(req.http.X-Facet-Q3, 0) > std.integer(req.http.X-Facet-BQ, 0) ||
        (std.integer(req.http.X-Facet-Q3, 0) > 0 &&
         std.integer(req.http.X-Facet-Q3, 0) == std.integer(req.http.X-Facet-BQ, 0) &&
         std.integer(req.http.X-Facet-O3, 0) < std.integer(req.http.X-Facet-BO, 0))) {
        set req.http.X-Facet-B = "application/vnd.example.partner.v4+json";
        set req.http.X-Facet-BQ = req.http.X-Facet-Q3;
        set req.http.X-Facet-BO = req.http.X-Facet-O3;
    }
    # A vendor type beats a generic range at equal q (rule 4).
    if (std.integer(req.http.X-Facet-AQ, 0) > std.integer(req.http.X-Facet-BQ, 0)) {
        set req.http.X-Facet-B = req.http.X-Facet-D;
    }
    call facet_view;
    if (req.http.X-Facet-V == "1") {
        set req.http.X-Facet-B = "text/html";
    }
}

sub facet_offers_unset {
    unset req.http.X-Facet-Q0;
    unset req.http.X-Facet-O0;
    unset req.http.X-Facet-Q1;
    unset req.http.X-Facet-O1;
    unset req.http.X-Facet-Q2;
    unset req.http.X-Facet-O2;
    unset req.http.X-Facet-Q3;
    unset req.http.X-Facet-O3;
}
# END facet-offers
# END facet-normalise

# BEGIN facet-normalise
# One object per coding chosen in vcl_recv. With http_gzip_support=on (the default) Varnish has
# by now rewritten Accept-Encoding to `gzip` or nothing and ignores `Vary: Accept-Encoding` when
# it looks up: without this, a br client would be served the identity object and the reverse.
sub vcl_hash {
    if (req.http.X-Facet-Coding) {
        hash_data(req.http.X-Facet-Coding);
    }
    # The built-in vcl_hash follows: URL and Host.
}
# END facet-normalise

sub vcl_backend_fetch {
    unset bereq.http.X-Facet-Variant;
    unset bereq.http.X-Facet-Code;
    # BEGIN facet-normalise
    # Facet is asked for the coding chosen in vcl_recv, not the `gzip` Varnish asks for a lookup
    # when http_gzip_support=on.
    if (bereq.http.X-Facet-Coding == "identity") {
        unset bereq.http.Accept-Encoding;
    } elsif (bereq.http.X-Facet-Coding) {
        set bereq.http.Accept-Encoding = bereq.http.X-Facet-Coding;
    }
    # END facet-normalise
    unset bereq.http.X-Facet-Coding;
    if (bereq.url ~ "^/api/links/[A-Za-z0-9_-]{3,64}/?(\?.*)?$") {
        # Card reads and edits of one code meet on one instance; on a retry, its next alternative.
        set bereq.backend = facet_by_code.backend(by=KEY,
            key=facet_by_code.key(regsub(bereq.url, "^/api/links/([^/?]+).*$", "\1")),
            alt=bereq.retries);
    } else {
        # Round-robin: a retry takes the next instance in turn.
        set bereq.backend = facet_rr.backend();
    }
}

sub vcl_backend_response {
    # BEGIN facet-normalise
    # Facet's body is stored and delivered as Facet sent it, in the coding its ETag names. No
    # filters: with http_gzip_support=on Varnish would test a gzip body (testgunzip), mark the
    # object gzipped, and gunzip it with a weakened ETag for a client without gzip.
    set beresp.do_gzip = false;
    set beresp.do_gunzip = false;
    set beresp.filters = "";
    # END facet-normalise
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(?i)(private|no-store)") {
        # A sign-in's answer (Set-Cookie) or anything about one caller is never stored, whatever
        # vcl_recv decided (the built-in vcl_backend_response says the same; this does not rely on it).
        set beresp.uncacheable = true;
    }
    # Marks every stored variant of a card with its code, so that an edit can ban them all.
    if (bereq.url ~ "^/api/links/[A-Za-z0-9_-]{3,64}/?(\?.*)?$") {
        set beresp.http.X-Facet-Code = regsub(bereq.url, "^/api/links/([^/?]+).*$", "\1");
    }
    # For tests and debugging: which instance produced this answer.
    set beresp.http.X-Facet-Backend = beresp.backend.name;
}

sub vcl_backend_error {
    # Idempotent requests get one more try on another instance before the client sees an error.
    if (bereq.retries < 1 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        return (retry);
    }
    # Every instance is sick or failed: answer as Facet does when its store is down (RFC 9457).
    set beresp.status = 503;
    set beresp.http.Content-Type = "application/problem+json";
    set beresp.http.Retry-After = "5";
    set beresp.http.Cache-Control = "no-store";
    set beresp.ttl = 0s;
    set beresp.uncacheable = true;
    synthetic({"{"type":"https://facet.example/problems/unavailable","title":"Service Unavailable","status":503,"detail":"No Facet instance is answering.","code":"unavailable" }"});
    return (deliver);
}

sub vcl_deliver {
    # A successful edit or delete through this cache drops every stored variant of that card at
    # once; an edit that reaches an instance another way shows here after max-age (PUBLIC_MAX_AGE).
    if ((req.method == "PATCH" || req.method == "DELETE") && req.http.X-Facet-Code &&
        resp.status >= 200 && resp.status < 300) {
        # No quotes: VCL bans take the argument verbatim (codes are [A-Za-z0-9_-], checked above).
        std.ban("obj.http.X-Facet-Code == " + req.http.X-Facet-Code);
    }
    unset resp.http.X-Facet-Code;
    # For tests and debugging: was this answered from the cache, and as which variant?
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    if (req.http.X-Facet-Variant) {
        set resp.http.X-Facet-Variant = req.http.X-Facet-Variant;
    }
    if (req.http.X-Facet-Coding) {
        set resp.http.X-Facet-Coding = req.http.X-Facet-Coding;
    }
}
