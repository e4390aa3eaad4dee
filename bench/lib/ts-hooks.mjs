// @ts-check
/**
 * Node module hooks that let the plain-Node benchmarks import the browser tests' TypeScript
 * support files (test/e2e/support/*.ts) instead of copying them: `.ts` is transpiled with
 * the project's own `typescript` (types erased, nothing checked), and an extensionless
 * relative import from a `.ts` file (`./browser`) finds its `.ts` file, as the bundler
 * resolution of tsconfig.json does. Registered by ./harness.mjs.
 */
import { readFile } from 'node:fs/promises';
import ts from 'typescript';

/** @param {string} specifier @param {{ parentURL?: string }} context @param {Function} next */
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const fromTs = context.parentURL?.endsWith('.ts') && /^\.\.?\//.test(specifier) && !/\.[cm]?[jt]s$/.test(specifier);
    if (fromTs && /** @type {{ code?: string }} */ (error).code === 'ERR_MODULE_NOT_FOUND')
      return next(`${specifier}.ts`, context);
    throw error;
  }
}

/** @param {string} url @param {object} context @param {Function} next */
export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: url,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      sourceMap: false,
    },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
