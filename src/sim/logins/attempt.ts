// One simulated sign-in attempt, legitimate or an attack's (shared by traffic and attacks).
export interface LoginAttempt {
  t: number;
  username: string;
  ip: string;
  device?: string;
  /** The shop's breached-password check of the submitted password. */
  passwordBreached: boolean;
  /** What the password check will say if the attempt gets that far. */
  outcome: 'success' | 'failure' | 'unknown_user';
  actor: 'legit' | 'attack';
  /** Attack run index, for per-shape reporting. */
  attack?: number;
  warmup?: boolean;
}
