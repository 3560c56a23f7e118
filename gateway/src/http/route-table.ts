import type { RouteOptions } from 'fastify';

interface KnownRoute {
  url: string;
  pattern: RegExp;
  /** Names of the pattern's capture groups, in order (`*` for a wildcard). */
  params: string[];
  methods: Set<string>;
}

/**
 * The paths the gateway answers and their methods, collected from the routes as they are
 * registered (`onRoute`). Fastify's router only says "no route" for a path it knows under
 * another method, and gives up on a bad URL without saying which parameter broke it: this
 * table answers both, so the same registrations decide the 405's `Allow` and the 400's field.
 */
export class RouteTable {
  private readonly byUrl = new Map<string, KnownRoute>();

  /** For `app.addHook('onRoute', …)`, added before any route. */
  readonly onRoute = (route: RouteOptions): void => {
    // A catch-all (CORS's `OPTIONS *`) matches every path: it says nothing about one.
    if (route.url === '*' || route.url === '/*') return;
    let known = this.byUrl.get(route.url);
    if (!known) {
      known = { url: route.url, ...compile(route.url), methods: new Set() };
      this.byUrl.set(route.url, known);
    }
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      known.methods.add(method);
      // fastify answers HEAD wherever it answers GET.
      if (method === 'GET') known.methods.add('HEAD');
    }
  };

  /** The methods some route answers at `path` (raw, without the query), sorted; empty for an unknown path. */
  allowedMethods(path: string): string[] {
    const methods = new Set<string>();
    for (const route of this.byUrl.values()) {
      if (route.pattern.test(path)) for (const m of route.methods) methods.add(m);
    }
    return [...methods].sort();
  }

  /** The raw (still percent-encoded) value of each parameter of the first route matching `path`. */
  rawParams(path: string): Array<[name: string, raw: string]> {
    for (const route of this.byUrl.values()) {
      const match = route.pattern.exec(path);
      if (match) return route.params.map((name, i) => [name, match[i + 1] ?? '']);
    }
    return [];
  }
}

/** A fastify route URL (`/api/v1/films/:tconst`, `/docs/static/*`) as a regular expression over raw paths. */
function compile(url: string): { pattern: RegExp; params: string[] } {
  const params: string[] = [];
  const source = url.replace(/:(\w+)|\*|[.+?^${}()|[\]\\]/g, (token, name: string | undefined) => {
    if (name) {
      params.push(name);
      return '([^/]+)';
    }
    if (token === '*') {
      params.push('*');
      return '(.*)';
    }
    return `\\${token}`;
  });
  return { pattern: new RegExp(`^${source}$`), params };
}
