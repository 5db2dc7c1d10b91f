import type { UserRepository } from '../../domain/repository';
import type { Db } from './db';
import { notify } from './db';
import { toUser } from '../rows';
import type { UserRow } from '../rows';

// Names sort byte-wise ("C"), as SQLite sorts them, whatever the database's locale.
/** Users, teams and memberships in PostgreSQL. */
export function createPostgresUsers(db: Db): UserRepository {
  const accounts = notify({ kind: 'accounts' });
  return {
    async findById(id) {
      const [row] = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
      return row ? toUser(row) : null;
    },
    async findByName(name) {
      const [row] = await db.query<UserRow>('SELECT * FROM users WHERE name = $1 ORDER BY created_at LIMIT 1', [name]);
      return row ? toUser(row) : null;
    },
    async teamsOf(userId) {
      return db.query<{ id: string; name: string; role: string }>(
        'SELECT t.id, t.name, m.role FROM teams t JOIN team_members m ON m.team_id = t.id WHERE m.user_id = $1 ORDER BY t.name COLLATE "C"', [userId]);
    },
    async findTeam(id) {
      const [team] = await db.query<{ id: string; name: string; created_at: number }>('SELECT * FROM teams WHERE id = $1', [id]);
      if (!team) return null;
      const members = await db.query<UserRow & { role: string }>(
        'SELECT u.*, m.role FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = $1 ORDER BY u.name COLLATE "C"', [id]);
      return { id: team.id, name: team.name, createdAt: new Date(team.created_at), members: members.map((row) => ({ user: toUser(row), role: row.role })) };
    },
    async insert(user) {
      await db.transaction(async (client) => {
        await client.query('INSERT INTO users (id, name, email, avatar_url, created_at) VALUES ($1, $2, $3, $4, $5)',
          [user.id, user.name, user.email, user.avatarUrl, user.createdAt.getTime()]);
        await client.query(...accounts);
      });
    },
    async createTeam(team, members) {
      await db.transaction(async (client) => {
        await client.query('INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3)', [team.id, team.name, team.createdAt.getTime()]);
        for (const m of members) await client.query('INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, $3)', [team.id, m.userId, m.role]);
        await client.query(...accounts);
      });
    },
  };
}
