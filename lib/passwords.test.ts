// The new-password rule by itself. The attacks through sign-up are in api/routes/auth/hardening.test.ts;
// here, that it does not refuse what people should be choosing.
import { describe, expect, it } from 'vitest';
import { passwordProblem } from './passwords.ts';

describe('new passwords', () => {
  it.each([
    'correct horse battery staple',
    'kettle lantern orchard',
    'Tr0ub4dor&3xyz',
    '9371-rtyu-5820-!',
    'zx81-spectrum-c64',
    'mot de passe très long',
    'K8#vQ2!mWp4z',
  ])('accepts %j', (password) => {
    expect(passwordProblem(password, 'someone@example.org')).toBeUndefined();
  });

  it.each([
    ['Password2024!', /most common/],
    ['letmein-letmein', /most common/],
    ['$unshine12345', /most common/],
    ['asdfghjkl;123', /most common|run of keys/],
    ['9876543210987', /run of keys/],
    ['someone@example.org', /email address/],
    ['Someone!2024', /email address/],
    ['abcabcabcabc', /different characters/],
  ])('refuses %j', (password, reason) => {
    expect(passwordProblem(password, 'someone@example.org')).toMatch(reason);
  });
});
