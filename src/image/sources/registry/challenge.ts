/**
 * `WWW-Authenticate` challenges (RFC 7235): what a registry answers a 401 with — `Basic realm="…"` or
 * `Bearer realm="https://auth…/token",service="…",scope="repository:a/b:pull"`. Pure.
 */

export interface Challenge {
  /** Lower-cased: `basic`, `bearer`. */
  scheme: string;
  /** Parameter names lower-cased; values unquoted. */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

/** Parses every challenge of a header value; malformed tails are dropped rather than thrown (servers vary). */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let rest = header;
  let current: Challenge | undefined;
  const skip = (pattern: RegExp) => {
    rest = rest.replace(pattern, '');
  };
  while (true) {
    skip(/^[\s,]+/);
    if (rest === '') break;
    const token = TOKEN.exec(rest)?.[0];
    if (!token) break;
    const after = rest.slice(token.length).replace(/^\s*/, '');
    if (current && after.startsWith('=') && !after.startsWith('==')) {
      // name=value (or name="quoted value") inside the current challenge
      rest = after.slice(1).replace(/^\s*/, '');
      let value: string;
      if (rest.startsWith('"')) {
        let end = 1;
        value = '';
        while (end < rest.length && rest[end] !== '"') {
          if (rest[end] === '\\' && end + 1 < rest.length) end++;
          value += rest[end];
          end++;
        }
        rest = rest.slice(end + 1);
      } else {
        value = TOKEN.exec(rest)?.[0] ?? '';
        rest = rest.slice(value.length);
      }
      current.params[token.toLowerCase()] = value;
      continue;
    }
    // a new scheme (token68 credentials after a scheme are ignored: registries never send them)
    current = { scheme: token.toLowerCase(), params: {} };
    challenges.push(current);
    rest = after;
    const token68 = /^[A-Za-z0-9\-._~+/]+=*(?=\s*(,|$))/.exec(rest);
    if (token68 && !rest.slice(token68[0].length).trimStart().startsWith('=')) rest = rest.slice(token68[0].length);
  }
  return challenges;
}

/** The challenge to answer: Bearer when offered (it carries the token realm), else Basic, else none. */
export function pickChallenge(challenges: Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}
