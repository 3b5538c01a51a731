// Invitation codes made to be read off paper and typed: 16 characters of Crockford's base32 (no I,
// L, O or U, so nothing looks like 1, 0 or V) in groups of four, 80 random bits. Typed in lower case,
// without the dashes or with spaces, a code is read back to the form it was made in.
import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 4;
const GROUP_LENGTH = 4;

export function newLetterCode(): string {
  const characters = Array.from({ length: GROUPS * GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return Array.from({ length: GROUPS }, (_, group) =>
    characters.slice(group * GROUP_LENGTH, (group + 1) * GROUP_LENGTH).join(''),
  ).join('-');
}

/**
 * A typed code in the form letter codes are made in, or undefined when it cannot be one. Crockford's
 * rule reads the look-alikes: I and L as 1, O as 0.
 */
export function letterCodeAsMade(typed: string): string | undefined {
  const plain = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (plain.length !== GROUPS * GROUP_LENGTH || [...plain].some((character) => !ALPHABET.includes(character))) return undefined;
  return plain.match(new RegExp(`.{${GROUP_LENGTH}}`, 'g'))?.join('-');
}
