// The shop area: owns the shop's core tables (customers, orders, refunds, principals, exports,
// logins). Ingestion writes them through shop.ingest.ts inside its transaction; every other area
// reads them through ShopService (ctx.services.shop) or joins shopRelations.
import type { Area } from '../app/area.ts';
import { ShopService } from './shop.service.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    shop: ShopService;
  }
}

export const shopArea: Area = {
  name: 'shop',
  setup(ctx) {
    ctx.services.shop = new ShopService(ctx.database.db);
  },
};
