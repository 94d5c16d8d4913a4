// A delivery worker in its own process, for the crash test: opens the database named in the
// environment and runs the outbox worker until it is killed.
import pino from 'pino';
import { openDatabase } from '../db/database.ts';
import { standaloneRecipients } from './standalone-recipients.test-helper.ts';
import { OutboxWorker } from './outbox.worker.ts';
import { WebhookChannel } from './channels/webhook.channel.ts';
import { notifyConfig } from './notify.config.ts';
import { loadConfig } from '../config/config.ts';

const env = process.env;
const database = env.CHILD_PG_URL
  ? openDatabase({ kind: 'postgres', url: env.CHILD_PG_URL }, { schema: env.CHILD_PG_SCHEMA })
  : openDatabase({ kind: 'sqlite', path: env.CHILD_SQLITE! });
const base = notifyConfig(loadConfig({ FANZHA_DATA_DIR: env.CHILD_DATA_DIR! }));
const config = { ...base, quietHours: null, leaseMs: Number(env.CHILD_LEASE_MS), batchSize: 5, concurrency: 2, pollMs: 5 };
const channels = new Map([['webhook', new WebhookChannel({ url: env.CHILD_WEBHOOK_URL!, secret: env.CHILD_SECRET! })]]);
const worker = new OutboxWorker({
  database,
  recipients: standaloneRecipients(database, Buffer.from(env.CHILD_MASTER_KEY!, 'hex')),
  channels,
  config,
  logger: pino({ level: 'silent' }),
});
worker.start();
process.send?.('started');
