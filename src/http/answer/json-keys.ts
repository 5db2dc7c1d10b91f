/**
 * The first member name that an object of this JSON text names twice, or null. RFC 8259 §4 says
 * names SHOULD be unique and parsers disagree on which of two wins (JSON.parse keeps the last), so
 * a body that relies on either is refused rather than read one way here and another elsewhere.
 * Expects text JSON.parse has accepted; names are compared after their escapes are decoded.
 */
export function duplicateKey(text: string): string | null {
  // Per open container: the names seen (null for an array) and whether the next string is a name.
  const stack: { names: Set<string> | null; expectName: boolean }[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) stack.push({ names: new Set(), expectName: true }); // {
    else if (c === 0x5b) stack.push({ names: null, expectName: false }); // [
    else if (c === 0x7d || c === 0x5d) stack.pop(); // } ]
    else if (c === 0x2c) { // ,
      const top = stack[stack.length - 1];
      if (top?.names) top.expectName = true;
    } else if (c === 0x22) { // a string: find its end, skipping escapes
      let end = i + 1;
      while (text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.names && top.expectName) {
        const name = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.names.has(name)) return name;
        top.names.add(name);
        top.expectName = false;
      }
      i = end;
    }
  }
  return null;
}
