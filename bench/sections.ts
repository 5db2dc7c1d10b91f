import fs from 'node:fs';

/** A part of bench/RESULTS.md that one mode of the bench writes and every other mode keeps. */
export interface Section {
  begin: string;
  end: string;
}

function find(text: string, s: Section): { start: number; end: number } | null {
  const start = text.indexOf(s.begin);
  const end = start < 0 ? -1 : text.indexOf(s.end, start);
  return end < 0 ? null : { start, end: end + s.end.length };
}

/** `text` with `body` (markers included) in place of its section `s`, or appended when it has none. */
export function withSection(text: string, s: Section, body: string): string {
  const at = find(text, s);
  if (at) return text.slice(0, at.start) + body + text.slice(at.end);
  return `${text.replace(/\n*$/, '\n\n')}${body}\n`;
}

/** Writes `body` as section `s` of `file`, keeping everything else in it. */
export function writeSection(file: string, s: Section, body: string): void {
  fs.writeFileSync(file, withSection(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '', s, body));
}

/** `report` (a full run's new RESULTS.md) with each of `sections` that `file` holds now, so the run does not drop them. */
export function keepSections(file: string, report: string, sections: Section[]): string {
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  return sections.reduce((text, s) => {
    const at = find(previous, s);
    return at ? withSection(text, s, previous.slice(at.start, at.end)) : text;
  }, report);
}
