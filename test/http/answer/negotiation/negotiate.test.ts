import { FULL, PARTNER_V3, SUMMARY } from '../../../../representations/media-types';
import type { VendorType } from '../../../../representations/media-types';
import { negotiate } from '../../../../src/http/answer/negotiation/negotiate';

const ALL: VendorType[] = [FULL, SUMMARY, PARTNER_V3];

/** negotiator-style spec helper: whenAccept(header, { default, offers }).chooses(type) / .refuses(). */
function whenAccept(accept: string | undefined, options: { default?: VendorType; offers?: VendorType[] } = {}) {
  const outcome = negotiate(accept, options.offers ?? ALL, options.default ?? FULL);
  return {
    chooses(type: VendorType) {
      expect(outcome).toEqual({ ok: true, type });
    },
    refuses() {
      expect(outcome).toEqual({ ok: false, acceptable: options.offers ?? ALL });
    },
  };
}

describe('negotiate()', () => {
  describe('rule 1: parsing', () => {
    it('treats a missing Accept as */*, which means the default', () => {
      whenAccept(undefined).chooses(FULL);
      whenAccept(undefined, { default: SUMMARY }).chooses(SUMMARY);
    });

    it('treats a blank Accept like a missing one', () => {
      whenAccept('   ', { default: SUMMARY }).chooses(SUMMARY);
    });

    it('compares media types case-insensitively', () => {
      whenAccept('APPLICATION/VND.EXAMPLE.SUMMARY+JSON').chooses(SUMMARY);
      whenAccept('Application/Vnd.Example.Partner.V3+Json').chooses(PARTNER_V3);
    });

    it('honours q: the higher quality wins whatever the order', () => {
      whenAccept(`${SUMMARY};q=0.4, ${PARTNER_V3};q=0.9`).chooses(PARTNER_V3);
    });

    it('reads q=0 as "not this" (RFC 9110 §12.4.2)', () => {
      whenAccept(`${SUMMARY};q=0`).refuses();
      whenAccept(`${FULL};q=0, */*`).refuses();
    });

    it('tolerates a charset parameter on a vendor type', () => {
      whenAccept(`${SUMMARY}; charset=utf-8`).chooses(SUMMARY);
      whenAccept(`${PARTNER_V3};charset=UTF-8;q=0.5`).chooses(PARTNER_V3);
    });

    it('makes a range with any other parameter match nothing', () => {
      whenAccept(`${SUMMARY}; version=2`).refuses();
      whenAccept(`${SUMMARY}; version=2, ${PARTNER_V3};q=0.1`).chooses(PARTNER_V3);
      whenAccept('*/*; profile=x').refuses();
    });

    it('ignores extension parameters after the weight', () => {
      whenAccept(`${SUMMARY};q=0.5;ext=1`).chooses(SUMMARY);
    });

    it('drops ranges with an invalid q instead of failing the whole header', () => {
      whenAccept(`${SUMMARY};q=2, ${PARTNER_V3}`).chooses(PARTNER_V3);
      whenAccept(`${SUMMARY};q=abc`).refuses();
    });

    it('skips malformed ranges and still reads the good ones', () => {
      whenAccept(`garbage, ;;, ${SUMMARY}`).chooses(SUMMARY);
      whenAccept('text/html;;q=1, "').refuses();
    });
  });

  describe('rule 2: generic ranges match only the default', () => {
    it.each(['*/*', 'application/*', 'application/json', 'application/*+json'])('reads %s as the default', (range) => {
      whenAccept(range, { default: SUMMARY }).chooses(SUMMARY);
      whenAccept(range, { default: FULL }).chooses(FULL);
      whenAccept(range, { default: PARTNER_V3 }).chooses(PARTNER_V3);
    });

    it('does not let a generic range reach a non-default representation', () => {
      whenAccept('application/json', { default: FULL, offers: [SUMMARY, PARTNER_V3] }).refuses();
    });

    it('lets an explicit q=0 on the default override a generic range', () => {
      whenAccept(`*/*, ${FULL};q=0`, { default: FULL }).refuses();
      whenAccept(`*/*, ${FULL};q=0, ${SUMMARY};q=0.1`, { default: FULL }).chooses(SUMMARY);
    });

    it('lets the most specific generic range decide the default’s quality', () => {
      whenAccept(`*/*;q=0.9, application/json;q=0.1, ${SUMMARY};q=0.5`).chooses(SUMMARY);
      whenAccept(`application/json;q=0.9, */*;q=0.1, ${SUMMARY};q=0.5`).chooses(FULL);
    });

    it('does not treat text/* or other types as generic', () => {
      whenAccept('text/*').refuses();
      whenAccept('text/html, image/png').refuses();
    });
  });

  describe('rule 3: partner.v3 is asked for by name', () => {
    it.each(['*/*', 'application/*', 'application/json', 'application/*+json'])('never chooses partner.v3 for %s when the default is not partner', (range) => {
      whenAccept(range, { default: FULL }).chooses(FULL);
      whenAccept(range, { default: SUMMARY }).chooses(SUMMARY);
      whenAccept(range, { default: FULL, offers: [PARTNER_V3] }).refuses();
    });

    it('serves partner.v3 to anyone who names it', () => {
      whenAccept(PARTNER_V3, { default: FULL }).chooses(PARTNER_V3);
    });
  });

  describe('rule 4: precedence among matching ranges', () => {
    it('prefers the higher q first', () => {
      whenAccept(`*/*;q=1, ${SUMMARY};q=0.5`, { default: FULL }).chooses(FULL);
    });

    it('prefers a vendor type over a generic range at equal q', () => {
      whenAccept(`*/*, ${SUMMARY}`, { default: FULL }).chooses(SUMMARY);
      whenAccept(`application/json;q=0.7, ${PARTNER_V3};q=0.7`, { default: SUMMARY }).chooses(PARTNER_V3);
    });

    it('falls back to the order of the Accept header', () => {
      whenAccept(`${PARTNER_V3}, ${SUMMARY}`).chooses(PARTNER_V3);
      whenAccept(`${SUMMARY}, ${PARTNER_V3}`).chooses(SUMMARY);
    });

    it('uses the best of duplicate ranges for the same type', () => {
      whenAccept(`${SUMMARY};q=0.1, ${PARTNER_V3};q=0.5, ${SUMMARY};q=0.9`).chooses(SUMMARY);
    });
  });

  describe('rule 5: nothing acceptable', () => {
    it('lists the resource’s own offers in the order the registry gives them', () => {
      const offers: VendorType[] = [FULL, SUMMARY];
      expect(negotiate(PARTNER_V3, offers, FULL)).toEqual({ ok: false, acceptable: offers });
    });

    it('refuses an unknown vendor type', () => {
      whenAccept('application/vnd.example.partner.v2+json').refuses();
    });
  });
});
