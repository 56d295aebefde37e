import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';

/**
 * Feature modules stay independent: a file under `modules/<a>/` never imports from `modules/<b>/`,
 * and `common/` and `config/` never import from `modules/` at all. What several modules share
 * lives in `common/` (decorators, DTOs, tokens, paths); AppModule and bootstrap wire modules up.
 */

interface SourceFile {
  /** Path relative to `src/`, with `/` separators. */
  readonly path: string;
  readonly text: string;
}

const IMPORT_SPECIFIER =
  /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s+['"]([^'"]+)['"]/g;

function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT_SPECIFIER)]
    .map((m) => m[1] ?? m[2] ?? m[3] ?? m[4])
    .filter((s): s is string => s !== undefined);
}

/** `modules/<name>` for files inside a feature module, `common`/`config` for those, else undefined. */
function areaOf(path: string): string | undefined {
  const [top, name] = path.split('/');
  if (top === 'modules' && name !== undefined) return `modules/${name}`;
  return top === 'common' || top === 'config' ? top : undefined;
}

/** `<file> → <import>` for every relative import that crosses a boundary. */
function boundaryViolations(files: readonly SourceFile[]): string[] {
  const violations: string[] = [];
  for (const file of files) {
    const from = areaOf(file.path);
    if (from === undefined) continue;
    for (const specifier of importsOf(file.text)) {
      if (!specifier.startsWith('.')) continue;
      const target = posix.normalize(posix.join(posix.dirname(file.path), specifier));
      const to = areaOf(target);
      const crosses = from.startsWith('modules/')
        ? to !== undefined && to.startsWith('modules/') && to !== from
        : target.startsWith('modules/');
      if (crosses) violations.push(`${file.path} → ${specifier}`);
    }
  }
  return violations;
}

function sourceFilesUnder(root: string, dir = root): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFilesUnder(root, full);
    if (!entry.name.endsWith('.ts')) return [];
    return [{ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') }];
  });
}

describe('module boundaries (apps/broker-api/src)', () => {
  const src = resolve(dirname(__filename), '..');

  it('no module imports another module’s folder; common/ and config/ import no module', () => {
    // This file's own fixtures below are strings, not imports.
    const files = sourceFilesUnder(src).filter(
      (f) => f.path !== 'common/module-boundaries.spec.ts',
    );
    expect(files.some((f) => f.path.startsWith('modules/'))).toBe(true);
    expect(boundaryViolations(files)).toEqual([]);
  });

  it('detects the imports it forbids (and allows the ones it does not)', () => {
    const files: SourceFile[] = [
      {
        path: 'modules/admin/admin-pool.controller.ts',
        text: [
          "import { RequestId } from '../allocation/allocation-headers';",
          "import {\n  ProblemDto,\n} from '../allocation/dto/problem.dto';",
          "import { AdminApi } from './admin-api.decorator';",
          "import { ProblemDto as P } from '../../common/dto/problem.dto';",
          "import type { ApiConfig } from '../../config/api-config';",
          "import { Controller } from '@nestjs/common';",
        ].join('\n'),
      },
      {
        path: 'modules/allocation/use-cases/allocate.use-case.ts',
        text: "export { API_METRICS } from '../../metrics/api-metrics';",
      },
      { path: 'common/x.ts', text: "const m = require('../modules/metrics/metrics.module');" },
      { path: 'config/y.ts', text: "import '../modules/health/health.module';" },
      { path: 'app.module.ts', text: "import { A } from './modules/admin/admin.module';" },
    ];
    expect(boundaryViolations(files)).toEqual([
      'modules/admin/admin-pool.controller.ts → ../allocation/allocation-headers',
      'modules/admin/admin-pool.controller.ts → ../allocation/dto/problem.dto',
      'modules/allocation/use-cases/allocate.use-case.ts → ../../metrics/api-metrics',
      'common/x.ts → ../modules/metrics/metrics.module',
      'config/y.ts → ../modules/health/health.module',
    ]);
  });
});
