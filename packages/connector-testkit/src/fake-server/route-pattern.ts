import type { RouteDefinition, RouteHandler } from './fake-server-types';

/** A route with its pattern compiled to a regular expression. */
export interface CompiledRoute {
  method: string;
  regex: RegExp;
  keys: string[];
  name: string;
  handler: RouteHandler;
}

/** Compiles `:param` and `*rest` segments; every other character matches literally. */
export function compileRoute(route: RouteDefinition): CompiledRoute {
  const keys: string[] = [];
  const source = route.pattern
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        keys.push(segment.slice(1));
        return '([^/]+)';
      }
      if (segment.startsWith('*')) {
        keys.push(segment.slice(1));
        return '(.*)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return {
    method: route.method.toUpperCase(),
    regex: new RegExp(`^${source}$`),
    keys,
    name: route.name ?? `${route.method.toUpperCase()} ${route.pattern}`,
    handler: route.handler,
  };
}

/** The first route that matches, with its decoded path parameters. */
export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  path: string,
): { route: CompiledRoute; params: Record<string, string> } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = route.regex.exec(path);
    if (!found) continue;
    const params: Record<string, string> = {};
    route.keys.forEach((key, index) => {
      params[key] = decodeURIComponent(found[index + 1] ?? '');
    });
    return { route, params };
  }
  return null;
}
