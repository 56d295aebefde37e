import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { replyWithProblem } from '@broker/platform';

/** Where the console SPA is served (Vite `base: '/console/'`). */
export const CONSOLE_PATH = '/console';

/** Hashed Vite assets never change under a name; index.html must be re-read on every visit. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const NO_CACHE = 'no-cache';

/**
 * Serves the built SPA from `distDir` under `/console/`: a file that exists is sent as is
 * (@fastify/static's `sendFile`, which refuses paths outside the root); `/console` and any
 * other `/console/*` path get index.html, so client-side routes survive a reload. With no
 * index.html the answer is 404 problem+json `CONSOLE_NOT_BUILT`, not a 500. The CSP and the
 * other security headers come from the HTTP hooks (`consolePaths`).
 */
export function installConsoleStatic(fastify: FastifyInstance, distDir: string): void {
  const root = resolve(distDir);
  // Cache-Control is set here per file (hashed assets immutable, index.html revalidated).
  void fastify.register(fastifyStatic, {
    root,
    serve: false,
    decorateReply: true,
    cacheControl: false,
  });
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const wildcard = (request.params as Record<string, string | undefined>)['*'] ?? '';
    const file = await existingFile(root, wildcard);
    if (file !== null) {
      return reply
        .header('cache-control', file.startsWith('assets/') ? IMMUTABLE : NO_CACHE)
        .sendFile(file);
    }
    if ((await existingFile(root, 'index.html')) === null) {
      return replyWithProblem(request, reply, {
        status: 404,
        code: 'CONSOLE_NOT_BUILT',
        detail:
          `The console is not built: no index.html in ${root}. Run \`npm run build\` ` +
          '(or set CONSOLE_DIST_DIR).',
      });
    }
    // Unknown asset-like paths are real 404s (a missing .js must not be answered with HTML).
    if (extname(wildcard) !== '' && !wildcard.endsWith('.html')) {
      return replyWithProblem(request, reply, {
        status: 404,
        code: 'NOT_FOUND',
        detail: `No console file ${CONSOLE_PATH}/${wildcard}`,
      });
    }
    return reply
      .header('cache-control', NO_CACHE)
      .type('text/html; charset=utf-8')
      .sendFile('index.html');
  };
  fastify.get(CONSOLE_PATH, (request, reply) => handler(request, reply));
  fastify.get(`${CONSOLE_PATH}/*`, (request, reply) => handler(request, reply));
}

/** The path relative to `root` when it names a regular file inside it, else null. */
async function existingFile(root: string, relative: string): Promise<string | null> {
  if (relative === '' || relative.includes('\0')) return null;
  const cleaned = normalize(relative).replace(/^([/\\])+/, '');
  const full = resolve(join(root, cleaned));
  if (full !== root && !full.startsWith(root + sep)) return null;
  try {
    return (await stat(full)).isFile() ? cleaned.split(sep).join('/') : null;
  } catch {
    return null;
  }
}
