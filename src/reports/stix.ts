// A STIX 2.1 bundle per case that a consumer can act on: `indicator` objects with STIX patterns
// for the scammers' phones, domains, URLs, payee accounts and SMS senders, the observables they
// are about, the case as a `campaign` the indicators indicate, `relationship`s between them, and a
// `report` naming all of it.
//
// Stability: every id is derived from what it names (UUIDv5), and every `created` / `modified`
// comes from the database — an indicator's from its value's first sighting (its content never
// changes afterwards), the report's from the case's creation and last change (a report joining,
// a merge, a split) — so two exports of an unchanged case differ only in the bundle id.
// Values found over-correlated or naming a payment institution are not the scammers' and are
// left out.
import { createHash, randomUUID } from 'node:crypto';
import type { CaseStatsT } from './case-stats.ts';
import { stixString, stixPatternError } from './stix-pattern.ts';

const NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** fanzha's extension definition for the observables STIX 2.1 lacks (fixed id: it names a schema, not a case). */
export const FANZHA_EXTENSION_ID = 'extension-definition--5d6a3c9e-7f0b-4c1e-9a8d-2b6f4e1c3a77';
/** Where fanzha serves the extension's JSON schema (public: it holds no data). */
export const EXTENSION_SCHEMA_PATH = '/v1/stix/extensions/x-fanzha-observables-1.0.json';
const DEFINED = '2026-11-27T00:00:00.000Z';

export const TLP_AMBER = {
  type: 'marking-definition',
  spec_version: '2.1',
  id: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  created: '2017-01-20T00:00:00.000Z',
  definition_type: 'tlp',
  name: 'TLP:AMBER',
  definition: { tlp: 'amber' },
};

function uuidv5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
/** Deterministic SCO id (STIX 2.1 §2.9): UUIDv5 over the id-contributing properties. */
const scoId = (type: string, props: Record<string, string>) => `${type}--${uuidv5(NAMESPACE, JSON.stringify(props))}`;

/** The JSON schema the extension-definition names, served by fanzha at EXTENSION_SCHEMA_PATH. */
export function extensionSchema(url: string) {
  const sco = (type: string, props: Record<string, unknown>, required: string[]) => ({
    type: 'object',
    properties: { type: { const: type }, id: { type: 'string', pattern: `^${type}--[0-9a-f-]{36}$` }, spec_version: { const: '2.1' }, ...props },
    required: ['type', 'id', ...required],
  });
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: url,
    title: 'fanzha scam observables',
    description: 'Cyber-observables STIX 2.1 lacks, for refund-scam indicators.',
    oneOf: [
      sco(
        'x-fanzha-phone-number',
        {
          value: {
            type: 'string',
            description: 'E.164 number, or cn-short:<digits> for a Chinese service short number',
            pattern: '^(\\+[1-9][0-9]{6,14}|cn-short:[0-9]{5,6})$',
          },
        },
        ['value'],
      ),
      sco('x-fanzha-bank-account', { account_number: { type: 'string' }, account_holder: { type: 'string' }, institution: { type: 'string' } }, [
        'account_number',
      ]),
      sco('x-fanzha-sms-sender', { value: { type: 'string', description: 'SMS signature (the name inside 【】), lower case' } }, ['value']),
    ],
  };
}

export interface StixIndicatorRow {
  kind: string;
  value: string;
  unlinked_reason: string | null;
  first_seen: number;
}

export interface StixOptions {
  producerName: string;
  /** Absolute URL of the extension's schema (EXTENSION_SCHEMA_PATH on this fanzha). */
  schemaUrl: string;
}

const iso = (ms: number) => new Date(Number(ms)).toISOString();

/** The observable and the pattern for one indicator value; null for kinds STIX consumers cannot act on. */
function observable(
  kind: string,
  value: string,
  ext: Record<string, unknown>,
  stats: CaseStatsT,
): { sco: Record<string, unknown>; pattern: string; label: string } | null {
  switch (kind) {
    case 'url':
      return {
        sco: { type: 'url', spec_version: '2.1', id: scoId('url', { value }), value },
        pattern: `[url:value = ${stixString(value)}]`,
        label: 'Scam link',
      };
    case 'domain':
      return {
        sco: { type: 'domain-name', spec_version: '2.1', id: scoId('domain-name', { value }), value },
        pattern: `[domain-name:value = ${stixString(value)}]`,
        label: 'Scam domain',
      };
    case 'phone':
      return {
        sco: { type: 'x-fanzha-phone-number', spec_version: '2.1', id: scoId('x-fanzha-phone-number', { value }), value, extensions: ext },
        pattern: `[x-fanzha-phone-number:value = ${stixString(value)}]`,
        label: 'Scam caller number',
      };
    case 'sms_sender':
      return {
        sco: { type: 'x-fanzha-sms-sender', spec_version: '2.1', id: scoId('x-fanzha-sms-sender', { value }), value, extensions: ext },
        pattern: `[x-fanzha-sms-sender:value = ${stixString(value)}]`,
        label: 'Scam SMS sender',
      };
    case 'payee_account': {
      const payee = stats.topPayees.find((p) => p.account === value);
      return {
        sco: {
          type: 'x-fanzha-bank-account',
          spec_version: '2.1',
          id: scoId('x-fanzha-bank-account', { account_number: value }),
          account_number: value,
          ...(payee?.payee && payee.payee !== value ? { account_holder: payee.payee } : {}),
          ...(payee?.institution ? { institution: payee.institution } : {}),
          extensions: ext,
        },
        pattern: `[x-fanzha-bank-account:account_number = ${stixString(value)}]`,
        label: 'Account that received scam money',
      };
    }
    default:
      return null;
  }
}

export function caseStixBundle(stats: CaseStatsT, indicators: StixIndicatorRow[], opts: StixOptions) {
  const identityId = `identity--${uuidv5(NAMESPACE, `fanzha-producer:${opts.producerName}`)}`;
  const identity = {
    type: 'identity',
    spec_version: '2.1',
    id: identityId,
    created: DEFINED,
    modified: DEFINED,
    name: opts.producerName,
    identity_class: 'organization',
  };
  const extension = {
    type: 'extension-definition',
    spec_version: '2.1',
    id: FANZHA_EXTENSION_ID,
    created: DEFINED,
    modified: DEFINED,
    created_by_ref: identityId,
    name: 'fanzha scam observables',
    description:
      'Cyber-observables STIX 2.1 lacks: x-fanzha-phone-number (E.164 or a national short number), x-fanzha-bank-account (payee account that received scam money), x-fanzha-sms-sender (SMS signature).',
    schema: opts.schemaUrl,
    version: '1.0.0',
    extension_types: ['new-sco'],
  };
  const ext = { [FANZHA_EXTENSION_ID]: { extension_type: 'new-sco' } };
  const marking = [TLP_AMBER.id];
  const observables: Record<string, unknown>[] = [];
  const sdos: Record<string, unknown>[] = [];
  const relationships: Record<string, unknown>[] = [];
  // The case as a campaign: what the indicators indicate.
  const campaignId = `campaign--${uuidv5(NAMESPACE, `fanzha-campaign:${stats.id}`)}`;
  const campaign = {
    type: 'campaign',
    spec_version: '2.1',
    id: campaignId,
    created: stats.createdAt,
    modified: stats.updatedAt,
    created_by_ref: identityId,
    name: `Refund-scam case ${stats.id}`,
    description: 'Callers pose as the shop\'s customer service and talk victims into paying a "refund" fee or transfer.',
    ...(stats.firstContact ? { first_seen: stats.firstContact } : {}),
    ...(stats.lastContact ? { last_seen: stats.lastContact } : {}),
    object_marking_refs: marking,
  };
  const rows = indicators
    .filter((i) => i.unlinked_reason === null)
    .sort((a, b) => (a.kind === b.kind ? (a.value < b.value ? -1 : 1) : a.kind < b.kind ? -1 : 1));
  for (const row of rows) {
    const o = observable(row.kind, row.value, ext, stats);
    if (!o) continue;
    const bad = stixPatternError(o.pattern);
    if (bad) throw new Error(`fanzha wrote an invalid STIX pattern (${bad})`);
    const seen = iso(row.first_seen);
    const indicatorId = `indicator--${uuidv5(NAMESPACE, `fanzha-indicator:${row.kind}:${row.value}`)}`;
    observables.push({ ...o.sco, object_marking_refs: marking });
    sdos.push({
      type: 'indicator',
      spec_version: '2.1',
      id: indicatorId,
      created: seen,
      modified: seen,
      created_by_ref: identityId,
      name: `${o.label}: ${row.value}`,
      indicator_types: ['malicious-activity'],
      pattern: o.pattern,
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: seen,
      labels: ['refund-scam'],
      object_marking_refs: marking,
    });
    const rel = (type: string, target: string) => ({
      type: 'relationship',
      spec_version: '2.1',
      id: `relationship--${uuidv5(NAMESPACE, `fanzha-rel:${indicatorId}:${type}:${target}`)}`,
      created: seen,
      modified: seen,
      created_by_ref: identityId,
      relationship_type: type,
      source_ref: indicatorId,
      target_ref: target,
      object_marking_refs: marking,
    });
    relationships.push(rel('indicates', campaignId), rel('related-to', o.sco.id as string));
  }
  const report = {
    type: 'report',
    spec_version: '2.1',
    id: `report--${uuidv5(NAMESPACE, `fanzha-case:${stats.id}`)}`,
    created: stats.createdAt,
    modified: stats.updatedAt,
    created_by_ref: identityId,
    name: `Refund-scam case ${stats.id}`,
    description: `${stats.reports} reports, ${stats.victims} victims, ${stats.loss.total.toFixed(2)} ${stats.loss.currency} lost between ${stats.firstContact} and ${stats.lastContact}. Callers posed as customer service and knew: ${stats.knewFields.map((k) => k.key).join(', ') || 'unknown'}.`,
    report_types: ['campaign', 'indicator', 'observed-data'],
    published: stats.updatedAt,
    object_refs: [campaign, ...sdos, ...observables, ...relationships].map((o) => o.id as string),
    object_marking_refs: marking,
    labels: ['refund-scam'],
  };
  return {
    type: 'bundle',
    id: `bundle--${randomUUID()}`,
    objects: [TLP_AMBER, identity, extension, campaign, ...sdos, ...observables, ...relationships, report],
  };
}
