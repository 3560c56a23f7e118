import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * Reads the compose files the way `docker compose config` does, for the checks that run without a
 * Docker engine: YAML with anchors and merge keys, `${VAR}` interpolation from an env file, and
 * the override file merged over the base.
 */

export const REPO_ROOT = resolve(__dirname, '../..');
export const COMPOSE_FILE = resolve(REPO_ROOT, 'docker-compose.yml');
export const COMPOSE_DEV_FILE = resolve(REPO_ROOT, 'docker-compose.dev.yml');
export const ENV_EXAMPLE = resolve(REPO_ROOT, '.env.example');

export interface Healthcheck {
  test: string | string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; target?: string };
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  expose?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: Healthcheck;
  volumes?: string[];
  container_name?: string;
  restart?: string;
  [key: string]: unknown;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The YAML as written: anchors and merge keys resolved, `${…}` left as is. */
export function readComposeRaw(file: string): ComposeFile {
  return parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeFile;
}

/** KEY=value lines of an env file (comments and blank lines skipped), as compose reads `.env`. */
export function readEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [index, line] of readFileSync(file, 'utf8').split('\n').entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) throw new Error(`${file}:${index + 1}: expected KEY=value`);
    out[trimmed.slice(0, eq)] = trimmed.slice(eq + 1);
  }
  return out;
}

const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Compose's interpolation: `${V}`, `${V:-default}`, `${V-default}`, `${V:?error}`, `${V?error}`, `$$`. */
export function interpolate(value: string, vars: Record<string, string | undefined>, where: string): string {
  return value.replace(VARIABLE, (match, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare)!;
    const current = vars[name];
    const unsetOrEmpty = current === undefined || current === '';
    switch (op) {
      case ':-':
        return unsetOrEmpty ? interpolate(arg ?? '', vars, where) : current!;
      case '-':
        return current === undefined ? interpolate(arg ?? '', vars, where) : current;
      case ':?':
        if (unsetOrEmpty) throw new Error(`${where}: ${name} is required: ${arg}`);
        return current!;
      case '?':
        if (current === undefined) throw new Error(`${where}: ${name} is required: ${arg}`);
        return current;
      default:
        return current ?? '';
    }
  });
}

function interpolateDeep(node: unknown, vars: Record<string, string | undefined>, where: string): unknown {
  if (typeof node === 'string') return interpolate(node, vars, where);
  if (Array.isArray(node)) return node.map((item, i) => interpolateDeep(item, vars, `${where}[${i}]`));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateDeep(v, vars, `${where}.${k}`)]));
  }
  return node;
}

/** Lists compose merges by appending (ports, volumes…); everything else in a service is replaced or merged as a map. */
const APPENDED = new Set(['ports', 'expose', 'volumes', 'dns', 'extra_hosts']);

function mergeService(base: ComposeService, over: ComposeService): ComposeService {
  const out: ComposeService = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    if (key === 'volumes' && Array.isArray(current) && Array.isArray(value)) out[key] = mergeVolumes(current as string[], value as string[]);
    else if (APPENDED.has(key) && Array.isArray(current) && Array.isArray(value)) out[key] = [...current, ...value];
    else if (isMap(current) && isMap(value)) out[key] = { ...current, ...value };
    else out[key] = value;
  }
  return out;
}

/** Volumes merge by their path in the container: an override's mount replaces the base's at the same target. */
function mergeVolumes(base: string[], over: string[]): string[] {
  const target = (v: string) => v.split(':')[1] ?? v;
  const replaced = new Set(over.map(target));
  return [...base.filter((v) => !replaced.has(target(v))), ...over];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** `docker compose -f a -f b config`: every file interpolated with `vars`, then merged in order. */
export function loadCompose(files: string[], vars: Record<string, string | undefined>): ComposeFile {
  let merged: ComposeFile = { services: {} };
  for (const file of files) {
    // Each file is interpolated on its own, then merged (as compose does).
    const doc = interpolateDeep(readComposeRaw(file), vars, file) as ComposeFile;
    const services = { ...merged.services };
    for (const [name, service] of Object.entries(doc.services ?? {})) {
      services[name] = services[name] ? mergeService(services[name]!, service) : service;
    }
    merged = { ...merged, ...doc, services };
    if (doc.volumes || merged.volumes) merged.volumes = { ...(merged.volumes ?? {}), ...(doc.volumes ?? {}) };
  }
  // x- extension fields are templates for anchors: compose ignores them once resolved.
  for (const key of Object.keys(merged)) if (key.startsWith('x-')) delete merged[key];
  return merged;
}

/** A service's environment as the container sees it: strings, unset keys dropped. */
export function serviceEnv(service: ComposeService): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.environment ?? {})) {
    if (value !== null && value !== undefined) out[key] = String(value);
  }
  return out;
}
