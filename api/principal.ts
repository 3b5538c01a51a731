// Who is calling: what the auth plugin finds on a request, and what services are told about the caller.
import type { Role } from '../domain/people.ts';

export interface Principal {
  accountId: string;
  role: Role;
  householdId?: string;
  /** The neighbourhood a champion or utility acts for, or a household lives in. */
  neighbourhoodId?: string;
  via: 'session' | 'token';
  csrfToken?: string;
}
