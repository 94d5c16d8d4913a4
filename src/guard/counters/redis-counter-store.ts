// Counters in Redis for several nodes. One Lua script applies a whole batch atomically using the
// server's clock (redis.call('TIME')), so nodes with skewed clocks agree on windows. Every key
// gets a TTL just past its window, so nothing outlives its use even if the service disappears.
// Keys are built inside the script from the configured prefix: this suits a single Redis or a
// Sentinel pair, not Redis Cluster (keys of one batch may hash to different slots).
import { Redis, type RedisOptions } from 'ioredis';
import { SUB_BUCKETS, type CounterOp, type CounterStore } from './counter-store.ts';

const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local prefix = ARGV[1]
local nb = tonumber(ARGV[2])
local out = {}
local i = 3
while i <= #ARGV do
  local kind = ARGV[i]
  local key = prefix .. ARGV[i + 1]
  if kind == 'c' then
    local win = tonumber(ARGV[i + 2]); local add = tonumber(ARGV[i + 3]); i = i + 4
    local b = math.ceil(win / nb); if b < 1 then b = 1 end
    local cur = math.floor(now / b)
    if add ~= 0 then
      redis.call('HINCRBY', key, tostring(cur), add)
      redis.call('PEXPIREAT', key, (cur + nb + 1) * b)
    end
    local all = redis.call('HGETALL', key)
    local sum = 0
    for j = 1, #all, 2 do
      local idx = tonumber(all[j])
      if idx <= cur - nb then redis.call('HDEL', key, all[j]) else sum = sum + tonumber(all[j + 1]) end
    end
    out[#out + 1] = sum
  elseif kind == 'd' then
    local win = tonumber(ARGV[i + 2]); local member = ARGV[i + 3]; i = i + 4
    local b = math.ceil(win / nb); if b < 1 then b = 1 end
    local cur = math.floor(now / b)
    if member ~= '' then
      local bk = key .. ':' .. cur
      redis.call('PFADD', bk, member)
      redis.call('PEXPIREAT', bk, (cur + nb + 1) * b)
    end
    local keys = {}
    for j = cur - nb + 1, cur do keys[#keys + 1] = key .. ':' .. j end
    out[#out + 1] = redis.call('PFCOUNT', unpack(keys))
  elseif kind == 'm' then
    local member = ARGV[i + 2]; local add = ARGV[i + 3] == '1'; local ttl = tonumber(ARGV[i + 4]); i = i + 5
    local score = redis.call('ZSCORE', key, member)
    local present = 0
    if score and tonumber(score) > now then present = 1 end
    if add then
      redis.call('ZADD', key, now + ttl, member)
      redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
      redis.call('PEXPIRE', key, ttl)
    end
    out[#out + 1] = present
  elseif kind == 'r' then
    i = i + 2
    redis.call('DEL', key)
    out[#out + 1] = 0
  else
    return redis.error_reply('unknown op ' .. kind)
  end
end
return out
`;

export interface RedisCounterOptions {
  url: string;
  /** Prepended to every key, so several deployments (or tests) share one Redis safely. */
  keyPrefix: string;
  /** Milliseconds a command may take before it counts as a failure. */
  commandTimeoutMs?: number;
}

export class RedisCounterStore implements CounterStore {
  readonly backend = 'redis' as const;
  readonly client: Redis;
  private readonly prefix: string;
  private readonly waitMs: number;

  constructor(opts: RedisCounterOptions, extra: RedisOptions = {}) {
    this.prefix = opts.keyPrefix;
    this.waitMs = opts.commandTimeoutMs ?? 250;
    this.client = new Redis(opts.url, {
      // Fail fast instead of queueing: the resilient wrapper decides what a failure means.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: opts.commandTimeoutMs ?? 250,
      lazyConnect: false,
      retryStrategy: (n) => Math.min(100 * 2 ** Math.min(n, 5), 2000),
      ...extra,
    });
    // Errors surface through failed commands; without a listener ioredis prints them.
    this.client.on('error', () => {});
    this.client.defineCommand('fanzhaCounters', { numberOfKeys: 0, lua: SCRIPT });
  }

  /** Waits (briefly) for a connection that is still being made, instead of failing at once. */
  private async ready() {
    const st = this.client.status;
    if (st === 'ready') return;
    if (st !== 'connecting' && st !== 'connect' && st !== 'wait') throw new Error(`redis connection is ${st}`);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => {
        this.client.off('ready', ok);
        reject(new Error('redis not ready'));
      }, this.waitMs);
      const ok = () => {
        clearTimeout(t);
        resolve();
      };
      this.client.once('ready', ok);
    });
  }

  async apply(ops: readonly CounterOp[]): Promise<number[]> {
    await this.ready();
    const args: (string | number)[] = [this.prefix, SUB_BUCKETS];
    for (const op of ops) {
      if (op.kind === 'count') args.push('c', op.key, op.windowMs, op.add);
      else if (op.kind === 'distinct') args.push('d', op.key, op.windowMs, op.member ?? '');
      else if (op.kind === 'member') args.push('m', op.key, op.member, op.add ? '1' : '0', op.ttlMs);
      else args.push('r', op.key);
    }
    const res = (await (this.client as unknown as { fanzhaCounters(...a: (string | number)[]): Promise<number[]> }).fanzhaCounters(...args)) ?? [];
    return res.map(Number);
  }

  async ping() {
    await this.ready();
    await this.client.ping();
  }

  async close() {
    this.client.disconnect();
  }
}
