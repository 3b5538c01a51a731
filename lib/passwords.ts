// Password and secret hashing with node's scrypt (no native dependency): meters' broker
// passwords, account passwords. Stored as "scrypt$<salt>$<hash>" (base64).
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
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
