import type { Membership } from '../../src/domain/users';
import type { KeyKind, User } from '../../src/domain/types';

/** What every `me` shaping function receives. */
export interface MeEntity {
  user: User;
  keyKind: KeyKind;
  teams: Membership[];
}
