/** The terminal colors of a command's report: picocolors' when `io` wants color (wantsColor), none otherwise. */
import pc from 'picocolors';
import { noPaint, type Paint } from '../report/cache.js';
import { type Io, wantsColor } from './io.js';

export function paintFor(io: Io): Paint {
  // createColors(true), not pc.green: picocolors' own detection reads process.stdout and process.env, not `io`.
  if (!wantsColor(io)) return noPaint;
  const { green, red, yellow, dim, bold } = pc.createColors(true);
  return { green, red, yellow, dim, bold };
}
