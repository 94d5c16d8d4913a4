// Per-customer channel routing. A route is an ordered list of channels per notice template (or
// "default"), e.g. SMS → the shop's app push webhook → e-mail; each entry may be limited to some
// languages (a Chinese SMS provider for zh-CN customers, Twilio for the others). At delivery the
// first entry is used whose channel is configured, whose languages include the customer's, and
// whose contact data the customer has (known from the shop's blind-index columns, without
// decrypting anything). With none, the notice is `unreachable`: flagged on the incident's progress
// and in /metrics, never silently dead.
import type { Channel } from './channels/channel.ts';
import type { Lang } from './templates.ts';

/** The channel name a notice carries while its channel is chosen per customer at delivery. */
export const ROUTE_CHANNEL = 'route';

export type RouteEntry = string | { channel: string; langs?: string[] };
export type Routes = Record<string, RouteEntry[]>;

export interface Reachability {
  lang: Lang;
  hasPhone: boolean;
  hasEmail: boolean;
}

export type RouteChoice = { channel: string } | { channel: null; reason: string };

export function routeFor(routes: Routes, template: string): RouteEntry[] {
  return routes[template] ?? routes.default ?? [];
}

/** The first usable channel of the template's route for this customer, or why there is none. */
export function chooseChannel(routes: Routes, template: string, who: Reachability, channels: ReadonlyMap<string, Pick<Channel, 'needs'>>): RouteChoice {
  const tried: string[] = [];
  for (const e of routeFor(routes, template)) {
    const name = typeof e === 'string' ? e : e.channel;
    const langs = typeof e === 'string' ? undefined : e.langs;
    const ch = channels.get(name);
    if (!ch) tried.push(`${name} not configured`);
    else if (langs && !langs.includes(who.lang)) tried.push(`${name} not for ${who.lang}`);
    else if (ch.needs === 'phone' && !who.hasPhone) tried.push(`${name} needs a phone`);
    else if (ch.needs === 'email' && !who.hasEmail) tried.push(`${name} needs an e-mail address`);
    else return { channel: name };
  }
  return { channel: null, reason: `no-reachable-channel: ${tried.join('; ') || 'empty route'}`.slice(0, 300) };
}
