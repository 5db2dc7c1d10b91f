import type Database from 'better-sqlite3';
import type { UserRepository } from '../../domain/repository';
import { toUser } from '../rows';
import type { UserRow } from '../rows';

/** Users, teams and memberships in SQLite. */
export function createSqliteUsers(db: Database.Database): UserRepository {
  const q = {
    byName: db.prepare<[string], UserRow>('SELECT * FROM users WHERE name = ? ORDER BY created_at LIMIT 1'),
    byId: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    insert: db.prepare('INSERT INTO users (id, name, email, avatar_url, created_at) VALUES (?, ?, ?, ?, ?)'),
    insertTeam: db.prepare('INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?)'),
    insertMember: db.prepare('INSERT INTO team_members (team_id, user_id, role) VALUES (?, ?, ?)'),
    teamsOf: db.prepare<[string], { id: string; name: string; role: string }>(
      'SELECT t.id, t.name, m.role FROM teams t JOIN team_members m ON m.team_id = t.id WHERE m.user_id = ? ORDER BY t.name'),
    team: db.prepare<[string], { id: string; name: string; created_at: number }>('SELECT * FROM teams WHERE id = ?'),
    members: db.prepare<[string], UserRow & { role: string }>(
      'SELECT u.*, m.role FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = ? ORDER BY u.name'),
  };
  const createTeam = db.transaction((team: { id: string; name: string; createdAt: Date }, members: { userId: string; role: string }[]) => {
    q.insertTeam.run(team.id, team.name, team.createdAt.getTime());
    for (const m of members) q.insertMember.run(team.id, m.userId, m.role);
  });
  return {
    async findById(id) {
      const row = q.byId.get(id);
      return row ? toUser(row) : null;
    },
    async findByName(name) {
      const row = q.byName.get(name);
      return row ? toUser(row) : null;
    },
    async teamsOf(userId) {
      return q.teamsOf.all(userId).map((t) => ({ id: t.id, name: t.name, role: t.role }));
    },
    async findTeam(id) {
      const team = q.team.get(id);
      if (!team) return null;
      const members = q.members.all(id).map((row) => ({ user: toUser(row), role: row.role }));
      return { id: team.id, name: team.name, createdAt: new Date(team.created_at), members };
    },
    async insert(user) {
      q.insert.run(user.id, user.name, user.email, user.avatarUrl, user.createdAt.getTime());
    },
    async createTeam(team, members) {
      createTeam.immediate(team, members);
    },
  };
}
