// A victim as investigations see it: who was contacted, when, and what the caller knew.
// The reports area turns reports and cases into victims through VictimSource.
import type { AccessField } from '../lib/fields.ts';

export interface Victim {
  customerId?: string;
  orderId?: string;
  /** Epoch ms of the scam contact. */
  contactAt: number;
  knewFields: AccessField[];
  reportId?: string;
}

export interface VictimSource {
  victimsForReports(reportIds: string[]): Promise<Victim[]>;
  victimsForCase(caseId: string): Promise<Victim[]>;
}

declare module '../app/context.ts' {
  interface AreaServices {
    /** Present once the reports area is set up. */
    victimSource?: VictimSource;
  }
}
