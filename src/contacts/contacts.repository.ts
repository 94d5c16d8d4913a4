// Queries for contact sessions, their purge into aggregates, and the per-customer last contact.
import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ContactSessionsTable, ContactStatus } from './contacts.tables.ts';

export type SessionRow = Selectable<ContactSessionsTable>;

export class ContactsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(db: Kysely<DB>, row: ContactSessionsTable) {
    await db.insertInto('contact_sessions').values(row).execute();
    await db
      .insertInto('contact_last')
      .values({ customer_id: row.customer_id, last_contact_at: row.created_at, channel: row.channel })
      .onConflict((oc) =>
        oc.column('customer_id').doUpdateSet((eb) => ({ last_contact_at: eb.ref('excluded.last_contact_at'), channel: eb.ref('excluded.channel') })),
      )
      .execute();
  }

  get(id: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom('contact_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Moves a session to `status` only from one of `from` (a compare-and-set, safe under races). */
  async transition(id: string, from: readonly ContactStatus[], status: ContactStatus, now: number): Promise<boolean> {
    const col = status === 'ringing' ? 'ringing_at' : status === 'connected' ? 'connected_at' : 'ended_at';
    const r = await this.db
      .updateTable('contact_sessions')
      .set({ status, [col]: now, updated_at: now })
      .where('id', '=', id)
      .where('status', 'in', from as ContactStatus[])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  activeFor(customerId: string, now: number): Promise<SessionRow[]> {
    return this.db
      .selectFrom('contact_sessions')
      .selectAll()
      .where('customer_id', '=', customerId)
      .where('expires_at', '>', now)
      .where('status', '!=', 'ended')
      .orderBy('created_at', 'desc')
      .limit(5)
      .execute();
  }

  lastContact(customerId: string) {
    return this.db.selectFrom('contact_last').selectAll().where('customer_id', '=', customerId).executeTakeFirst();
  }

  /**
   * Deletes sessions that ended (or expired) before `cutoff`, adding them to the per-day, channel
   * and team aggregate in the same transaction. Works in bounded chunks; returns how many went.
   */
  async purge(cutoff: number, chunk = 1000): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('contact_sessions')
          .select(['id', 'channel', 'staff_team', 'created_at', 'connected_at'])
          .where((eb) =>
            eb.or([eb.and([eb('ended_at', 'is not', null), eb('ended_at', '<', cutoff)]), eb.and([eb('ended_at', 'is', null), eb('expires_at', '<', cutoff)])]),
          )
          .limit(chunk)
          .execute();
        if (!rows.length) return 0;
        const agg = new Map<string, { day: string; channel: string; team: string; sessions: number; connected: number }>();
        for (const r of rows) {
          const day = new Date(Number(r.created_at)).toISOString().slice(0, 10);
          const team = r.staff_team ?? '';
          const k = `${day}\u0000${r.channel}\u0000${team}`;
          const a = agg.get(k) ?? { day, channel: r.channel, team, sessions: 0, connected: 0 };
          a.sessions++;
          if (r.connected_at !== null) a.connected++;
          agg.set(k, a);
        }
        for (const a of agg.values()) {
          await trx
            .insertInto('contact_aggregates')
            .values(a)
            .onConflict((oc) =>
              oc.columns(['day', 'channel', 'team']).doUpdateSet((eb) => ({
                sessions: eb('contact_aggregates.sessions', '+', eb.ref('excluded.sessions')),
                connected: eb('contact_aggregates.connected', '+', eb.ref('excluded.connected')),
              })),
            )
            .execute();
        }
        await trx
          .deleteFrom('contact_sessions')
          .where(
            'id',
            'in',
            rows.map((r) => r.id),
          )
          .execute();
        return rows.length;
      });
      total += n;
      if (n < chunk) return total;
    }
  }

  aggregates(fromDay: string, toDay: string) {
    return this.db
      .selectFrom('contact_aggregates')
      .selectAll()
      .where('day', '>=', fromDay)
      .where('day', '<=', toDay)
      .orderBy('day')
      .orderBy('channel')
      .orderBy('team')
      .execute();
  }
}
