/**
 * Custom parameters as administrators type them: one `name=value` per line, an optional `custom_`
 * prefix (as the vendor docs write them) normalized away. Names are kept as typed: LTI 1.3 sends them
 * as they are, LTI 1.1 mangles them (`lti1p1CustomParameterName`), and the 1.1 consumer certification
 * expects a name such as `Complex!@#$^*(){}[]KEY` to be accepted. Values are kept verbatim and may
 * hold substitution variables such as `$User.id`.
 */
export interface CustomParameter {
  readonly name: string;
  readonly value: string;
}

export interface CustomParameterProblem {
  /** 1-based line number in the text the administrator typed. */
  readonly line: number;
  readonly message: string;
}

export type ParsedCustomParameters =
  | { readonly ok: true; readonly parameters: readonly CustomParameter[] }
  | { readonly ok: false; readonly problems: readonly CustomParameterProblem[] };

export const CUSTOM_PARAMETER_LIMITS = { lines: 100, name: 100, value: 2000 } as const;

/** Visible characters only: no spaces or control characters, which no tool could match reliably. */
const NAME = /^[\x21-\x7e]+$/;
const PREFIX = 'custom_';

/** Parses the whole text; any bad line fails all of it, so nothing half-right is ever stored. */
export function parseCustomParameters(text: string): ParsedCustomParameters {
  const parameters: CustomParameter[] = [];
  const problems: CustomParameterProblem[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const equals = raw.indexOf('=');
    if (equals < 0) return problems.push({ line, message: `Line ${line}: expected name=value` });
    const written = raw.slice(0, equals).trim();
    const value = raw.slice(equals + 1);
    const name = written.startsWith(PREFIX) ? written.slice(PREFIX.length) : written;
    if (name === '') return problems.push({ line, message: `Line ${line}: the name is empty` });
    if (!NAME.test(name)) {
      return problems.push({
        line,
        message: `Line ${line}: "${truncate(written)}" is not a valid name (visible ASCII characters, no spaces)`,
      });
    }
    if (name.length > CUSTOM_PARAMETER_LIMITS.name) {
      return problems.push({
        line,
        message: `Line ${line}: the name is longer than ${CUSTOM_PARAMETER_LIMITS.name} characters`,
      });
    }
    if (value.length > CUSTOM_PARAMETER_LIMITS.value) {
      return problems.push({
        line,
        message: `Line ${line}: the value is longer than ${CUSTOM_PARAMETER_LIMITS.value} characters`,
      });
    }
    // Two names that LTI 1.1 would send under the same parameter name are one name twice.
    const sent = lti1p1CustomParameterName(name);
    const first = seen.get(sent);
    if (first !== undefined)
      return problems.push({ line, message: `Line ${line}: "${name}" is already set on line ${first}` });
    seen.set(sent, line);
    parameters.push({ name, value });
  });
  if (parameters.length > CUSTOM_PARAMETER_LIMITS.lines) {
    problems.push({ line: lines.length, message: `At most ${CUSTOM_PARAMETER_LIMITS.lines} parameters` });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, parameters };
}

/** The text form again, as the administrator will see it in the text area. */
export function formatCustomParameters(parameters: readonly CustomParameter[]): string {
  return parameters.map((p) => `${p.name}=${p.value}`).join('\n');
}

/**
 * Link values override provider values; the provider's order is kept and the link's new names
 * follow in their own order.
 */
export function mergeCustomParameters(
  provider: readonly CustomParameter[],
  link: readonly CustomParameter[],
): CustomParameter[] {
  const overrides = new Map(link.map((p) => [p.name, p.value]));
  const merged = provider.map((p) => ({ name: p.name, value: overrides.get(p.name) ?? p.value }));
  const known = new Set(provider.map((p) => p.name));
  return [...merged, ...link.filter((p) => !known.has(p.name))];
}

/**
 * The LTI 1.1 launch parameter name of a custom parameter: `custom_` + the name lower-cased with
 * every character outside [a-z0-9] replaced by `_` (LTI 1.1.1 Implementation Guide, §3 "Custom
 * parameters"; the consumer certification checks `Complex!@#$^*(){}[]KEY` → `custom_complex____________key`).
 */
export function lti1p1CustomParameterName(name: string): string {
  return PREFIX + name.toLowerCase().replace(/[^a-z0-9]/g, '_');
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
