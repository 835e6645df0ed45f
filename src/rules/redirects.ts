/**
 * Renamed rule ids: old id → current id. Ids are a public contract (configs and pragmas name them), so a rename
 * adds a line here and the old name keeps working everywhere a rule can be named.
 */
export const redirects: Readonly<Record<string, string>> = Object.freeze({});
