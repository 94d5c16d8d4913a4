import { timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import { HttpProblem, problems } from '../http/problem.ts';
import { SendNoticeBody, SendNoticeResult, Notice, NoticeList, ListNoticesQuery, ReceiptBody, ReceiptResult, type NoticeT } from './notify.schemas.ts';
import type { NotifyService } from './notify.service.ts';
import type { NoticeRow } from './outbox.repository.ts';
import type { NotifyConfig } from './notify.config.ts';
import type { NoticeRequest } from './notifier.port.ts';
import type { NoticeStatus } from './notify.tables.ts';
import { verifyTwilioSignature } from './channels/twilio.channel.ts';

const iso = (ms: number | null) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

export function toNotice(r: NoticeRow): NoticeT {
  return {
    id: r.id,
    idempotencyKey: r.idempotency_key,
    template: r.template,
    customerId: r.customer_id,
    orderId: r.order_id,
    channel: r.channel,
    urgent: Number(r.urgent) === 1,
    source: r.source,
    status: r.status,
    attempts: Number(r.attempts),
    nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    providerRef: r.provider_ref,
    lastError: r.last_error,
    createdAt: iso(r.created_at),
    sentAt: iso(r.sent_at),
    deliveredAt: iso(r.delivered_at),
  };
}

const tokenMatches = (given: string, expected: string | undefined) => {
  if (!expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export function notifyRoutes(service: NotifyService, cfg: NotifyConfig) {
  return async (app: App, _ctx: AppContext) => {
    app.post(
      '/v1/notifications',
      {
        config: { auth: { roles: ['ingest', 'admin'] } },
        schema: {
          tags: ['notifications'],
          summary: 'Queue a notice to a customer (idempotent by idempotencyKey)',
          body: SendNoticeBody,
          response: { 202: SendNoticeResult },
        },
      },
      async (req, reply) => {
        const r = await service.send(req.body as NoticeRequest, { source: 'api' });
        const row = await service.get(r.noticeId);
        reply.code(202);
        return { id: r.noticeId, duplicate: r.duplicate, status: row?.status ?? 'pending' };
      },
    );

    app.get(
      '/v1/notifications',
      {
        config: { auth: { roles: ['analyst', 'admin'] } },
        schema: {
          tags: ['notifications'],
          summary: 'Notices and their delivery status, newest first',
          querystring: ListNoticesQuery,
          response: { 200: NoticeList },
        },
      },
      async (req) => {
        const limit = req.query.limit ?? 100;
        const rows = await service.outbox.list({ ...(req.query as { status?: NoticeStatus; customerId?: string; template?: string; before?: string }), limit });
        return { items: rows.map(toNotice), next: rows.length === limit ? rows[rows.length - 1]!.id : null };
      },
    );

    app.get(
      '/v1/notifications/:id',
      {
        config: { auth: { roles: ['analyst', 'admin'] } },
        schema: {
          tags: ['notifications'],
          summary: 'One notice and its delivery status',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: { 200: Notice },
        },
      },
      async (req) => {
        const row = await service.get(req.params.id);
        if (!row) throw problems.notFound('notice');
        return toNotice(row);
      },
    );

    app.post(
      '/v1/notifications/receipts',
      {
        config: { auth: { roles: ['ingest', 'admin'] } },
        schema: {
          tags: ['notifications'],
          summary: 'A delivery receipt (e.g. relayed by the shop from its SMS provider)',
          body: ReceiptBody,
          response: { 200: ReceiptResult },
        },
      },
      async (req) => ({ updated: await service.outbox.receipt(req.body.providerRef, req.body.status, Date.now(), req.body.error) }),
    );

    // Providers' own receipt pushes. They are public (the provider has no fanzha key) and checked by
    // the provider's signature (Twilio) or a secret path token (Aliyun, Tencent push no signature).
    await app.register(async (sub: App) => {
      sub.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      });
      const publicRoute = { auth: 'public' as const, rateLimit: { max: 600, timeWindow: '1 minute' } };

      sub.post(
        '/v1/notifications/receipts/twilio',
        {
          config: { ...publicRoute, problems: [403, 404] },
          schema: {
            tags: ['notifications'],
            summary: 'Twilio status callback (X-Twilio-Signature)',
            body: Type.Record(Type.String(), Type.String()),
            response: { 200: ReceiptResult },
          },
        },
        async (req) => {
          const tw = cfg.channels.twilio;
          if (!tw?.statusCallback) throw problems.notFound('receipt endpoint');
          const params = req.body as Record<string, string>;
          if (!verifyTwilioSignature(tw.authToken, tw.statusCallback, params, req.headers['x-twilio-signature'] as string | undefined)) {
            throw new HttpProblem(403, 'bad-signature', 'Signature does not verify');
          }
          const st = params.MessageStatus;
          const status = st === 'delivered' ? 'delivered' : st === 'failed' || st === 'undelivered' ? 'failed' : null;
          if (!status || !params.MessageSid) return { updated: 0 };
          return {
            updated: await service.outbox.receipt(
              `twilio:${params.MessageSid}`,
              status,
              Date.now(),
              params.ErrorCode ? `twilio ${params.ErrorCode}` : undefined,
            ),
          };
        },
      );

      const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });
      sub.post(
        '/v1/notifications/receipts/tencent/:token',
        {
          config: { ...publicRoute, problems: [403] },
          schema: {
            tags: ['notifications'],
            summary: 'Tencent Cloud SMS delivery-status push',
            params: TokenParams,
            body: Type.Array(Type.Object({ sid: Type.String(), report_status: Type.String(), errmsg: Type.Optional(Type.String()) }), { maxItems: 1000 }),
            response: { 200: ReceiptResult },
          },
        },
        async (req) => {
          if (!tokenMatches(req.params.token, cfg.receiptToken)) throw problems.notFound('receipt endpoint');
          let updated = 0;
          for (const r of req.body)
            updated += await service.outbox.receipt(
              `tencent:${r.sid}`,
              r.report_status === 'SUCCESS' ? 'delivered' : 'failed',
              Date.now(),
              r.report_status === 'SUCCESS' ? undefined : `tencent ${r.errmsg ?? 'FAIL'}`.slice(0, 120),
            );
          return { updated };
        },
      );

      sub.post(
        '/v1/notifications/receipts/aliyun/:token',
        {
          config: { ...publicRoute, problems: [403] },
          schema: {
            tags: ['notifications'],
            summary: 'Aliyun SMS report (SmsReport HTTP push)',
            params: TokenParams,
            body: Type.Array(Type.Object({ biz_id: Type.String(), success: Type.Boolean(), err_code: Type.Optional(Type.String()) }), { maxItems: 1000 }),
            response: { 200: Type.Object({ code: Type.Integer(), msg: Type.String() }) },
          },
        },
        async (req) => {
          if (!tokenMatches(req.params.token, cfg.receiptToken)) throw problems.notFound('receipt endpoint');
          for (const r of req.body)
            await service.outbox.receipt(
              `aliyun:${r.biz_id}`,
              r.success ? 'delivered' : 'failed',
              Date.now(),
              r.success ? undefined : `aliyun ${r.err_code ?? 'FAIL'}`.slice(0, 120),
            );
          // Aliyun expects this acknowledgement body.
          return { code: 0, msg: '成功' };
        },
      );
    });
  };
}
