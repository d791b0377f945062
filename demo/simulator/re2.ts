/**
 * Envoy compiles VirtualService regexes (uri/header `regex`) with Google RE2, which has no
 * lookaround and no backreferences. istiod passes such a pattern through; Envoy then NACKs the
 * route configuration (RDS) and keeps serving the last config it accepted. This is the reject case
 * the simulator plays: https://github.com/google/re2/wiki/Syntax lists the unsupported constructs.
 */

const UNSUPPORTED_CONSTRUCTS: ReadonlyArray<{ pattern: RegExp; what: string }> = [
  { pattern: /\(\?<?[=!]/, what: "lookaround ((?=, (?!, (?<=, (?<!)" },
  { pattern: /\\[1-9]/, what: "backreference (\\1 … \\9)" },
  { pattern: /\\k</, what: "named backreference (\\k<name>)" },
  { pattern: /[*+?}]\+/, what: "possessive quantifier (*+, ++, ?+)" },
  { pattern: /\(\?>/, what: "atomic group ((?>…))" },
];

/** Why RE2 would refuse the pattern, or undefined when it compiles. */
export function re2Problem(pattern: string): string | undefined {
  for (const construct of UNSUPPORTED_CONSTRUCTS) {
    if (construct.pattern.test(pattern)) return `RE2 does not support ${construct.what} in "${pattern}"`;
  }
  try {
    new RegExp(pattern);
  } catch (error) {
    return `invalid regex "${pattern}": ${(error as Error).message}`;
  }
  return undefined;
}

const compiled = new Map<string, RegExp>();

/** Envoy's safe_regex matches the whole value, not a substring. */
export function fullMatch(pattern: string, value: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`);
    compiled.set(pattern, regex);
  }
  return regex.test(value);
}
