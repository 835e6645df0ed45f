/** Go's `time.ParseDuration`, for HEALTHCHECK's `--interval` and friends (errors in Go's words). */
import { goQuote } from './go-quote.js';

const UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5 micro sign
  μs: 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Nanoseconds, or throws an Error with Go's message. */
export function parseGoDuration(text: string): number {
  const invalid = () => new Error(`time: invalid duration ${goQuote(text)}`);
  let s = text;
  let negative = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0;
  while (s !== '') {
    const number = /^([0-9]*)(\.([0-9]*))?/.exec(s)!;
    const [whole, integer, , fraction] = number;
    if (integer === '' && (fraction === undefined || fraction === '')) throw invalid();
    s = s.slice(whole.length);
    let unitEnd = 0;
    while (unitEnd < s.length && s[unitEnd] !== '.' && (s[unitEnd] < '0' || s[unitEnd] > '9')) unitEnd++;
    if (unitEnd === 0) throw new Error(`time: missing unit in duration ${goQuote(text)}`);
    const unit = s.slice(0, unitEnd);
    s = s.slice(unitEnd);
    const scale = UNITS[unit];
    if (scale === undefined) throw new Error(`time: unknown unit ${goQuote(unit)} in duration ${goQuote(text)}`);
    total += Number(`${integer || '0'}.${fraction ?? ''}0`) * scale;
    if (total > 2 ** 63 - 1) throw invalid();
  }
  return negative ? -Math.trunc(total) : Math.trunc(total);
}
