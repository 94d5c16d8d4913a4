// The investigation index's size, read at scrape time from the node's own index (each node holds
// one): reads held and bytes held per read (issue #20 bounds it at 40). Counts only, no ids.
import { Gauge, type Registry } from 'prom-client';
import type { AccessIndexLoader } from './access-index.loader.ts';

export function registerIndexGauges(registry: Registry, loader: AccessIndexLoader) {
  new Gauge({
    name: 'fanzha_investigation_index_reads',
    help: 'Access-log reads held in this node’s investigation index (folded and appended)',
    registers: [registry],
    collect() {
      this.set(loader.index.size);
    },
  });
  new Gauge({
    name: 'fanzha_investigation_index_bytes',
    help: 'Bytes held by this node’s investigation index (both copies, tail and id interners), by part',
    labelNames: ['part'] as const,
    registers: [registry],
    collect() {
      const m = loader.index.memory();
      for (const part of ['byCustomer', 'byPrincipal', 'tail', 'interners'] as const) this.set({ part }, m[part]);
    },
  });
}
