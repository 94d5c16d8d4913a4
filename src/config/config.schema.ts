// One TypeBox schema for the whole configuration: the JSON file (FANZHA_CONFIG), the FANZHA_*
// environment variables, and every area's section under "areas". An unknown key or a value of the
// wrong shape stops the start with a message naming the key and the shape expected, instead of
// being ignored (a misspelt "shopname" used to leave every SMS signed 【本店】).
//
// Each area's own parser (its *.config.ts) still applies defaults and the checks a schema cannot
// express; this schema is what may be written at all. Nested maps whose keys are open by design
// (guard thresholds, masking roles, notice routes) are typed by their values.
import { Type, type TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';

const Str = Type.String();
const Num = Type.Number();
const Int = Type.Integer();
const Bool = Type.Boolean();
const Strs = Type.Array(Type.String());
const NumMap = Type.Record(Type.String(), Type.Number());
const strict = <T extends Parameters<typeof Type.Object>[0]>(props: T) => Type.Object(props, { additionalProperties: false });
const opt = <T extends TSchema>(s: T) => Type.Optional(s);
const Severity = Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]);
const Webhook = strict({ url: Str, secret: Str });
const Smtp = strict({ host: Str, port: Int, secure: opt(Bool), user: opt(Str), pass: opt(Str), from: Str, requireTLS: opt(Bool) });
/** A text per language: one string for every language, or a map such as {"zh-CN": "示例商城", "en": "Example Shop"}. */
const PerLanguage = Type.Union(
  [Type.String({ minLength: 1 }), Type.Record(Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$' }), Type.String({ minLength: 1 }))],
  {
    description: 'a string (used for every language) or a per-language map such as {"zh-CN": "示例商城", "en": "Example Shop"}',
  },
);
const TimeZone = Type.String({ minLength: 1, description: 'IANA time zone, e.g. Asia/Shanghai' });

const RouteEntry = Type.Union([Str, strict({ channel: Str, langs: opt(Strs) })]);

const areas = {
  audit: strict({
    origin: opt(Str),
    checkpointEveryEntries: opt(Int),
    checkpointEverySeconds: opt(Num),
    retentionDays: opt(Int),
    prune: opt(Bool),
    shards: opt(Int),
    alerts: opt(strict({ volumeSpike: opt(NumMap), offHours: opt(NumMap), refundThenRead: opt(NumMap), sequential: opt(NumMap) })),
    oncall: opt(
      strict({
        targets: opt(
          Type.Array(
            strict({
              kind: Type.Union([Type.Literal('dingtalk'), Type.Literal('wecom'), Type.Literal('feishu'), Type.Literal('webhook'), Type.Literal('email')]),
              name: opt(Str),
              url: opt(Type.String({ pattern: '^https?://' })),
              secret: opt(Str),
              to: opt(Strs),
              minSeverity: opt(Severity),
            }),
          ),
        ),
        smtp: opt(strict({ host: Str, port: Int, secure: opt(Bool), user: opt(Str), pass: opt(Str), from: Str })),
        dedupMinutes: opt(Num),
        flood: opt(strict({ max: opt(Int), windowSeconds: opt(Num) })),
        timeoutMs: opt(Int),
      }),
    ),
  }),
  vault: strict({ masking: opt(Type.Record(Str, Type.Unknown())), quotas: opt(Type.Record(Str, Type.Unknown())), revealRoles: opt(Strs) }),
  notify: strict({
    shopName: opt(PerLanguage),
    officialDomain: opt(Str),
    defaultChannel: opt(Str),
    routes: opt(Type.Record(Str, Type.Array(RouteEntry))),
    channels: opt(
      strict({
        webhook: opt(Webhook),
        smtp: opt(Smtp),
        aliyun: opt(
          strict({ endpoint: opt(Str), accessKeyId: Str, accessKeySecret: Str, signName: Str, regionId: opt(Str), templateCodes: Type.Record(Str, Str) }),
        ),
        tencent: opt(
          strict({ endpoint: opt(Str), secretId: Str, secretKey: Str, sdkAppId: Str, signName: Str, region: opt(Str), templateIds: Type.Record(Str, Str) }),
        ),
        twilio: opt(strict({ endpoint: opt(Str), accountSid: Str, authToken: Str, from: opt(Str), messagingServiceSid: opt(Str), statusCallback: opt(Str) })),
      }),
    ),
    maxAttempts: opt(Int),
    backoffBaseMs: opt(Num),
    backoffMaxMs: opt(Num),
    leaseMs: opt(Num),
    pollMs: opt(Num),
    batchSize: opt(Int),
    concurrency: opt(Int),
    rateLimit: opt(strict({ max: opt(Int), windowMs: opt(Num) })),
    quietHours: opt(Type.Union([Type.Null(), strict({ start: opt(Int), end: opt(Int), timeZone: opt(TimeZone) })])),
    unresolvedTtlMs: opt(Num),
    refundWarningMaxAgeMs: opt(Num),
    logFile: opt(Str),
    receiptToken: opt(Str),
  }),
  contacts: strict({ sessionTtlMinutes: opt(Num), retentionHours: opt(Num), notifyOnOpen: opt(Bool), purgeIntervalMs: opt(Num) }),
  incidents: strict({
    webhook: opt(Webhook),
    contact: opt(Str),
    shopName: opt(PerLanguage),
    lookbackDays: opt(Num),
    pdfFont: opt(strict({ path: Str, name: opt(Str) })),
  }),
  guard: strict({
    failMode: opt(Type.Union([Type.Literal('open'), Type.Literal('challenge'), Type.Literal('closed')])),
    redisKeyPrefix: opt(Str),
    redisCommandTimeoutMs: opt(Num),
    knownForDays: opt(Num),
    surge: opt(NumMap),
    thresholds: opt(NumMap),
    shopBaseline: opt(NumMap),
    denyRetryAfter: opt(Num),
    webhook: opt(Webhook),
  }),
  reports: strict({
    linkCap: opt(Num),
    linkMinGroups: opt(Num),
    linkMaxCoverage: opt(Num),
    paymentInstitutions: opt(Strs),
    publicUrl: opt(Str),
    orderLookbackDays: opt(Num),
    checkMinLatencyMs: opt(Num),
    producerName: opt(Str),
    publicRateLimit: opt(strict({ max: Num, timeWindow: Type.Union([Str, Num]) })),
  }),
  canaries: strict({
    virtualNumbers: opt(Strs),
    monitoredContacts: opt(Type.Array(Type.Union([Str, strict({ phone: Str, email: opt(Str) })]))),
    defaultCanaryRows: opt(Int),
    webhookSecret: opt(Str),
  }),
  passwords: strict({ dir: opt(Str), rangePerMinute: opt(Int), rangePerMinuteKeyed: opt(Int) }),
  links: strict({ brands: opt(Strs) }),
  leaks: strict({
    alpha: opt(Num),
    windowDays: opt(Num),
    minCovered: opt(Num),
    maxRounds: opt(Num),
    notExcludedCoverage: opt(Num),
    takeoverShare: opt(Num),
    leakStartBeta: opt(Num),
    minSelectionBias: opt(Num),
    minSelectionBiasAssigned: opt(Num),
    minSelectionBiasTimed: opt(Num),
    hazardDays: opt(Num),
    samplingAlphaShare: opt(Num),
    burstAlphaShare: opt(Num),
  }),
  settings: strict({ cacheMs: opt(Num) }),
  console: strict({ idleMinutes: opt(Num), absoluteHours: opt(Num) }),
  shop: strict({ timeZone: opt(TimeZone) }),
};

export const AreasSchema = strict(
  Object.fromEntries(Object.entries(areas).map(([k, v]) => [k, opt(v)])) as { [K in keyof typeof areas]: ReturnType<typeof opt<(typeof areas)[K]>> },
);

const Ms = Type.Integer({ minimum: 0, maximum: 86_400_000 });
export const FileSchema = strict({
  dataDir: opt(Str),
  db: opt(Str),
  redis: opt(Str),
  host: opt(Str),
  port: opt(Type.Union([Type.Integer({ minimum: 0, maximum: 65535 }), Type.String({ pattern: '^\\d+$' })])),
  masterKey: opt(Str),
  logLevel: opt(Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)))),
  trustedProxies: opt(Type.Union([Strs, Str])),
  metricsToken: opt(Str),
  corsOrigins: opt(Strs),
  rateLimitNamespace: opt(Str),
  postgres: opt(
    strict({ poolMax: opt(Ms), connectTimeoutMs: opt(Ms), statementTimeoutMs: opt(Ms), idleInTransactionTimeoutMs: opt(Ms), queryTimeoutMs: opt(Ms) }),
  ),
  sqlite: opt(strict({ busyTimeoutMs: opt(Ms) })),
  areas: opt(AreasSchema),
});

/** The FANZHA_* variables fanzha reads (strings by nature; their values are parsed in config.ts). */
export const ENV_VARS = [
  'FANZHA_CONFIG',
  'FANZHA_DATA_DIR',
  'FANZHA_DB',
  'FANZHA_REDIS',
  'FANZHA_HOST',
  'FANZHA_PORT',
  'FANZHA_MASTER_KEY',
  'FANZHA_NEW_MASTER_KEY',
  'FANZHA_LOG_LEVEL',
  'FANZHA_TRUSTED_PROXIES',
  'FANZHA_METRICS_TOKEN',
  'FANZHA_CORS_ORIGINS',
  'FANZHA_RATE_LIMIT_NAMESPACE',
  'FANZHA_SQLITE_BUSY_TIMEOUT_MS',
  'FANZHA_PG_POOL_MAX',
  'FANZHA_PG_CONNECT_TIMEOUT_MS',
  'FANZHA_PG_STATEMENT_TIMEOUT_MS',
  'FANZHA_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS',
  'FANZHA_PG_QUERY_TIMEOUT_MS',
  // development and test tools
  'FANZHA_EXTENSION_ID',
  'FANZHA_CHROMIUM',
  'FANZHA_FUZZ_BUDGET_MS',
] as const;
const KNOWN_ENV = new Set<string>(ENV_VARS);

/** A short description of what a schema accepts, for the error message. */
export function describeShape(s: TSchema): string {
  if (s.anyOf && s.description) return s.description as string;
  if (s.anyOf) return (s.anyOf as TSchema[]).map(describeShape).join(' or ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  switch (s.type) {
    case 'object':
      if (s.properties) return `an object with keys ${Object.keys(s.properties as object).join(', ')}`;
      return `an object of ${s.patternProperties ? describeShape(Object.values(s.patternProperties as Record<string, TSchema>)[0]!) : 'values'}`;
    case 'array':
      return `a list of ${describeShape(s.items as TSchema)}`;
    case 'integer':
      return `a whole number${s.minimum !== undefined ? ` from ${s.minimum}` : ''}${s.maximum !== undefined ? ` to ${s.maximum}` : ''}`;
    case 'number':
      return 'a number';
    case 'string':
      return s.pattern ? `a string matching ${s.pattern}` : s.description ? `a string (${s.description})` : 'a string';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    default:
      return 'a value';
  }
}

const keyOf = (path: string) => path.split('/').filter(Boolean).join('.') || '(top level)';

/** One readable line per problem: the key, what is wrong, what is expected. */
function explain(e: ValueError): string {
  const key = keyOf(e.path);
  // an unknown key: reported at the key's own path, with the object's schema
  if (e.type === ValueErrorType.ObjectAdditionalProperties) {
    const props = (e.schema as TSchema).properties as object | undefined;
    return `unknown key "${key}"${props ? ` (expected one of: ${Object.keys(props).join(', ')})` : ''}`;
  }
  return `"${key}" ${e.value === undefined ? 'is missing' : `is ${JSON.stringify(e.value)?.slice(0, 60)}`}: expected ${describeShape(e.schema as TSchema)}`;
}

/** Problems of a config file's content (the whole file, areas included); empty when valid. */
export function fileProblems(file: unknown): string[] {
  return dedupe([...Value.Errors(FileSchema, file)].map((e) => explain(e)));
}

/** Problems of the per-area settings (also when a test or an embedding program builds them). */
export function areaProblems(areasValue: unknown): string[] {
  return dedupe([...Value.Errors(AreasSchema, areasValue)].map((e) => explain({ ...e, path: `/areas${e.path}` })));
}

/** Unknown FANZHA_* variables (a misspelt name would otherwise be ignored). */
export function envProblems(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env)
    .filter((k) => k.startsWith('FANZHA_') && !k.startsWith('FANZHA_TEST_') && !KNOWN_ENV.has(k))
    .map((k) => `unknown environment variable ${k} (known: ${ENV_VARS.join(', ')})`);
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}
