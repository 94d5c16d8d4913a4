// Decision statistics for the console ("decisions over time", "top attacking prefixes"):
// counted in memory and added to the database every few seconds, so a decision never waits
// for a write. Additive upserts keep several nodes' flushes correct.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Decision } from './guard.engine.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

export class GuardStats {
  private minutes = new Map<number, { allow: number; challenge: number; deny: number }>();
  private prefixes = new Map<string, { day: number; prefix: string; failures: number; challenged: number; denied: number }>();

  constructor(private readonly db: Kysely<DB>) {}

  decision(d: Decision, prefix: string, now = Date.now()) {
    const m = Math.floor(now / MINUTE) * MINUTE;
    let row = this.minutes.get(m);
    if (!row) this.minutes.set(m, (row = { allow: 0, challenge: 0, deny: 0 }));
    row[d]++;
    if (d !== 'allow') {
      const p = this.prefix(prefix, now);
      if (d === 'deny') p.denied++;
      else p.challenged++;
    }
  }

  failure(prefix: string, now = Date.now()) {
    this.prefix(prefix, now).failures++;
  }

  private prefix(prefix: string, now: number) {
    const day = Math.floor(now / DAY) * DAY;
    const key = `${day}|${prefix}`;
    let p = this.prefixes.get(key);
    if (!p) this.prefixes.set(key, (p = { day, prefix, failures: 0, challenged: 0, denied: 0 }));
    return p;
  }

  async flush() {
    const minutes = this.minutes;
    const prefixes = this.prefixes;
    if (!minutes.size && !prefixes.size) return;
    this.minutes = new Map();
    this.prefixes = new Map();
    const rows = [...minutes].map(([minute, r]) => ({ minute, ...r }));
    for (let i = 0; i < rows.length; i += 500) {
      await this.db
        .insertInto('guard_stats_minutes')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) =>
          oc.column('minute').doUpdateSet({
            allow: sql`guard_stats_minutes.allow + excluded.allow`,
            challenge: sql`guard_stats_minutes.challenge + excluded.challenge`,
            deny: sql`guard_stats_minutes.deny + excluded.deny`,
          }),
        )
        .execute();
    }
    const prows = [...prefixes.values()];
    for (let i = 0; i < prows.length; i += 500) {
      await this.db
        .insertInto('guard_prefix_days')
        .values(prows.slice(i, i + 500))
        .onConflict((oc) =>
          oc.columns(['day', 'prefix']).doUpdateSet({
            failures: sql`guard_prefix_days.failures + excluded.failures`,
            challenged: sql`guard_prefix_days.challenged + excluded.challenged`,
            denied: sql`guard_prefix_days.denied + excluded.denied`,
          }),
        )
        .execute();
    }
  }

  async query(from: number, to: number, bucketMs: number, top: number) {
    await this.flush();
    const mins = await this.db.selectFrom('guard_stats_minutes').selectAll().where('minute', '>=', from).where('minute', '<', to).orderBy('minute').execute();
    const buckets = new Map<number, { allow: number; challenge: number; deny: number }>();
    for (const m of mins) {
      const b = Math.floor(Number(m.minute) / bucketMs) * bucketMs;
      let x = buckets.get(b);
      if (!x) buckets.set(b, (x = { allow: 0, challenge: 0, deny: 0 }));
      x.allow += Number(m.allow);
      x.challenge += Number(m.challenge);
      x.deny += Number(m.deny);
    }
    const prefixes = await this.db
      .selectFrom('guard_prefix_days')
      .select([
        'prefix',
        (eb) => eb.fn.sum<number>('failures').as('failures'),
        (eb) => eb.fn.sum<number>('challenged').as('challenged'),
        (eb) => eb.fn.sum<number>('denied').as('denied'),
      ])
      .where('day', '>=', Math.floor(from / DAY) * DAY)
      .where('day', '<', to)
      .groupBy('prefix')
      .orderBy(sql`sum(failures) + sum(challenged) + sum(denied)`, 'desc')
      .limit(top)
      .execute();
    return {
      buckets: [...buckets].map(([at, x]) => ({ at: new Date(at).toISOString(), ...x })),
      topPrefixes: prefixes.map((p) => ({ prefix: p.prefix, failures: Number(p.failures), challenged: Number(p.challenged), denied: Number(p.denied) })),
    };
  }
}
