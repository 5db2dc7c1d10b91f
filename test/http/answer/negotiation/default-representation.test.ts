import { FULL, PARTNER_V3, PARTNER_V4, SUMMARY } from '../../../../representations/media-types';
import { defaultRepresentation } from '../../../../src/http/answer/negotiation/default-representation';

describe('defaultRepresentation()', () => {
  it('pins a partner key to partner.v3 whatever the platform says', () => {
    expect(defaultRepresentation({ keyKind: 'partner', platform: 'ios' })).toBe(PARTNER_V3);
    expect(defaultRepresentation({ keyKind: 'partner', platform: undefined })).toBe(PARTNER_V3);
  });

  it("gives a partner key its pin, whatever the platform says, and partner.v3 while it has none", () => {
    expect(defaultRepresentation({ keyKind: 'partner', platform: 'ios', pin: PARTNER_V4 })).toBe(PARTNER_V4);
    expect(defaultRepresentation({ keyKind: 'partner', platform: undefined, pin: PARTNER_V3 })).toBe(PARTNER_V3);
    expect(defaultRepresentation({ keyKind: 'partner', platform: undefined, pin: null })).toBe(PARTNER_V3);
  });

  it('ignores a pin on anything but a partner key', () => {
    expect(defaultRepresentation({ keyKind: 'user', platform: 'ios', pin: PARTNER_V4 })).toBe(SUMMARY);
    expect(defaultRepresentation({ keyKind: null, via: 'session', platform: undefined, pin: PARTNER_V4 })).toBe(FULL);
  });

  it.each([['ios', SUMMARY], ['android', SUMMARY], ['web', FULL], [' iOS ', SUMMARY], ['ANDROID', SUMMARY]])(
    'maps X-Client-Platform %p to its representation',
    (platform, type) => {
      expect(defaultRepresentation({ keyKind: 'user', platform })).toBe(type);
      expect(defaultRepresentation({ keyKind: null, platform })).toBe(type);
    },
  );

  it('falls back to full for an unknown or missing platform', () => {
    expect(defaultRepresentation({ keyKind: null, platform: 'windows-phone' })).toBe(FULL);
    expect(defaultRepresentation({ keyKind: null, platform: '__proto__' })).toBe(FULL);
    expect(defaultRepresentation({ keyKind: null, platform: 'constructor' })).toBe(FULL);
    expect(defaultRepresentation({ keyKind: 'user', platform: undefined })).toBe(FULL);
  });
});
