// Two baselines implemented from their published defaults, counting in simulated time.
//  - rate-limiter-flexible "login endpoint protection" recipe (its wiki): block an IP after 100
//    failed attempts per day; block a username+IP pair after 10 consecutive failures (reset on
//    success). Windows are fixed, starting at the first failure, as in the library.
//  - Auth0 attack protection defaults: brute-force protection blocks an account+IP pair after 10
//    failed attempts (until a success/reset); suspicious-IP throttling blocks an IP after 100
//    failed logins within 24 hours.
// bench/guard.ts runs the real rate-limiter-flexible library for the throughput comparison.
import type { LoginDefender } from './replay.ts';

const DAY = 86_400_000;

class FixedWindow {
  private readonly m = new Map<string, { n: number; until: number }>();
  constructor(private readonly ms: number) {}
  get(key: string, now: number): number {
    const e = this.m.get(key);
    if (!e || e.until <= now) return 0;
    return e.n;
  }
  inc(key: string, now: number) {
    const e = this.m.get(key);
    if (!e || e.until <= now) this.m.set(key, { n: 1, until: now + this.ms });
    else e.n++;
  }
  delete(key: string) {
    this.m.delete(key);
  }
}

export class RlfLoginRecipe implements LoginDefender {
  readonly name = 'rate-limiter-flexible recipe';
  private readonly ip = new FixedWindow(DAY);
  private readonly userIp = new FixedWindow(90 * DAY);
  async before(a: { username: string; ip: string }, now: number) {
    if (this.ip.get(a.ip, now) >= 100 || this.userIp.get(`${a.username}_${a.ip}`, now) >= 10) return 'deny' as const;
    return 'allow' as const;
  }
  async after(a: { username: string; ip: string }, outcome: string, now: number) {
    if (outcome === 'success') this.userIp.delete(`${a.username}_${a.ip}`);
    else {
      this.ip.inc(a.ip, now);
      this.userIp.inc(`${a.username}_${a.ip}`, now);
    }
  }
}

export class Auth0Defaults implements LoginDefender {
  readonly name = 'Auth0 defaults';
  private readonly accountIp = new Map<string, number>();
  private readonly ipFails = new Map<string, number[]>();
  async before(a: { username: string; ip: string }, now: number) {
    if ((this.accountIp.get(`${a.username}|${a.ip}`) ?? 0) >= 10) return 'deny' as const;
    const f = this.ipFails.get(a.ip);
    if (f && f.filter((t) => t > now - DAY).length >= 100) return 'deny' as const;
    return 'allow' as const;
  }
  async after(a: { username: string; ip: string }, outcome: string, now: number) {
    const k = `${a.username}|${a.ip}`;
    if (outcome === 'success') this.accountIp.delete(k);
    else {
      this.accountIp.set(k, (this.accountIp.get(k) ?? 0) + 1);
      let f = this.ipFails.get(a.ip);
      if (!f) this.ipFails.set(a.ip, (f = []));
      f.push(now);
      if (f.length > 200)
        this.ipFails.set(
          a.ip,
          f.filter((t) => t > now - DAY),
        );
    }
  }
}
