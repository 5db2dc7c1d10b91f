import { isbot } from 'isbot';
import { UAParser } from 'ua-parser-js';

/** Device classes a click is counted under. */
export type DeviceClass = 'mobile' | 'desktop' | 'tablet' | 'bot' | 'other';

const DESKTOP_OS = new Set(['Windows', 'Mac OS', 'macOS', 'Linux', 'Ubuntu', 'Debian', 'Fedora', 'Chromium OS', 'FreeBSD', 'OpenBSD']);

/**
 * Classifies a User-Agent: bots first (isbot), then the device type ua-parser-js reports;
 * a browser on a desktop operating system is desktop; anything else is other.
 */
export function classifyDevice(userAgent: string | undefined): DeviceClass {
  if (!userAgent) return 'other';
  if (isbot(userAgent)) return 'bot';
  const result = new UAParser(userAgent).getResult();
  if (result.device.type === 'mobile') return 'mobile';
  if (result.device.type === 'tablet') return 'tablet';
  if (result.device.type === undefined && result.os.name && DESKTOP_OS.has(result.os.name)) return 'desktop';
  return 'other';
}
