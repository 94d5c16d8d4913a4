// Serves the built console (/console, a single-page app) and the public pages (/report, /check)
// from console/dist, produced by `vite build` (scripts/build-console.mjs runs it before start and
// test). Hashed assets are cached for a year; HTML is revalidated so a new build shows at once.
// Pages load scripts from 'self' only, which the app's CSP (src/http/app.ts) requires.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { App } from '../http/app.types.ts';

/** console/dist at the repository root, whether running from src/ (tsx) or dist/ (tsc build). */
export const CONSOLE_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../console/dist');

const PAGES = { console: 'index.html', report: 'report.html', check: 'check.html' } as const;

export async function consoleStatic(app: App, distDir = CONSOLE_DIST) {
  const hidden = { schema: { hide: true } };
  const built = existsSync(path.join(distDir, PAGES.console));
  if (built) {
    await app.register(fastifyStatic, {
      root: path.join(distDir, 'assets'),
      prefix: '/console/assets/',
      decorateReply: true,
      index: false,
      maxAge: 365 * 24 * 3600 * 1000,
      immutable: true,
    });
  }
  const page = (file: string) => async (_req: unknown, reply: FastifyReply) => {
    if (!built) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The console is not built. Run `npm run build:console` (npm start and npm test do it for you).');
    }
    reply.header('cache-control', 'no-cache');
    return reply.sendFile(file, distDir, { cacheControl: false });
  };
  app.get('/console', hidden, page(PAGES.console));
  app.get('/console/*', hidden, page(PAGES.console));
  app.get('/report', hidden, page(PAGES.report));
  app.get('/check', hidden, page(PAGES.check));
}
