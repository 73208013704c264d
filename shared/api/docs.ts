/**
 * API documentation text generated from the spec: Python stubs with docstrings, as the coding
 * agent's prompt shows them and as the Python client's `help()` shows them. One renderer, so the
 * prompt and the runtime never disagree.
 */
import { describeParamType, pythonLiteral } from './validate.ts';
import type { ApiFunctionSpec, ParamSpec } from './types.ts';

function pythonParam(param: ParamSpec): string {
  return param.default === undefined ? param.name : `${param.name}=${pythonLiteral(param.default)}`;
}

/** The docstring of one function: summary, details, arguments with units, return, examples. */
export function renderDocstring(spec: ApiFunctionSpec): string {
  const parts = [spec.summary];
  if (spec.details) parts.push(spec.details);
  if (spec.params.length > 0) {
    parts.push(
      `Args:\n${spec.params
        .map((p) => `    ${p.name}: ${p.description} Expects ${describeParamType(p.type)}.`)
        .join('\n')}`,
    );
  }
  parts.push(`Returns:\n    ${spec.returns.pythonType}: ${spec.returns.description}`);
  if (spec.examples && spec.examples.length > 0) {
    parts.push(`Example:\n${spec.examples.map((e) => e.replace(/^/gm, '    ')).join('\n')}`);
  }
  return parts.join('\n\n');
}

/** A Python stub (`def name(args) -> type:` plus docstring) for one function. */
export function renderStub(spec: ApiFunctionSpec): string {
  const docstring = renderDocstring(spec).replace(/^/gm, '    ').replace(/^ +$/gm, '');
  return `def ${spec.name}(${spec.params.map(pythonParam).join(', ')}) -> ${spec.returns.pythonType}:\n    """\n${docstring}\n    """`;
}

/** The API section of a prompt: every function the policy may call, as stubs. */
export function renderApiDocs(api: readonly ApiFunctionSpec[]): string {
  return api.map(renderStub).join('\n\n');
}
