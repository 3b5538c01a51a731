// Accounts: the bodies and responses of sign-up, sign-in, who am I, and API tokens.
import { z } from 'zod';
import { roles } from '../../domain/people.ts';
import { PASSWORD_MIN_LENGTH, passwordProblem } from '../../lib/passwords.ts';
import { aliasSchema, idSchema } from './common.ts';

// Sign-in takes any password an account may have (10 characters was the minimum before 12).
export const credentialsSchema = z.object({
  email: z.email().max(200),
  password: z.string().min(10, 'at least 10 characters').max(200),
});
export type Credentials = z.infer<typeof credentialsSchema>;

const newCredentialsSchema = z.object({
  email: z.email().max(200),
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`)
    .max(200)
    .describe('at least 12 characters; not a common password, nor the email address'),
});

export const signUpSchema = newCredentialsSchema
  .extend({
    code: z.string().min(8).max(100),
    alias: aliasSchema
      .optional()
      .describe(
        'the name shown on leaderboards (households): 2 to 40 visible characters, one alphabet, unlike any other in the neighbourhood',
      ),
    occupants: z.number().int().min(1).max(20).optional(),
  })
  .superRefine((body, context) => {
    const problem = passwordProblem(body.password, body.email);
    if (problem) context.addIssue({ code: 'custom', path: ['password'], message: problem });
  });
export type SignUp = z.infer<typeof signUpSchema>;

export const meSchema = z.object({
  accountId: z.string(),
  role: z.enum(roles),
  householdId: z.string().nullable(),
  neighbourhoodId: z.string().nullable(),
  csrfToken: z.string().nullable().describe('send it as x-csrf-token with every state-changing request on this session'),
});
export type Me = z.infer<typeof meSchema>;

const TOKEN_DAYS = { default: 90, max: 365 } as const;

export const newApiTokenSchema = z.object({
  name: z.string().trim().min(1).max(80),
  validDays: z.number().int().min(1).max(TOKEN_DAYS.max).default(TOKEN_DAYS.default),
});
export type NewApiToken = z.infer<typeof newApiTokenSchema>;

export const createdApiTokenSchema = z.object({ id: idSchema, token: z.string(), expiresAt: z.iso.datetime() });
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  expired: z.boolean(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const tokenParamsSchema = z.object({ tokenId: idSchema });
