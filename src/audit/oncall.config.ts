// Settings of the on-call push (config file `areas.audit.oncall`), with defaults. The shape is
// checked by the config schema (src/config/config.schema.ts) before this runs.
export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const TARGET_KINDS = ['dingtalk', 'wecom', 'feishu', 'webhook', 'email'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export interface OnCallTarget {
  kind: TargetKind;
  /** A name for logs and metrics (default: the kind and its position). */
  name?: string;
  /** The robot's or receiver's webhook URL (not for e-mail). */
  url?: string;
  /** DingTalk "加签" secret (SEC…), Feishu signing secret, or the generic webhook's shared secret. */
  secret?: string;
  /** E-mail recipients (e-mail targets). */
  to?: string[];
  /** The least severity pushed to this target (default medium). */
  minSeverity?: Severity;
}

export interface OnCallConfig {
  targets: OnCallTarget[];
  /** SMTP server for e-mail targets. */
  smtp?: { host: string; port: number; secure?: boolean; user?: string; pass?: string; from: string };
  /** The same alert (kind and principal) is pushed at most once per this many minutes. */
  dedupMinutes: number;
  /** More than `max` messages to one target within `windowSeconds`: the rest go out as one digest at the window's end. */
  flood: { max: number; windowSeconds: number };
  /** Per-request timeout. */
  timeoutMs: number;
}

export function onCallConfig(areas: Record<string, unknown>): OnCallConfig {
  const c = (((areas.audit ?? {}) as { oncall?: Partial<OnCallConfig> }).oncall ?? {}) as Partial<OnCallConfig>;
  return {
    targets: c.targets ?? [],
    smtp: c.smtp,
    dedupMinutes: c.dedupMinutes ?? 60,
    flood: { max: c.flood?.max ?? 5, windowSeconds: c.flood?.windowSeconds ?? 300 },
    timeoutMs: c.timeoutMs ?? 10_000,
  };
}
