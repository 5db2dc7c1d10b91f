import { isbot } from 'isbot';
import { UAParser } from 'ua-parser-js';

/** Device classes a click is counted under. */
export type DeviceClass = 'mobile' | 'desktop' | 'tablet' | 'bot' | 'other';

const DESKTOP_OS = new Set(['Windows', 'Mac OS', 'macOS', 'Linux', 'Ubuntu', 'Debian', 'Fedora', 'Chromium OS', 'FreeBSD', 'OpenBSD']);

/**
 * Classifies a User-Agent: bots first (isbot), then the device type ua-parser-js reports;
 * a browser on a desktop operating system is desktop; anything else is other.
 */
function classify(userAgent: string): DeviceClass {
  if (isbot(userAgent)) return 'bot';
  const result = new UAParser(userAgent).getResult();
  if (result.device.type === 'mobile') return 'mobile';
  if (result.device.type === 'tablet') return 'tablet';
  if (result.device.type === undefined && result.os.name && DESKTOP_OS.has(result.os.name)) return 'desktop';
  return 'other';
}

// Parsing a User-Agent costs tens of microseconds, and visitors send a few thousand distinct ones,
// so outcomes are remembered: bounded in entries (cleared when full) and in the length of a key.
const MEMO_ENTRIES = 4096;
const MEMO_KEY_MAX = 512;
const memo = new Map<string, DeviceClass>();

/** The device class of a User-Agent header; no header is `other`. */
export function classifyDevice(userAgent: string | undefined): DeviceClass {
  if (!userAgent) return 'other';
  if (userAgent.length > MEMO_KEY_MAX) return classify(userAgent);
  let device = memo.get(userAgent);
  if (device === undefined) {
    device = classify(userAgent);
    if (memo.size >= MEMO_ENTRIES) memo.clear();
    memo.set(userAgent, device);
  }
  return device;
}
