/** The instruction layer's refusals (instructions/parse.go, bflag.go), in BuildKit's words, with positions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGoDuration } from '../../src/dockerfile/go-duration.js';
import { parseDockerfile, validateInstructions } from '../../src/dockerfile/index.js';
import { levenshtein, suggest } from '../../src/dockerfile/suggest.js';

const problems = (text: string) => validateInstructions(parseDockerfile(text)).map((e) => `${e.line}:${e.column}: ${e.reason}`);
const first = (body: string) => problems(`FROM a\n${body}\n`)[0];

test('a valid file has no problems; ARG may come before FROM', () => {
  assert.deepEqual(
    problems(
      'ARG V=1\nFROM --platform=$P a:$V AS b\nCOPY --from=b --chown=1 --chmod=644 --link --parents --exclude=x --exclude=y a b\n' +
        'ADD --checksum=sha256:x --keep-git-dir=true --unpack=FALSE --link=True a b\nRUN --mount=type=cache,target=/x --mount=type=tmpfs,target=/t --network=none --security=insecure --device=x a\n' +
        'HEALTHCHECK --interval=1m30s --timeout=0 --start-period=.5s --start-interval=1ms --retries=+3 CMD ["a"]\nHEALTHCHECK NONE\nSTOPSIGNAL --x SIGTERM\nARG --y z\nSHELL ["sh", "-c"]\nONBUILD RUN x\n',
    ),
    [],
  );
});

test('unknown instructions and flags get a "did you mean" hint, matched to the case written', () => {
  assert.equal(first('FORM x'), '2:1: unknown instruction: FORM (did you mean FROM?)');
  assert.equal(first('cmdd x'), '2:1: unknown instruction: cmdd (did you mean cmd?)');
  assert.equal(first('FOOBAR x'), '2:1: unknown instruction: FOOBAR');
  assert.equal(first('COPY --form=x a b'), '2:6: unknown flag: --form (did you mean from?)');
  assert.equal(first('RUN --netwrk=host x'), '2:5: unknown flag: --netwrk (did you mean network?)');
  assert.equal(first('WORKDIR --x /a'), '2:9: unknown flag: --x');
});

test('flag values: duplicates, missing values, booleans', () => {
  assert.equal(first('COPY --link --link a b'), '2:13: duplicate flag specified: --link');
  assert.equal(first('COPY --from=a --from=b a b'), '2:15: duplicate flag specified: --from');
  assert.equal(first('COPY --chmod a b'), '2:6: missing a value on flag: --chmod');
  assert.equal(first('COPY --link= a b'), '2:6: missing a value on flag: --link');
  assert.equal(first('COPY --link=maybe a b'), '2:6: expecting boolean value for flag --link, not: maybe');
  assert.equal(first('RUN --mount x'), '2:5: missing a value on flag: --mount');
  assert.equal(first('RUN --network=foo x'), '2:5: invalid network mode "foo"');
  assert.equal(first('RUN --security=x y'), '2:5: security "x" is not valid');
});

test('argument counts, in BuildKit order (counts before flags where BuildKit checks them first)', () => {
  assert.equal(
    first('ADD a'),
    '2:5: ADD requires at least two arguments, but only one was provided. Destination could not be determined',
  );
  assert.equal(
    first('COPY --bad a'),
    '2:12: COPY requires at least two arguments, but only one was provided. Destination could not be determined',
  );
  assert.equal(first('WORKDIR'), '2:1: WORKDIR requires exactly one argument');
  assert.equal(first('USER'), '2:1: USER requires exactly one argument');
  assert.deepEqual(problems('FROM a\nUSER a b\n'), []); // one argument: the whole rest
  assert.equal(first('STOPSIGNAL'), '2:1: STOPSIGNAL requires exactly one argument');
  assert.equal(first('EXPOSE'), '2:1: EXPOSE requires at least one argument');
  assert.equal(first('ENV'), '2:1: ENV requires at least one argument');
  assert.equal(first('ENV =x'), '2:5: ENV names can not be blank');
  assert.equal(first('ARG =x'), '2:5: ARG names can not be blank');
  assert.equal(first('ARG'), '2:1: ARG requires at least one argument');
  assert.equal(first('VOLUME [""]'), '2:9: VOLUME specified can not be an empty string');
  assert.equal(first('SHELL bash -c'), '2:7: SHELL requires the arguments to be in JSON form');
  assert.equal(first('SHELL []'), '2:1: SHELL requires at least one argument');
  assert.equal(first('COPY a <<EOF\nEOF'), '2:8: COPY cannot accept a heredoc as a destination');
});

test('FROM: one or three arguments, valid stage names', () => {
  assert.equal(
    problems('FROM a AS 1b\n')[0],
    '1:11: invalid name for build stage: "1b", name can\'t start with a number or contain symbols',
  );
  assert.equal(problems('FROM a b\n')[0], '1:6: FROM requires either one or three arguments');
  assert.deepEqual(problems('FROM a As Build.Stage-1_x\n'), []);
  assert.equal(problems('FROM --platfrom=x a\n')[0], '1:6: unknown flag: --platfrom (did you mean platform?)');
  assert.equal(problems('FROM --plat=x a\n')[0], '1:6: unknown flag: --plat');
});

test('ONBUILD triggers', () => {
  assert.equal(first('ONBUILD'), '2:1: ONBUILD requires at least one argument');
  assert.equal(first('ONBUILD ONBUILD RUN x'), "2:9: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
  assert.equal(first('ONBUILD from x'), "2:9: FROM isn't allowed as an ONBUILD trigger");
  assert.equal(first('ONBUILD MAINTAINER x'), "2:9: MAINTAINER isn't allowed as an ONBUILD trigger");
});

test('HEALTHCHECK options', () => {
  assert.equal(first('HEALTHCHECK NONE x'), '2:13: HEALTHCHECK NONE takes no arguments');
  assert.equal(first('HEALTHCHECK CONNECT x'), '2:13: Unknown type "CONNECT" in HEALTHCHECK (try CMD)');
  assert.equal(first('HEALTHCHECK CMD'), '2:13: Missing command after HEALTHCHECK CMD');
  assert.equal(first('HEALTHCHECK --interval=1us CMD x'), '2:13: Interval "interval" cannot be less than 1ms');
  assert.equal(first('HEALTHCHECK --timeout=5 CMD x'), '2:13: time: missing unit in duration "5"');
  assert.equal(first('HEALTHCHECK --timeout=5y CMD x'), '2:13: time: unknown unit "y" in duration "5y"');
  assert.equal(first('HEALTHCHECK --retries=-1 CMD x'), '2:13: --retries cannot be negative (-1)');
  assert.equal(first('HEALTHCHECK --retries=x CMD x'), '2:13: strconv.ParseInt: parsing "x": invalid syntax');
  assert.equal(
    first('HEALTHCHECK --retries=3000000000 CMD x'),
    '2:13: strconv.ParseInt: parsing "3000000000": value out of range',
  );
});

test('only ARG may come before the first FROM', () => {
  assert.deepEqual(problems('ARG a\nRUN x\nFROM b\n'), ['2:1: no build stage in current context']);
});

test('Go time.ParseDuration', () => {
  assert.equal(parseGoDuration('1h2m3.5s'), 3723.5e9);
  assert.equal(parseGoDuration('-1.5ms'), -1.5e6);
  assert.equal(parseGoDuration('2µs'), 2000);
  assert.throws(() => parseGoDuration('.s'), /invalid duration "\.s"/);
  assert.throws(() => parseGoDuration(''), /invalid duration ""/);
});

test('suggestions: Levenshtein distance below 3, exact match means no hint', () => {
  assert.equal(levenshtein('kitten', 'sitting'), 3);
  assert.equal(suggest('Form', ['FROM', 'RUN'], false), 'from'); // mixed case: Go returns the lower-cased option
  assert.equal(suggest('FORM', ['FROM', 'RUN'], false), 'FROM');
  assert.equal(suggest('form', ['FROM'], false), 'from');
  assert.equal(suggest('from', ['from'], true), undefined);
  assert.equal(suggest('xyzzy', ['from'], true), undefined);
});
