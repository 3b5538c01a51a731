// Household aliases: the names on leaderboards. One rule for every way an alias is set (sign-up,
// demo and seeds): NFKC-normalised, printable, no invisible or direction-changing characters,
// one alphabet among Latin, Greek and Cyrillic, and told apart from the neighbours' by `aliasKey`.

export const ALIAS_LENGTH = { min: 2, max: 40 } as const;

// Characters that render as nothing, or change how the text around them is shown (Unicode
// TR36 §3 and UTS #39): controls, format characters (zero-width space and joiners, bidi
// overrides and isolates, tags, soft hyphen), separators other than a space, private use,
// unassigned code points, and blank letters (Hangul fillers, braille blank, variation selectors).
const hidden =
  /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0]|\u034f|\p{Variation_Selector}/u;
// Emoji are welcome, with the joiners and presentation selectors their sequences need (🌧️, 👩‍👧).
const emojiJoiners =
  /(?<=\p{Extended_Pictographic})\ufe0f|(?<=\p{Extended_Pictographic}\ufe0f?)\u200d(?=\p{Extended_Pictographic})/gu;
/** Whether the text holds a character that shows as nothing or moves the text around it (emoji sequences aside). */
export const hasHiddenCharacters = (text: string) => hidden.test(text.replace(emojiJoiners, ''));
const confusableScripts = [/\p{Script=Latin}/u, /\p{Script=Greek}/u, /\p{Script=Cyrillic}/u];

/** `reason` names the rule broken, for clients to word it; `problem` says it in English. */
export type AliasCheck = { alias: string } | { problem: string; reason: AliasProblem };
export type AliasProblem = 'alias_hidden_characters' | 'alias_length' | 'alias_no_letter' | 'alias_mixed_alphabets';

/** The alias as it is kept (NFKC, spaces trimmed and single), or why it is refused, in plain words. */
export function checkAlias(raw: string): AliasCheck {
  if (hasHiddenCharacters(raw))
    return {
      problem: 'use only visible characters (no control, zero-width or text-direction characters)',
      reason: 'alias_hidden_characters',
    };
  const alias = raw.normalize('NFKC').replace(/\s+/gu, ' ').trim();
  // NFKC can itself produce such characters from compatibility forms: check again.
  if (hasHiddenCharacters(alias))
    return {
      problem: 'use only visible characters (no control, zero-width or text-direction characters)',
      reason: 'alias_hidden_characters',
    };
  const length = [...alias].length;
  if (length < ALIAS_LENGTH.min || length > ALIAS_LENGTH.max)
    return { problem: `use ${ALIAS_LENGTH.min} to ${ALIAS_LENGTH.max} characters`, reason: 'alias_length' };
  if (!/[\p{L}\p{N}]/u.test(alias)) return { problem: 'use at least one letter or digit', reason: 'alias_no_letter' };
  // "Swіft" with a Cyrillic і looks like "Swift": one alphabet per alias.
  if (confusableScripts.filter((script) => script.test(alias)).length > 1)
    return { problem: 'use letters of one alphabet (do not mix Latin, Greek and Cyrillic)', reason: 'alias_mixed_alphabets' };
  return { alias };
}

/** What two aliases must not share within a neighbourhood: the alias case-folded ("Straße" = "STRASSE"), emoji joiners aside. */
export function aliasKey(alias: string): string {
  // Upper then lower case folds more than lower case alone (ß → SS → ss, ς → Σ → σ).
  return alias
    .normalize('NFKC')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\ufe0e\ufe0f\u200d]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();
}
