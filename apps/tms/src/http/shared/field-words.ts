import type { FieldProblem } from '@tms/core';

/**
 * How a field is called on the pages, and what a right value looks like: the one home of the words
 * that messages use, on pages and in the API's problem+json `errors` alike. The `field` keys stay
 * the API's names (clients rely on them); only the messages speak the user's words.
 */
interface FieldWords {
  readonly label: string;
  /** What would be right, as an instruction ("Enter …", "Choose …"). */
  readonly expect?: string;
}

const LOCAL_HTTP = 'https; http only on this machine: localhost or 127.0.0.1';

const WORDS: Record<string, FieldWords> = {
  name: { label: 'Name', expect: 'Enter a name of up to 200 characters' },
  title: { label: 'Title', expect: 'Enter a title of up to 200 characters' },
  organizationId: { label: 'Organization', expect: 'Choose an organization you manage' },
  parentId: { label: 'Parent organization', expect: 'Choose an organization you manage' },
  ltiVersion: { label: 'LTI version', expect: 'Choose LTI 1.1 or LTI 1.3' },
  status: { label: 'Status', expect: 'Choose Active or Disabled' },
  consumerKey: { label: 'LTI key', expect: 'Enter the LTI key (consumer key) the tool vendor gave you' },
  sharedSecret: { label: 'LTI secret', expect: 'Enter the LTI secret (shared secret) the tool vendor gave you' },
  contentItemUrl: {
    label: 'Content selection URL',
    expect: `Enter the tool’s content selection URL (${LOCAL_HTTP}), e.g. https://tool.example.com/content-item, or leave it empty`,
  },
  loginUrl: {
    label: 'OIDC login initiation URL',
    expect: `Enter the tool’s login URL (${LOCAL_HTTP}), e.g. https://tool.example.com/login`,
  },
  redirectUris: {
    label: 'Redirect URIs',
    expect: `Enter one URL per line (${LOCAL_HTTP}), e.g. https://tool.example.com/launch`,
  },
  targetLinkUri: {
    label: 'Target link URI',
    expect: `Enter the tool’s launch URL (${LOCAL_HTTP}), e.g. https://tool.example.com/launch`,
  },
  jwksUrl: {
    label: 'Tool JWKS URL',
    expect: `Enter the URL of the tool’s public keys (${LOCAL_HTTP}), e.g. https://tool.example.com/jwks, or paste its public key instead`,
  },
  publicKeyPem: { label: 'Tool public key (PEM)', expect: 'Paste an RSA public key, -----BEGIN PUBLIC KEY----- …' },
  replacesProviderId: { label: 'Replaces LTI 1.1 provider', expect: 'Choose one of your LTI 1.1 providers, or None' },
  services: { label: 'Services the tool may use' },
  compatibility: { label: 'Compatibility' },
  platformStorage: { label: 'The tool uses LTI platform storage', expect: 'Tick it or leave it unticked' },
  customParameters: {
    label: 'Custom parameters',
    expect: 'Enter one name=value per line, e.g. custom_course_code=$Context.label',
  },
  privacy: { label: 'Privacy' },
  userIdSource: { label: 'User id sent to the tool' },
  presentation: { label: 'Open', expect: 'Choose In a frame or In a new window' },
  frameWidth: { label: 'Width (px)', expect: 'Enter a whole number of pixels from 100 to 10000, or leave it empty' },
  frameHeight: { label: 'Height (px)', expect: 'Enter a whole number of pixels from 100 to 10000, or leave it empty' },
  availableOrganizationIds: { label: 'Availability', expect: 'Add organizations you manage' },
  providerId: { label: 'LTI provider', expect: 'Choose an active LTI provider available to the organization' },
  url: {
    label: 'Resource link URL',
    expect: `Enter the tool’s launch URL (${LOCAL_HTTP}), e.g. https://tool.example.com/launch`,
  },
  requiresScoreForCompletion: { label: 'This resource requires a score for completion' },
  passingScore: { label: 'Passing score (%)', expect: 'Enter a percent from 0 to 100, or leave it empty' },
  email: { label: 'Email', expect: 'Enter an email address, e.g. name@example.com' },
  password: { label: 'Password' },
  courseId: { label: 'Course', expect: 'Choose a course' },
  classId: { label: 'Class', expect: 'Choose a class' },
  resourceLinkId: { label: 'LTI resource link', expect: 'Choose an LTI resource link available to the course' },
  dueAt: { label: 'Due date', expect: 'Enter a date, e.g. 2030-06-30' },
  startsAt: { label: 'Start', expect: 'Enter a date, e.g. 2030-06-01' },
  endsAt: { label: 'End', expect: 'Enter a date after the start, e.g. 2030-06-30' },
};

/** The name of the field itself: `address.street` → `street`, `redirectUris.0` → `redirectUris`. */
function ownName(field: string): string {
  return (
    field
      .split('.')
      .filter((part) => !/^\d+$/.test(part))
      .pop() ?? field
  );
}

/** The label of a field: its registered words, or its name in words (`courseId` → "Course"). */
export function labelOf(field: string): string {
  const base = ownName(field);
  const own = WORDS[base]?.label;
  if (own) return own;
  const words = base
    .replace(/Ids?$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Internal field names inside a message, as whole words: only the camelCase ones, which are no
 * English word ("the name is empty" keeps its name); longest first.
 */
const NAMES = Object.keys(WORDS)
  .filter((name) => /[A-Z]/.test(name))
  .sort((a, b) => b.length - a.length);
const NAME_PATTERN = new RegExp(`\\b(${NAMES.join('|')})\\b`, 'g');

/**
 * A message in the user's words: internal field names become labels, the message names its field's
 * label first, and says what would be right when that is known and not said already.
 */
export function inWords(field: string, message: string): string {
  const label = labelOf(field);
  const own = ownName(field);
  const leading = message.startsWith(`${own} `) ? `${label}${message.slice(own.length)}` : message;
  const named = leading.replace(NAME_PATTERN, (name) => WORDS[name].label);
  // A sentence of its own ("The file has no rows to import") keeps its form; a line's problem
  // ("Line 3: …") and a bare phrase are said of their field.
  const ownSentence = /^[A-Z]/.test(message) && !/^Line \d/.test(message);
  const expect = WORDS[own]?.expect;
  if (ownSentence && !expect) return named;
  const text = named.startsWith(label) || ownSentence ? named : `${label}: ${named}`;
  const sentence = /[.!?]$/.test(text) ? text : `${text}.`;
  return expect && !sentence.includes(expect) ? `${sentence} ${expect}.` : sentence;
}

/**
 * Every problem of a list in words; the field keys stay as they are. A problem on a line of an
 * uploaded file names the file's own column, which is the word its author used: it stays as it is.
 */
export function problemsInWords(problems: readonly FieldProblem[]): FieldProblem[] {
  return problems.map((problem) =>
    typeof problem.field === 'string' && problem.field !== '' && problem.line === undefined
      ? { ...problem, message: inWords(problem.field, problem.message) }
      : problem,
  );
}

/** A value that was not given at all, or given empty: said as such, not as a type error. */
export function missingMessage(field: string, value: unknown): string | undefined {
  if (value === undefined) return `${field} is required`;
  if (typeof value === 'string' && value.trim() === '') return `${field} is empty`;
  if (Array.isArray(value) && value.length === 0) return `${field} is empty`;
  return undefined;
}
