/**
 * Reading a model's answer: the Python program in it, or FINISH. Models wrap code in fenced
 * blocks (```python, ```py, bare ```), sometimes several; the program is the longest Python block,
 * because explanations come in short snippets.
 */

/** What an answer contains. */
export type Answer =
  | { readonly kind: 'program'; readonly code: string }
  | { readonly kind: 'finish' }
  | { readonly kind: 'none'; readonly reason: string };

const FENCE = /```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n([\s\S]*?)```/g;
const PYTHON_TAGS = new Set(['', 'python', 'py', 'python3']);

/** Parse an answer. FINISH counts only as a whole line outside code blocks. */
export function readAnswer(text: string): Answer {
  const blocks: string[] = [];
  for (const match of text.matchAll(FENCE)) {
    const tag = (match[1] ?? '').toLowerCase();
    const body = (match[2] ?? '').replace(/\s+$/, '');
    if (PYTHON_TAGS.has(tag) && body.trim()) blocks.push(body + '\n');
  }
  const outside = text.replace(FENCE, '');
  if (/^\s*\**FINISH\**\.?\s*$/m.test(outside) && blocks.length === 0) return { kind: 'finish' };
  if (blocks.length > 0) {
    return { kind: 'program', code: blocks.reduce((a, b) => (b.length > a.length ? b : a)) };
  }
  // An unfenced answer that parses as a program is accepted when it looks like code.
  const bare = text.trim();
  if (bare && /^(import |from |def |[a-z_][a-z0-9_]*\s*(=|\())/m.test(bare) && !/^[A-Z][a-z]+ [a-z]+ [a-z]+/.test(bare)) {
    return { kind: 'program', code: bare + '\n' };
  }
  return {
    kind: 'none',
    reason: bare ? 'the answer has no ```python code block and does not say FINISH' : 'the answer is empty',
  };
}
