// The incidents area's settings (config file `areas.incidents`) with their defaults.
import type { IncidentsWebhookConfig } from './webhook.ts';
import { DEFAULT_CJK_FONT, type PdfFont } from './report.pdf.ts';

/** Config file `areas.incidents`. */
export interface IncidentsConfig {
  webhook?: IncidentsWebhookConfig;
  contact?: string;
  shopName?: string;
  lookbackDays?: number;
  /** CJK font for PDF reports (default: Debian's fonts-noto-cjk). */
  pdfFont: PdfFont;
}

export function incidentsConfig(areas: Record<string, unknown> | undefined): IncidentsConfig {
  const c = (areas?.incidents ?? {}) as Partial<IncidentsConfig>;
  return { ...c, pdfFont: { ...DEFAULT_CJK_FONT, ...c.pdfFont } };
}
