/** Collects a repeatable option (`--build-arg A=1 --build-arg B=2`); spec.ts knows such options by this parser. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
