// Who may connect to the embedded broker. Meters publish only as themselves; OnTap's own
// services (ingest, the demo) may subscribe. Passwords are kept as scrypt hashes.
import { hashPassword, type PasswordHash, verifyPassword } from '../lib/passwords.ts';

export { hashPassword, type PasswordHash, verifyPassword };

/** A meter connects only with `clientId` (its user name when absent); a service with an `ontap-…` one. */
export type BrokerIdentity = { role: 'meter'; meterId: string; clientId?: string } | { role: 'service'; name: string };

/** Answers who a username/password pair is, or null. Implemented in memory here and by the API's meter store. */
export interface BrokerAuthority {
  authenticate(username: string, password: string): Promise<BrokerIdentity | null>;
}

/** An in-memory authority: enough for tests and for the services OnTap runs itself. */
export class CredentialBook implements BrokerAuthority {
  private readonly entries = new Map<string, { identity: BrokerIdentity; password: PasswordHash }>();

  async add(username: string, password: string, identity: BrokerIdentity): Promise<void> {
    this.entries.set(username, { identity, password: await hashPassword(password) });
  }

  async authenticate(username: string, password: string): Promise<BrokerIdentity | null> {
    const entry = this.entries.get(username);
    if (!entry) return null;
    return (await verifyPassword(password, entry.password)) ? entry.identity : null;
  }
}

/** Asks several authorities in turn (e.g. OnTap's own services, then the meter store). */
export function firstOf(...authorities: BrokerAuthority[]): BrokerAuthority {
  return {
    async authenticate(username, password) {
      for (const authority of authorities) {
        const identity = await authority.authenticate(username, password);
        if (identity) return identity;
      }
      return null;
    },
  };
}
