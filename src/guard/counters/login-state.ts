// The per-attempt state of login decisions — what is known about the account, the address, its
// network and the device — behind one port with two implementations: generic counter ops for a
// shared store (Redis, several nodes: `OpsLoginState`) and per-entity records updated in place for
// one node (`MemoryLoginState`). Both answer the same numbers for the same stream of attempts
// (login-state.test.ts replays one through both). The shop-wide counters (surge, baseline) are
// not here: they are a handful of global keys the engine reads once a second.
import type { CounterOp } from './counter-store.ts';

/** The keys of one attempt: keyed hashes (no personal data) and the readable networks. */
export interface LoginSubject {
  account: string;
  ip: string;
  /** "/24" or "/56" network. */
  prefix: string;
  device?: string;
  attemptId?: string;
}

/** Everything evaluate reads about one attempt, at one instant. */
export interface AttemptCounts {
  /** The device signed in successfully to this account before. */
  deviceKnown: boolean;
  networkKnown: boolean;
  wideNetworkKnown: boolean;
  /** The account signed in at this 4-hour block of the day before. */
  timeKnown: boolean;
  accountFailuresHour: number;
  accountConsecutive: number;
  accountUnknownDeviceFailuresHour: number;
  ipFailuresHour: number;
  ipSuccessesHour: number;
  prefixFailuresHour: number;
  prefixSuccessesHour: number;
  ipFailedUsernames: number;
  prefixFailedUsernames: number;
  ipUnknownUsers: number;
  ipSuccessfulAccountsDay: number;
  prefixSuccessfulAccountsDay: number;
  /**
   * The provider-sized network (IPv4 /16, IPv6 /32) of the attempt, over the last hour: attempts
   * on devices their account did not know, counted when evaluated (so attempts a bot abandons
   * after a challenge still count; this one not yet), and how many of them succeeded — stuffing is
   * made of the unsuccessful rest, real customers' new phones mostly succeed — against the
   * distinct accounts that signed in through it (any device). And the accounts that signed in
   * through it *on a device they had used before* in the last day: the shop's regular customers.
   */
  providerUnknownDeviceAttemptsHour: number;
  providerUnknownDeviceSuccessesHour: number;
  providerSuccessfulAccountsHour: number;
  providerRegularAccountsDay: number;
  deviceUsedHere: boolean;
  deviceUsedInProvider: boolean;
  accountHasHistory: boolean;
  deviceFailuresHour: number;
  deviceFailedUsernames: number;
  /** The device signed in successfully to some account before (false without a device id). */
  deviceSeen: boolean;
  /** Shop-level facts, not counts of this attempt: left false here, the engine fills them in
   * (one object per decision instead of two). */
  surge: boolean;
  shopUnderAttack: boolean;
}

/** What recording a result needs to know first. */
export interface ResultCounts {
  /** The attempt id was recorded already (a retried call); it is now remembered for a day. */
  duplicate: boolean;
  deviceKnown: boolean;
  deviceSeen: boolean;
  /** Consecutive failures on the account before this result. */
  consecutive: number;
}

export type LoginOutcome = 'success' | 'failure' | 'unknown_user';

export interface LoginState {
  /**
   * The counts of an attempt. `wide` is the provider-sized network around its prefix (IPv4 /16,
   * IPv6 /32), `block` the 4-hour block of the day (0–5).
   */
  read(s: LoginSubject, wide: string, block: number): AttemptCounts | Promise<AttemptCounts>;
  /** The counts a result depends on; marks the attempt id as seen. */
  before(s: LoginSubject): ResultCounts | Promise<ResultCounts>;
  /**
   * Applies shop-wide counter ops (global keys; nothing is read back), and with `unknownDeviceIn`
   * counts an attempt on a device its account does not know in that provider-sized network.
   */
  share(ops: readonly CounterOp[], unknownDeviceIn?: string): void | Promise<unknown>;
  /** Records an outcome, together with `shared` (shop-wide counter ops) in one batch. */
  write(s: LoginSubject, wide: string, block: number, outcome: LoginOutcome, deviceKnown: boolean, shared: readonly CounterOp[]): void | Promise<unknown>;
}
