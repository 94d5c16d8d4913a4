// The login state as counter ops on any CounterStore: one key per counter, so a shared store
// (Redis) serves every node, and a decision is one batch (one Lua script) to read and one to write.
import type { CounterOp, CounterStore } from './counter-store.ts';
import type { AttemptCounts, LoginOutcome, LoginState, LoginSubject, ResultCounts } from './login-state.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const k = {
  devices: (a: LoginSubject) => `kd:${a.account}`,
  /** Devices that signed in successfully to any account: "fresh" devices are the others. */
  seenDevice: (a: LoginSubject) => (a.device !== undefined ? `kg:${a.device}` : 'kg:-'),
  networks: (a: LoginSubject) => `kn:${a.account}`,
  wideNetworks: (a: LoginSubject) => `kw:${a.account}`,
  times: (a: LoginSubject) => `kt:${a.account}`,
  acctFail: (a: LoginSubject) => `af:${a.account}`,
  acctUnknownFail: (a: LoginSubject) => `au:${a.account}`,
  acctConsec: (a: LoginSubject) => `ac:${a.account}`,
  ipFail: (a: LoginSubject) => `if:${a.ip}`,
  ipOk: (a: LoginSubject) => `is:${a.ip}`,
  ipUsers: (a: LoginSubject) => `iu:${a.ip}`,
  ipUnknown: (a: LoginSubject) => `ix:${a.ip}`,
  pfxFail: (a: LoginSubject) => `pf:${a.prefix}`,
  pfxOk: (a: LoginSubject) => `ps:${a.prefix}`,
  ipOkAccounts: (a: LoginSubject) => `ia:${a.ip}`,
  pfxOkAccounts: (a: LoginSubject) => `pa:${a.prefix}`,
  pfxUsers: (a: LoginSubject) => `pu:${a.prefix}`,
  provTried: (wide: string) => `we:${wide}`,
  provUnknownOk: (wide: string) => `wu:${wide}`,
  provRegulars: (wide: string) => `wa:${wide}`,
  provOkAccounts: (wide: string) => `wo:${wide}`,
  devFail: (a: LoginSubject) => `df:${a.device}`,
  devUsers: (a: LoginSubject) => `du:${a.device}`,
};

export class OpsLoginState implements LoginState {
  constructor(
    private readonly store: CounterStore,
    /** How long a device, network or time of day stays known after a successful sign-in. */
    private readonly knownForMs: number,
  ) {}

  async read(a: LoginSubject, wide: string, block: number): Promise<AttemptCounts> {
    const dev = a.device !== undefined;
    const ops: CounterOp[] = [
      { kind: 'member', key: k.devices(a), member: a.device ?? '-', add: false, ttlMs: 1 },
      { kind: 'member', key: k.networks(a), member: a.prefix, add: false, ttlMs: 1 },
      { kind: 'member', key: k.wideNetworks(a), member: wide, add: false, ttlMs: 1 },
      { kind: 'member', key: k.times(a), member: String(block), add: false, ttlMs: 1 },
      { kind: 'count', key: k.acctFail(a), windowMs: HOUR, add: 0 },
      { kind: 'count', key: k.acctConsec(a), windowMs: DAY, add: 0 },
      { kind: 'count', key: k.acctUnknownFail(a), windowMs: HOUR, add: 0 },
      { kind: 'count', key: k.ipFail(a), windowMs: HOUR, add: 0 },
      { kind: 'count', key: k.ipOk(a), windowMs: HOUR, add: 0 },
      { kind: 'count', key: k.pfxFail(a), windowMs: HOUR, add: 0 },
      { kind: 'count', key: k.pfxOk(a), windowMs: HOUR, add: 0 },
      { kind: 'distinct', key: k.ipUsers(a), windowMs: HOUR },
      { kind: 'distinct', key: k.pfxUsers(a), windowMs: HOUR },
      { kind: 'count', key: k.ipUnknown(a), windowMs: HOUR, add: 0 },
      { kind: 'distinct', key: k.ipOkAccounts(a), windowMs: DAY },
      { kind: 'distinct', key: k.pfxOkAccounts(a), windowMs: DAY },
      { kind: 'member', key: k.seenDevice(a), member: '1', add: false, ttlMs: 1 },
      { kind: 'member', key: k.seenDevice(a), member: a.prefix, add: false, ttlMs: 1 },
      { kind: 'member', key: k.seenDevice(a), member: wide, add: false, ttlMs: 1 },
      { kind: 'member', key: k.devices(a), member: '*', add: false, ttlMs: 1 },
      { kind: 'count', key: k.provTried(wide), windowMs: HOUR, add: 0 },
      { kind: 'count', key: k.provUnknownOk(wide), windowMs: HOUR, add: 0 },
      { kind: 'distinct', key: k.provRegulars(wide), windowMs: DAY },
      { kind: 'distinct', key: k.provOkAccounts(wide), windowMs: HOUR },
      ...(dev
        ? ([
            { kind: 'count', key: k.devFail(a), windowMs: HOUR, add: 0 },
            { kind: 'distinct', key: k.devUsers(a), windowMs: DAY },
          ] as CounterOp[])
        : []),
    ];
    const v = await this.store.apply(ops);
    return {
      deviceKnown: dev && v[0] === 1,
      networkKnown: v[1] === 1,
      wideNetworkKnown: v[2] === 1,
      timeKnown: v[3] === 1,
      accountFailuresHour: v[4]!,
      accountConsecutive: v[5]!,
      accountUnknownDeviceFailuresHour: v[6]!,
      ipFailuresHour: v[7]!,
      ipSuccessesHour: v[8]!,
      prefixFailuresHour: v[9]!,
      prefixSuccessesHour: v[10]!,
      ipFailedUsernames: v[11]!,
      prefixFailedUsernames: v[12]!,
      ipUnknownUsers: v[13]!,
      ipSuccessfulAccountsDay: v[14]!,
      prefixSuccessfulAccountsDay: v[15]!,
      deviceUsedHere: dev && v[17] === 1,
      deviceUsedInProvider: dev && v[18] === 1,
      accountHasHistory: v[19] === 1,
      providerUnknownDeviceAttemptsHour: v[20]!,
      providerUnknownDeviceSuccessesHour: v[21]!,
      providerRegularAccountsDay: v[22]!,
      providerSuccessfulAccountsHour: v[23]!,
      deviceFailuresHour: dev ? v[24]! : 0,
      deviceFailedUsernames: dev ? v[25]! : 0,
      deviceSeen: dev && v[16] === 1,
      surge: false,
      shopUnderAttack: false,
    };
  }

  async before(a: LoginSubject): Promise<ResultCounts> {
    const dev = a.device !== undefined;
    const [dup, known, seen, consec] = await this.store.apply([
      { kind: 'member', key: a.attemptId ? `at:${a.attemptId}` : 'at:-', member: '1', add: a.attemptId !== undefined, ttlMs: DAY },
      { kind: 'member', key: k.devices(a), member: a.device ?? '-', add: false, ttlMs: 1 },
      { kind: 'member', key: k.seenDevice(a), member: '1', add: false, ttlMs: 1 },
      { kind: 'count', key: k.acctConsec(a), windowMs: DAY, add: 0 },
    ]);
    return { duplicate: a.attemptId !== undefined && dup === 1, deviceKnown: dev && known === 1, deviceSeen: dev && seen === 1, consecutive: consec! };
  }

  share(ops: readonly CounterOp[], unknownDeviceIn?: string): Promise<unknown> {
    return this.store.apply(unknownDeviceIn === undefined ? ops : [...ops, { kind: 'count', key: k.provTried(unknownDeviceIn), windowMs: HOUR, add: 1 }]);
  }

  write(a: LoginSubject, wide: string, block: number, outcome: LoginOutcome, deviceKnown: boolean, shared: readonly CounterOp[]): Promise<unknown> {
    const dev = a.device !== undefined;
    const ttl = this.knownForMs;
    const ops = [...shared];
    if (outcome === 'success') {
      ops.push(
        { kind: 'count', key: k.ipOk(a), windowMs: HOUR, add: 1 },
        { kind: 'count', key: k.pfxOk(a), windowMs: HOUR, add: 1 },
        { kind: 'reset', key: k.acctConsec(a) },
        { kind: 'member', key: k.devices(a), member: '*', add: true, ttlMs: ttl },
        { kind: 'member', key: k.networks(a), member: a.prefix, add: true, ttlMs: ttl },
        { kind: 'member', key: k.wideNetworks(a), member: wide, add: true, ttlMs: ttl },
        { kind: 'member', key: k.times(a), member: String(block), add: true, ttlMs: ttl },
        { kind: 'distinct', key: k.ipOkAccounts(a), windowMs: DAY, member: a.account },
        { kind: 'distinct', key: k.pfxOkAccounts(a), windowMs: DAY, member: a.account },
        { kind: 'distinct', key: k.provOkAccounts(wide), windowMs: HOUR, member: a.account },
      );
      ops.push(
        deviceKnown
          ? { kind: 'distinct', key: k.provRegulars(wide), windowMs: DAY, member: a.account }
          : { kind: 'count', key: k.provUnknownOk(wide), windowMs: HOUR, add: 1 },
      );
      if (dev) {
        ops.push(
          { kind: 'member', key: k.devices(a), member: a.device!, add: true, ttlMs: ttl },
          { kind: 'member', key: k.seenDevice(a), member: '1', add: true, ttlMs: ttl },
          { kind: 'member', key: k.seenDevice(a), member: a.prefix, add: true, ttlMs: ttl },
          { kind: 'member', key: k.seenDevice(a), member: wide, add: true, ttlMs: ttl },
        );
      }
    } else {
      ops.push(
        { kind: 'count', key: k.acctFail(a), windowMs: HOUR, add: 1 },
        { kind: 'count', key: k.acctConsec(a), windowMs: DAY, add: 1 },
        { kind: 'count', key: k.ipFail(a), windowMs: HOUR, add: 1 },
        { kind: 'count', key: k.pfxFail(a), windowMs: HOUR, add: 1 },
        { kind: 'distinct', key: k.ipUsers(a), windowMs: HOUR, member: a.account },
        { kind: 'distinct', key: k.pfxUsers(a), windowMs: HOUR, member: a.account },
      );
      if (!deviceKnown) ops.push({ kind: 'count', key: k.acctUnknownFail(a), windowMs: HOUR, add: 1 });
      if (outcome === 'unknown_user') ops.push({ kind: 'count', key: k.ipUnknown(a), windowMs: HOUR, add: 1 });
      if (dev)
        ops.push({ kind: 'count', key: k.devFail(a), windowMs: HOUR, add: 1 }, { kind: 'distinct', key: k.devUsers(a), windowMs: DAY, member: a.account });
    }
    return this.store.apply(ops);
  }
}
