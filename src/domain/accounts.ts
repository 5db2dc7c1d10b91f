import { randomBytes } from 'node:crypto';
import { DomainError } from './errors';
import type { PasswordHasher } from './passwords';
import { normalisePassword, PASSWORD_MAX, PASSWORD_MIN } from './passwords';
import type { CredentialRepository } from './repository';
import type { User } from './types';

/** What a new account is created from, already shaped by the request schema. */
export interface NewAccount {
  email: string;
  password: string;
  name: string;
}

/** Accounts: sign-up, password checks and password changes. */
export interface AccountService {
  /** Creates a user with a password; 'email-taken' when the address is registered, 'invalid' for a bad password. */
  register(input: NewAccount): Promise<User>;
  /**
   * The user an e-mail and password belong to, or null. An unknown e-mail costs one verification
   * as a wrong password does, so neither the answer nor its time tells which it was.
   */
  verifyLogin(email: string, password: string): Promise<string | null>;
  /** Replaces the password after checking the current one; every session and token of the user is revoked. */
  changePassword(userId: string, current: string, next: string): Promise<void>;
}

/** E-mail addresses compare case-insensitively: stored and looked up trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** NIST SP 800-63B §5.1.1.2: 8 to 128 characters (code points, after normalisation), nothing else imposed. */
function passwordProblem(password: string, pointer: string): DomainError | null {
  const length = [...normalisePassword(password)].length;
  if (length >= PASSWORD_MIN && length <= PASSWORD_MAX) return null;
  const detail = `${pointer} must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters long`;
  return new DomainError('invalid', detail, [{ pointer, detail }]);
}

/** Builds the account service over the credential repository. */
export function createAccountService(deps: { credentials: CredentialRepository; hasher: PasswordHasher; now: () => Date }): AccountService {
  const { credentials, hasher } = deps;
  return {
    async register(input) {
      const weak = passwordProblem(input.password, '/password');
      if (weak) throw weak;
      const user: User = { id: `usr_${randomBytes(8).toString('hex')}`, name: input.name.trim() || input.name, email: normaliseEmail(input.email), avatarUrl: null, createdAt: deps.now() };
      const hash = await hasher.hash(input.password);
      if (!(await credentials.createAccount(user, hash))) throw new DomainError('email-taken', 'An account with this e-mail address already exists.');
      return user;
    },
    async verifyLogin(email, password) {
      const login = await credentials.findLogin(normaliseEmail(email));
      if (!login) {
        await hasher.verifyNothing(password);
        return null;
      }
      return (await hasher.verify(password, login.passwordHash)) ? login.userId : null;
    },
    async changePassword(userId, current, next) {
      const stored = await credentials.passwordOf(userId);
      if (stored === null || !(await hasher.verify(current, stored))) {
        const detail = '/currentPassword is not the current password';
        throw new DomainError('invalid', detail, [{ pointer: '/currentPassword', detail }]);
      }
      const weak = passwordProblem(next, '/newPassword');
      if (weak) throw weak;
      await credentials.setPassword(userId, await hasher.hash(next), deps.now());
    },
  };
}
