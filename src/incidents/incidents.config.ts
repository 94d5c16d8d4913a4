// The incidents area's settings (config file `areas.incidents`) with their defaults.
import type { IncidentsWebhookConfig } from './webhook.ts';
import type { PdfFont } from './pdf-fonts.ts';

/** Config file `areas.incidents`. */
export interface IncidentsConfig {
  webhook?: IncidentsWebhookConfig;
  contact?: string;
  /** The shop's name in the reports: one string, or per language (the report's language is used). */
  shopName?: string | Record<string, string>;
  lookbackDays?: number;
  /** A system CJK font for PDF reports; without it the bundled Noto Sans SC (npm) is used. */
  pdfFont?: PdfFont;
}

export function incidentsConfig(areas: Record<string, unknown> | undefined): IncidentsConfig {
  const c = (areas?.incidents ?? {}) as Partial<IncidentsConfig>;
  return { ...c };
}
