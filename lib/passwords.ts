// Password and secret hashing with node's scrypt (no native dependency): meters' broker
// passwords, account passwords. Stored as "scrypt$<salt>$<hash>" (base64).
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export interface PasswordHash {
  salt: string;
  hash: string;
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32);
  return { salt: salt.toString('base64'), hash: hash.toString('base64') };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await scrypt(password, Buffer.from(stored.salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

export const encodePasswordHash = (hash: PasswordHash) => `scrypt$${hash.salt}$${hash.hash}`;

export function decodePasswordHash(text: string): PasswordHash | undefined {
  const [scheme, salt, hash] = text.split('$');
  return scheme === 'scrypt' && salt && hash ? { salt, hash } : undefined;
}

/** A random secret for people to copy (meter passwords, invitation codes, API tokens). */
export const randomSecret = (bytes = 18) => randomBytes(bytes).toString('base64url');

/**
 * How session tokens, API tokens and invitation codes are kept: they are long random secrets, so
 * a fast hash is enough (scrypt is for passwords people choose).
 */
export const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

// A hash of a random secret nobody knows: sign-in checks unknown emails against it, so an
// unknown email costs the same scrypt as a wrong password and timing tells no one which exist.
let dummyHash: Promise<PasswordHash> | undefined;

/** Spends one scrypt on a password that matches nothing (for sign-ins with no account). */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomSecret(24));
  await verifyPassword(password, await dummyHash);
  return false;
}

export const PASSWORD_MIN_LENGTH = 12;

// The most used passwords and their roots (from the public breach lists everyone checks
// against), and words about OnTap itself: NIST SP 800-63B §5.1.1.2 asks a service to refuse
// commonly used, expected or context-specific passwords. A password is refused when, with
// digits, spaces and punctuation removed, it is one of these or one of these repeated.
const commonRoots = new Set(
  `password passw0rd passwort motdepasse contrasena qwerty qwertz azerty asdf zxcv letmein welcome iloveyou
  admin administrator root login secret monkey dragon football baseball soccer hockey sunshine princess
  shadow master superman batman trustno abc abcd abcdef abcdefg qwertyuiop asdfghjkl zxcvbnm starwars
  whatever freedom hello charlie michael jordan jennifer hunter ranger thomas killer buster tigger
  pepper ginger summer winter spring autumn flower cookie cheese chocolate computer internet google
  changeme default test testing user guest access pass mypassword yourpassword youpassword
  ontap friendsontap neighbourhood neighborhood water energy savewater savingwater challenge champion
  household utility smartmeter meter`.split(/\s+/),
);

// Runs of keys or counting that people lengthen to pass a minimum: any 6+ characters of these.
const sequences = [
  '01234567890123456789',
  'abcdefghijklmnopqrstuvwxyz',
  'qwertyuiopasdfghjklzxcvbnm',
  'qwertzuiopasdfghjklyxcvbnm',
  'azertyuiopqsdfghjklmwxcvbn',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  'qazwsxedcrfvtgbyhnujmikolp',
];

/** Is `text` nothing but a run of one of the sequences (either way round)? */
function isSequenceRun(text: string): boolean {
  if (text.length < 6) return false;
  const reversed = [...text].reverse().join('');
  return sequences.some((sequence) => sequence.includes(text) || sequence.includes(reversed));
}

/** Is `text` one piece said again and again ("abcabcabc", "passwordpassword")? */
function repeatedPiece(text: string): string | undefined {
  return /^(.+?)\1+$/.exec(text)?.[1];
}

const leet: Record<string, string> = { '@': 'a', '4': 'a', '3': 'e', '1': 'i', '!': 'i', '0': 'o', $: 's', '5': 's', '7': 't' };
const alphanumericOf = (text: string) => text.replace(/[^\p{L}\p{N}]/gu, '');
const respell = (text: string, symbolsOnly = false) =>
  [...text].map((c) => (symbolsOnly && /\p{N}|!/u.test(c) ? c : (leet[c] ?? c))).join('');
const inner = (text: string) => text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');

/** What a password comes down to once its decoration is gone: with and without l33t spelling, digits around it, repeats. */
function coresOf(lower: string): string[] {
  // "$unshine12345": the $ is a letter, the digits decoration; "p@ssw0rd!!": the 0 a letter, the !! decoration.
  const cores = [alphanumericOf(lower), alphanumericOf(inner(lower)), alphanumericOf(respell(inner(respell(lower, true))))];
  return [...cores, ...cores.map(repeatedPiece)].filter((core): core is string => core !== undefined && core !== '');
}

/**
 * Why a new password is refused, in plain words, or undefined if it is acceptable: too short,
 * too long, few different characters, the email address (or its name part), a common password
 * (also with digits or symbols around it, l33t-spelled or repeated), or a run of keys.
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  if ([...password].length < PASSWORD_MIN_LENGTH) return `use at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > 200) return 'use at most 200 characters';
  const lower = password.toLowerCase();
  if (new Set(lower).size < 5) return 'use more different characters';
  const cores = coresOf(lower);
  if (email) {
    const address = email.trim().toLowerCase();
    const name = alphanumericOf(address.split('@')[0] ?? '').replace(/^\d+|\d+$/g, '');
    if (cores.includes(alphanumericOf(address)) || (name.length >= 3 && cores.includes(name)))
      return 'do not use your email address as your password';
  }
  if (cores.some((core) => commonRoots.has(core)))
    return 'this is one of the most common passwords: choose another (a few unrelated words work well)';
  if (cores.some(isSequenceRun))
    return 'a run of keys or letters is easy to guess: choose another (a few unrelated words work well)';
  return undefined;
}
