import type { App } from '../http/app.ts';
import type { AppContext } from './context.ts';

/**
 * An area of the product (events, vault, reports...). `setup` builds its services into
 * ctx.services (areas set up earlier are available); `routes` registers its HTTP endpoints;
 * `start` begins background work when the server runs (workers), not in one-off CLI commands.
 */
export interface Area {
  name: string;
  setup?(ctx: AppContext): void | Promise<void>;
  routes?(app: App, ctx: AppContext): void | Promise<void>;
  start?(ctx: AppContext): void | Promise<void>;
}
