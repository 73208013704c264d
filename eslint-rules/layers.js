// The `layers` rule: every file of the app sits in a layer (a folder, or a single file, of the
// table in eslint.config.js) and that layer names everything it may import: folders of this
// repository and packages. Anything not on the list is refused, packages and Node builtins
// included, and type-only imports too (a layer may not even name another layer's types). It is
// an allow-list, after VS Code's code-layering rule, because a deny-list lets the next mistake
// through: a new package or folder is refused until someone decides where it may be used.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The package entry that allows every Node builtin (one builtin is allowed by its name, `node:fs`). */
export const NODE_BUILTINS = 'node:*';
const BUILTINS = new Set(builtinModules);
const TEST_FILE = /\.test\.tsx?$/;

/** `file` relative to the repository, with `/` separators (`..` when it lies outside). */
function repoPath(absolute) {
  return path.relative(REPO_ROOT, absolute).split(path.sep).join('/');
}

/** The key of the layer holding `file`: the longest folder (ending in `/`) or file key that matches. */
function findLayer(layers, file) {
  let found;
  for (const key of Object.keys(layers)) {
    const matches = key.endsWith('/') ? file.startsWith(key) : file === key;
    if (matches && (found === undefined || key.length > found.length)) found = key;
  }
  return found;
}

/** What a test file of the layer may import: the layer's list plus its `tests` additions. */
function allowanceFor(layers, key, file) {
  const layer = layers[key];
  const test = TEST_FILE.test(file) && layer.tests;
  return {
    name: test ? `${key} (tests)` : key,
    folders: [...(layer.folders ?? []), ...(test ? (layer.tests.folders ?? []) : [])],
    packages: [...(layer.packages ?? []), ...(test ? (layer.tests.packages ?? []) : [])],
  };
}

/** Sorts a module specifier into a repository path, a Node builtin or a package. */
function classify(specifier, file) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:')) {
    const absolute = specifier.startsWith('file:') ? fileURLToPath(specifier) : path.resolve(REPO_ROOT, path.dirname(file), specifier);
    const target = repoPath(absolute);
    return { kind: 'path', target, what: `the path ${target}` };
  }
  const parts = specifier.split('/');
  if (specifier.startsWith('node:') || BUILTINS.has(parts[0])) {
    const name = `node:${parts[0].replace(/^node:/, '')}`;
    return { kind: 'builtin', name, what: `the Node builtin ${name}` };
  }
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return { kind: 'package', name, what: `the package ${name}` };
}

/** A package entry is an exact name, or a whole scope written `@scope/*`. */
function packageAllowed(entries, name) {
  return entries.some((entry) => (entry.endsWith('/*') ? name.startsWith(entry.slice(0, -1)) : entry === name));
}

function isAllowed(allowance, imported) {
  if (imported.kind === 'builtin') return allowance.packages.includes(NODE_BUILTINS) || allowance.packages.includes(imported.name);
  if (imported.kind === 'package') return packageAllowed(allowance.packages, imported.name);
  return !imported.target.startsWith('..') && allowance.folders.some((folder) => imported.target.startsWith(folder));
}

/** The allow-list in words, for the message. */
function describeAllowance(allowance) {
  const packages = allowance.packages.map((entry) => (entry === NODE_BUILTINS ? 'Node builtins' : entry));
  return `${allowance.folders.join(', ') || 'no folders'}; packages: ${packages.join(', ') || 'none'}`;
}

/** Calls `check(node, specifier)` for every static module specifier in a file. */
function importListeners(check) {
  const specifier = (node) => {
    if (node?.type === 'Literal' && typeof node.value === 'string') check(node, node.value);
    else if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) check(node, node.quasis[0].value.cooked);
  };
  return {
    ImportDeclaration: (node) => specifier(node.source),
    ExportNamedDeclaration: (node) => specifier(node.source),
    ExportAllDeclaration: (node) => specifier(node.source),
    ImportExpression: (node) => specifier(node.source),
    TSImportType: (node) => specifier(node.source),
    TSExternalModuleReference: (node) => specifier(node.expression),
    CallExpression: (node) => {
      if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1) specifier(node.arguments[0]);
    },
  };
}

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer (folder) names what it may import; everything else is refused.' },
    schema: [{ type: 'object', additionalProperties: { type: 'object' } }],
    messages: {
      refused: 'Layer rule: {{layer}} may import {{allowed}}; not {{what}} (\'{{specifier}}\').',
      noLayer: 'Layer rule: {{file}} is in no layer; add its folder to the layer table in eslint.config.js.',
    },
  },
  create(context) {
    const layers = context.options[0] ?? {};
    const file = repoPath(context.filename);
    const key = findLayer(layers, file);
    if (key === undefined) {
      return { Program: (node) => context.report({ node, messageId: 'noLayer', data: { file } }) };
    }
    const allowance = allowanceFor(layers, key, file);
    return importListeners((node, specifier) => {
      const imported = classify(specifier, file);
      if (isAllowed(allowance, imported)) return;
      const data = { layer: allowance.name, allowed: describeAllowance(allowance), what: imported.what, specifier };
      context.report({ node, messageId: 'refused', data });
    });
  },
};

/** The repository's local ESLint plugin (registered as `caplab` in eslint.config.js). */
export default { rules: { layers: layersRule } };
