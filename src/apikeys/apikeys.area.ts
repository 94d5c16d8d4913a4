import type { Area } from '../app/area.ts';
import { registerApiKeysCommands } from './apikeys.cli.ts';
import { ApiKeysRepository } from './apikeys.repository.ts';
import { ApiKeysService } from './apikeys.service.ts';
import { apiKeysRoutes } from './apikeys.routes.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    apiKeys: ApiKeysService;
  }
}

export const apiKeysArea: Area = {
  name: 'apikeys',
  setup(ctx) {
    ctx.services.apiKeys = new ApiKeysService(new ApiKeysRepository(ctx.database.db));
  },
  routes: apiKeysRoutes,
  commands: registerApiKeysCommands,
};
