// Ids made from names, for people to read: lower-case ASCII letters and digits joined by hyphens
// ("Riverside Gardens" → "riverside-gardens", "Ōkubo Straße" → "okubo-strasse").

// Letters NFKD does not take apart into a Latin letter and its marks.
const spelledOut: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

const trimHyphens = (text: string) => text.replace(/^-+|-+$/g, '');

/** The name's slug, at most `max` characters; '' when it has no Latin letter or digit. */
export function slugOf(name: string, max: number): string {
  const latin = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (letter) => spelledOut[letter] ?? '-');
  return trimHyphens(trimHyphens(latin.replace(/[^a-z0-9]+/g, '-')).slice(0, max));
}

/** `base`, else `base-2`, `base-3` … (cut so as to stay within `max`): the first that is not taken. */
export function firstFreeId(base: string, taken: ReadonlySet<string>, max: number): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const id = `${trimHyphens(base.slice(0, max - suffix.length))}${suffix}`;
    if (!taken.has(id)) return id;
  }
}
