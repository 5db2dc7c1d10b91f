import { classifyDevice } from '../../src/domain/devices';

const UA = {
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  android: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  windows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  mac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
  linux: 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  slackbot: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  tv: 'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0 TV Safari/537.36',
};

describe('classifyDevice()', () => {
  it.each([
    ['iphone', 'mobile'], ['android', 'mobile'], ['ipad', 'tablet'], ['windows', 'desktop'], ['mac', 'desktop'],
    ['linux', 'desktop'], ['googlebot', 'bot'], ['slackbot', 'bot'], ['tv', 'other'],
  ] as const)('counts a %s user agent as %s', (name, expected) => {
    expect(classifyDevice(UA[name])).toBe(expected);
  });

  it('counts a missing or empty user agent as other', () => {
    expect(classifyDevice(undefined)).toBe('other');
    expect(classifyDevice('')).toBe('other');
  });

  it('counts an unrecognisable string as other rather than failing', () => {
    expect(classifyDevice('\u0000\u0001 not a browser ☃')).toBe('other');
  });
});
