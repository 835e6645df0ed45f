/**
 * `.layerwise.yaml`: parsed and validated here, purely (text in, config out; reading the file is config-file.ts).
 *
 * ```yaml
 * ignored: [unpinned-base-image, DL3008]     # rule ids, or hadolint codes of rules that stand in for them
 * severity: { add-url-without-checksum: error, prefer-cache-mount: off }
 * override: { error: [DL3006] }              # hadolint's spelling of the same (style counts as info)
 * failure-threshold: warning                 # error | warning | info | none
 * trusted-registries: [docker.io, ghcr.io]
 * rules: { unpinned-base-image: { allowLatest: false } }   # per-rule options
 * fix-unsafe: [prefer-cache-mount]           # `lint --fix` also applies these rules' unsafe fixes (true: all rules)
 * image:                                     # `layerwise image analyze` CI gates (dive's .dive-ci rules)
 *   ci: true                                 # gate on every run, not only with --ci
 *   lowestEfficiency: 0.95                   # ratio 0–1, or disabled
 *   highestWastedBytes: 20MB
 *   highestUserWastedPercent: 0.2            # ratio 0–1 despite the name
 * ```
 * Every mistake is an InputError at the offending line and column.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';
import { InputError, type Position } from '../errors.js';
import { checkGateSetting, GATE_NAMES, type GateName, type ImageGateConfig } from '../gate-settings.js';
import { type AnyRule, SEVERITIES, type Severity } from './define.js';
import { rules as allRules, rulesNamed } from './registry.js';

export type Threshold = Severity | 'none';
export const THRESHOLDS: readonly Threshold[] = [...SEVERITIES, 'none'];

export interface LintConfig {
  /** Rule ids turned off. */
  ignored: ReadonlySet<string>;
  /** Rule id → its severity here (`off` = ignored). */
  severity: ReadonlyMap<string, Severity | 'off'>;
  /** Findings at or above this fail the run (exit 1); `none` never fails. */
  failureThreshold: Threshold;
  trustedRegistries: readonly string[];
  /** Rule id → options overriding its defaultOptions. */
  ruleOptions: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /** Rules whose unsafe fixes `lint --fix` applies as if `--fix-unsafe` were given (`true`: every rule). */
  fixUnsafe?: boolean | ReadonlySet<string>;
  /** The `image:` section: `layerwise image analyze`'s CI gates (not used by lint). */
  image?: ImageGateConfig;
}

/** No ignores, default severities, fail on warnings and errors. */
export const DEFAULT_CONFIG: LintConfig = Object.freeze({
  ignored: new Set<string>(),
  severity: new Map(),
  failureThreshold: 'warning',
  trustedRegistries: [],
  ruleOptions: new Map(),
});

export const CONFIG_FILE_NAMES = ['.layerwise.yaml', '.layerwise.yml'] as const;

/** Parses `.layerwise.yaml` text. `file` names it in errors; `ruleSet` is what rule names must refer to. */
export function parseConfig(
  text: string,
  file: string = CONFIG_FILE_NAMES[0],
  ruleSet: readonly AnyRule[] = allRules,
): LintConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const fail = (message: string, offset: number): never => {
    const { line, col } = lineCounter.linePos(offset);
    throw new InputError(message, file, { line, column: col } satisfies Position);
  };
  const [syntax] = doc.errors;
  if (syntax) fail(syntax.message.split('\n')[0], syntax.pos[0]);
  const reader = new ConfigReader(fail, ruleSet);
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return DEFAULT_CONFIG;
  return reader.read(doc.contents);
}

type Fail = (message: string, offset: number) => never;

const at = (node: Node | null | undefined): number => node?.range?.[0] ?? 0;

class ConfigReader {
  private readonly ignored = new Set<string>();
  private readonly severity = new Map<string, Severity | 'off'>();
  private failureThreshold: Threshold = DEFAULT_CONFIG.failureThreshold;
  private trustedRegistries: string[] = [];
  private readonly ruleOptions = new Map<string, Record<string, unknown>>();
  private fixUnsafe: boolean | Set<string> | undefined;
  private image: ImageGateConfig | undefined;

  constructor(
    private readonly fail: Fail,
    private readonly ruleSet: readonly AnyRule[],
  ) {}

  read(root: Node): LintConfig {
    for (const [key, value, keyNode] of this.entries(root, 'the configuration')) {
      switch (key) {
        case 'ignored':
          for (const name of this.strings(value, key)) for (const rule of this.named(name)) this.ignored.add(rule.id);
          break;
        case 'severity':
          for (const [name, level, nameNode] of this.entries(value, key)) {
            const parsed = this.choice(level, [...SEVERITIES, 'off'] as const, `severity of ${name}`);
            for (const rule of this.named(name, nameNode)) this.severity.set(rule.id, parsed);
          }
          break;
        case 'override':
          for (const [level, names, levelNode] of this.entries(value, key)) {
            const parsed = level === 'style' ? 'info' : this.pick(level, SEVERITIES, 'an override level', levelNode);
            for (const name of this.strings(names, `override.${level}`)) {
              for (const rule of this.named(name)) this.severity.set(rule.id, parsed);
            }
          }
          break;
        case 'failure-threshold':
          this.failureThreshold = this.choice(value, THRESHOLDS, key);
          break;
        case 'trusted-registries':
        case 'trustedRegistries':
          this.trustedRegistries = this.strings(value, key).map(({ text }) => text);
          break;
        case 'rules':
          for (const [name, options, nameNode] of this.entries(value, key)) {
            const [rule] = this.named(name, nameNode);
            this.ruleOptions.set(rule.id, this.options(rule, options));
          }
          break;
        case 'fix-unsafe':
          if (isScalar(value) && typeof value.value === 'boolean') this.fixUnsafe = value.value;
          else this.fixUnsafe = new Set(this.strings(value, key).flatMap((name) => this.named(name).map((rule) => rule.id)));
          break;
        case 'image':
          this.image = this.imageGates(value);
          break;
        default:
          this.fail(
            `unknown key "${key}" (expected ignored, severity, override, failure-threshold, trusted-registries, rules, fix-unsafe or image)`,
            at(keyNode),
          );
      }
    }
    return {
      ignored: this.ignored,
      severity: this.severity,
      failureThreshold: this.failureThreshold,
      trustedRegistries: this.trustedRegistries,
      ruleOptions: this.ruleOptions,
      ...(this.fixUnsafe !== undefined && { fixUnsafe: this.fixUnsafe }),
      ...(this.image ? { image: this.image } : {}),
    };
  }

  /** `image:` — `ci` and dive's three rule names (camelCase as in .dive-ci, or kebab-case as the flags). */
  private imageGates(node: Node | null): ImageGateConfig {
    const config: ImageGateConfig = { gates: {} };
    const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
    for (const [key, value, keyNode] of this.entries(node, 'image')) {
      if (key === 'ci') {
        if (!isScalar(value) || typeof value.value !== 'boolean')
          this.fail('image.ci must be true or false', at(value ?? keyNode));
        config.ci = (value as { value: boolean }).value;
        continue;
      }
      const rule = GATE_NAMES.find((name) => name === key || kebab(name) === key) as GateName | undefined;
      if (!rule) this.fail(`unknown key "image.${key}" (expected ci, ${GATE_NAMES.join(', ')})`, at(keyNode));
      const checked = checkGateSetting(rule as GateName, isScalar(value) ? value.value : undefined);
      if ('problem' in checked) this.fail(`image.${checked.problem}`, at(value ?? keyNode));
      else config.gates[rule as GateName] = checked.setting;
    }
    return config;
  }

  /** The key/value pairs of a mapping, keys as strings. */
  private *entries(node: unknown, what: string): Generator<[string, Node | null, Node]> {
    if (!isMap(node)) return this.fail(`${what} must be a mapping`, at(node as Node));
    for (const pair of (node as YAMLMap<Node, Node | null>).items) {
      const key = pair.key;
      if (!isScalar(key) || typeof key.value !== 'string') return this.fail(`${what}: keys must be strings`, at(key));
      yield [key.value, pair.value, key];
    }
  }

  /** A list of strings (a single string is accepted as a list of one). */
  private strings(node: Node | null, what: string): { text: string; node: Node }[] {
    if (isScalar(node) && typeof node.value === 'string') return [{ text: node.value, node }];
    if (!isSeq(node)) return this.fail(`${what} must be a list of strings`, at(node));
    return node.items.map((item) => {
      if (!isScalar(item) || typeof item.value !== 'string')
        return this.fail(`${what} must be a list of strings`, at(item as Node));
      return { text: item.value, node: item };
    });
  }

  private choice<T extends string>(node: Node | null, allowed: readonly T[], what: string): T {
    return this.pick(isScalar(node) ? node.value : undefined, allowed, what, node);
  }

  private pick<T extends string>(value: unknown, allowed: readonly T[], what: string, where: Node | null): T {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    return this.fail(`${what} must be one of ${allowed.join(', ')}`, at(where));
  }

  private named(name: string | { text: string; node: Node }, node?: Node): AnyRule[] {
    const text = typeof name === 'string' ? name : name.text;
    const where = typeof name === 'string' ? node : name.node;
    const found = rulesNamed(text, this.ruleSet);
    if (found.length === 0) this.fail(`unknown rule "${text}"${this.suggestion(text)}`, at(where));
    return found;
  }

  private suggestion(text: string): string {
    const close = this.ruleSet.map((rule) => rule.id).find((id) => id.includes(text) || text.includes(id));
    return close ? ` (did you mean ${close}?)` : '';
  }

  /** Options must be keys of the rule's defaultOptions, each of the default's type. */
  private options(rule: AnyRule, node: Node | null): Record<string, unknown> {
    const defaults = rule.defaultOptions as Record<string, unknown>;
    const options: Record<string, unknown> = {};
    for (const [name, value, nameNode] of this.entries(node, `rules.${rule.id}`)) {
      if (!(name in defaults)) {
        const known = Object.keys(defaults);
        this.fail(
          `rule ${rule.id} has no option "${name}"${known.length ? ` (options: ${known.join(', ')})` : ' (it takes no options)'}`,
          at(nameNode),
        );
      }
      const parsed = value?.toJSON();
      if (kind(parsed) !== kind(defaults[name])) {
        this.fail(`option ${rule.id}.${name} must be ${kind(defaults[name])}, not ${kind(parsed)}`, at(value ?? nameNode));
      }
      options[name] = parsed;
    }
    return options;
  }
}

function kind(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null || value === undefined) return 'empty';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}
