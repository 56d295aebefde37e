/**
 * Checks on the shape of a request made before any routing or transformation: headers that must
 * arrive once, and how deeply a JSON body nests. Both are plain scans over bounded input (Node
 * caps the header count at `maxHeadersCount`, the body is capped by `bodyLimit`).
 */

/**
 * The names (as spelled in `singleValued`) of single-valued headers that occur more than once in
 * Node's `rawHeaders` (`[name, value, name, value, …]`, names as sent). Node joins repeats of
 * unknown headers with ", " and silently keeps the first of some known ones (Authorization, Host,
 * Content-Type), so `request.headers` cannot tell a repeat from a value containing a comma.
 */
export function repeatedHeaders(
  rawHeaders: readonly string[],
  singleValued: ReadonlyMap<string, string>,
): string[] {
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const spelled = singleValued.get(name);
    if (spelled === undefined) continue;
    if (!seen.has(name)) {
      seen.add(name);
    } else if (!repeated.includes(spelled)) {
      repeated.push(spelled);
    }
  }
  return repeated;
}

/** Lower-case name → the spelling used in error messages. */
export function singleValuedHeaderMap(names: readonly string[]): ReadonlyMap<string, string> {
  return new Map(names.map((name) => [name.toLowerCase(), name]));
}

/**
 * Whether JSON text nests arrays/objects deeper than `maxDepth`. One pass, no recursion, so a
 * body of 10 KB of `[` costs 10 KB of work and no stack (class-transformer and class-validator
 * recurse per level and overflow the stack on a few thousand levels: a 500 otherwise).
 * Brackets inside strings do not count. Malformed JSON is left for the parser to refuse.
 */
export function jsonNestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}
