import type { INestApplicationContext, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY, ROLES_KEY } from '../auth.decorators';

export interface RouteAuth {
  /** `Controller.method` */
  readonly route: string;
  readonly isPublic: boolean;
  readonly roles: readonly string[];
}

/** Every route handler of every controller in the app, with its auth metadata. */
export function listRouteAuth(app: INestApplicationContext): RouteAuth[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes: RouteAuth[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as Type | null;
    if (!controller || typeof controller !== 'function') continue;
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      if (typeof handler !== 'function') continue;
      // RequestMethod.GET is 0, so test for presence, not truthiness.
      const isRoute =
        Reflect.hasOwnMetadata(PATH_METADATA, handler) &&
        Reflect.hasOwnMetadata(METHOD_METADATA, handler);
      if (!isRoute) continue;
      const targets = [handler, controller];
      routes.push({
        route: `${controller.name}.${name}`,
        isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) === true,
        roles: reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, targets) ?? [],
      });
    }
  }
  return routes;
}

/** Routes that have neither `@Public()` nor a non-empty `@Roles(...)`. */
export function findUnguardedRoutes(app: INestApplicationContext): string[] {
  return listRouteAuth(app)
    .filter((r) => !r.isPublic && r.roles.length === 0)
    .map((r) => r.route);
}
