/**
 * useradd-large-uid: `useradd` with a large UID and without `-l` writes /var/log/lastlog and /var/log/faillog up to
 * that UID's record, and an image layer stores those mostly-zero files at full size.
 */
import type { Word } from '../shell/ast.js';
import { basename } from '../shell/commands.js';
import { defineRule } from './define.js';

/** sizeof(struct lastlog) + sizeof(struct faillog) on 64-bit Linux: the bytes each UID below the new one costs. */
const BYTES_PER_UID = 292 + 32;
const MB = 1_000_000;

export default defineRule({
  id: 'useradd-large-uid',
  status: 'stable',
  since: '0.2.0',
  severity: 'warning',
  tags: ['size'],
  fix: 'always',
  hadolint: ['DL3046'],
  messages: {
    lastlog:
      '`useradd -u {{uid}}` without `-l` writes /var/log/lastlog and faillog up to that UID: about {{megabytes}} MB of zeros stored in this layer. Add `-l` (`--no-log-init`).',
  },
  docs: {
    description: '`useradd` with a large UID and without `-l` bloats the layer.',
    whatItDoes:
      'Reports `useradd` given a static UID (`-u`, `--uid`) whose lastlog and faillog records would make those files at least `minMegabytes` large, when neither `-l` nor `--no-log-init` is given.',
    why: "useradd writes the new user's record into /var/log/lastlog (292 bytes per UID) and /var/log/faillog (32 bytes per UID) at the offset of its UID, which makes both files as large as the UID times the record size. On disk they are sparse, but a layer tar stores every byte: UID 100000 adds about 32 MB to the image, UID 1000000000 hundreds of GB (the build runs out of disk). Busybox `adduser` (Alpine) and shadow versions built without lastlog do not write them; the flag is harmless there.",
    example: 'FROM debian:bookworm-slim\nRUN useradd -u 100000 app',
    useInstead: 'FROM debian:bookworm-slim\nRUN useradd -l -u 100000 app',
    fixSafety:
      'Safe: ` -l` is inserted after `useradd`; the only difference is that the new user has no lastlog/faillog record, which a container never reads.',
    options: '`minMegabytes` (number, default 10): report only when the two files would reach this size.',
    references: ['https://github.com/hadolint/hadolint/wiki/DL3046', 'https://github.com/moby/moby/issues/5419'],
  },
  defaultOptions: { minMegabytes: 10 },
  create(ctx) {
    return {
      RUN(instruction) {
        const analysed = ctx.runScript(instruction);
        if (!analysed.commandNames.has('useradd')) return;
        for (const run of analysed.scripts) {
          for (const command of run.script.commands) {
            if (command.name === undefined || basename(command.name) !== 'useradd') continue;
            const args = command.argv.slice(1);
            if (args.some((word) => word.value === '--no-log-init' || /^-[A-Za-z]*l[A-Za-z]*$/.test(word.value ?? ''))) continue;
            const uid = uidOf(args);
            if (uid === undefined || uid * BYTES_PER_UID < ctx.options.minMegabytes * MB) continue;
            const name = command.argv[0];
            const at = run.base + name.end;
            ctx.report({
              range: { start: run.base + name.start, end: run.base + name.end },
              messageId: 'lastlog',
              data: { uid, megabytes: Math.round((uid * BYTES_PER_UID) / MB).toLocaleString('en-US') },
              fix: { safety: 'safe', edits: [{ start: at, end: at, text: ' -l' }] },
            });
          }
        }
      },
    };
  },
});

/** The static UID given by `-u N`, `-uN`, `--uid N` or `--uid=N`. */
function uidOf(args: Word[]): number | undefined {
  for (let i = 0; i < args.length; i++) {
    const value = args[i].value ?? '';
    const text = value === '-u' || value === '--uid' ? args[i + 1]?.value : /^(?:-u|--uid=)(\d+)$/.exec(value)?.[1];
    if (text !== undefined && /^\d+$/.test(text)) return Number(text);
  }
  return undefined;
}
