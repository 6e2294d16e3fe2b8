/**
 * The MIT profile syntax (krb5.conf(5), "Structure"): sections `[name]`, relations
 * `tag = value`, subsections `tag = { ... }`, comment lines starting with '#' or ';',
 * the final marker '*' after a section name, tag or closing brace, and `include FILE` /
 * `includedir DIR` lines. Tags and section names are case-sensitive, as in MIT.
 * Files are read through injected callbacks, so this stays pure.
 *
 * Values are kept in order; a single-valued lookup takes the first (profile_get_string).
 * A final relation or section takes no further values from later files.
 */
import { gssError } from '../../../core/errors.ts';

export interface ProfileNode {
  /** tag -> values in order; a value is a string or a subsection. */
  relations: Map<string, Array<string | ProfileNode>>;
  /** tag -> number of the file that marked it final (later files add nothing). */
  finalTags: Map<string, number>;
  /** Number of the file that marked this section final, if any. */
  finalIn?: number;
}

export interface ProfileReadOptions {
  /** Returns a file's text, or undefined when it does not exist. */
  readFile?: (path: string) => string | undefined;
  /** Lists the file names (not paths) in a directory, or undefined when it does not exist. */
  listDir?: (path: string) => string[] | undefined;
  /** Name used in error messages for the top-level text. */
  path?: string;
}

const MAX_INCLUDE_DEPTH = 16;
const MAX_FILES = 256;

export const newNode = (): ProfileNode => ({ relations: new Map(), finalTags: new Map() });

function syntax(path: string, line: number, message: string): never {
  throw gssError('MALFORMED', `${path}:${line}: ${message}`, { origin: 'local', details: { path, line } });
}

function add(
  node: ProfileNode,
  tag: string,
  value: string | ProfileNode,
  final: boolean,
  file: number,
): void {
  if (node.finalIn !== undefined && node.finalIn !== file) return;
  const finalIn = node.finalTags.get(tag);
  if (finalIn !== undefined && finalIn !== file) return;
  let list = node.relations.get(tag);
  if (!list) node.relations.set(tag, (list = []));
  list.push(value);
  if (final) node.finalTags.set(tag, file);
}

function unquote(raw: string, path: string, line: number): string {
  let out = '';
  for (let i = 1; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"') {
      if (raw.slice(i + 1).trim() !== '') syntax(path, line, 'text after a closing quote');
      return out;
    }
    if (c === '\\') {
      const n = raw[++i];
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'b' ? '\b' : (n ?? '');
    } else out += c;
  }
  return syntax(path, line, 'unterminated quoted string');
}

/** MIT includedir: names of only alphanumerics, '-' and '_', or ending in '.conf' (not dotfiles). */
const includedName = (name: string) =>
  /^[A-Za-z0-9_-]+$/.test(name) || (/\.conf$/.test(name) && !name.startsWith('.'));

interface ParseState {
  files: number;
  options: ProfileReadOptions;
}

function parseInto(root: ProfileNode, text: string, path: string, depth: number, st: ParseState): void {
  if (++st.files > MAX_FILES) syntax(path, 0, `more than ${MAX_FILES} files included`);
  const file = st.files;
  let section: ProfileNode | undefined;
  const stack: ProfileNode[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!.replace(/\r$/, '');
    const t = raw.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const inc = /^(include|includedir)\s+(.+?)\s*$/.exec(raw);
    if (inc && stack.length === 0) {
      if (depth >= MAX_INCLUDE_DEPTH) syntax(path, lineNo, 'includes nested too deeply');
      const target = inc[2]!;
      if (inc[1] === 'include') {
        const body = st.options.readFile?.(target);
        if (body === undefined) syntax(path, lineNo, `cannot read included file ${target}`);
        parseInto(root, body, target, depth + 1, st);
      } else {
        const names = st.options.listDir?.(target);
        if (names === undefined) syntax(path, lineNo, `cannot list included directory ${target}`);
        for (const name of [...names].filter(includedName).sort()) {
          const file = `${target.replace(/\/+$/, '')}/${name}`;
          const body = st.options.readFile?.(file);
          if (body !== undefined) parseInto(root, body, file, depth + 1, st);
        }
      }
      continue;
    }
    if (t.startsWith('[')) {
      if (stack.length) syntax(path, lineNo, 'section header inside braces');
      const m = /^\[([^\]]+)\](\*?)\s*$/.exec(t);
      if (!m) syntax(path, lineNo, 'bad section header');
      const name = m[1]!.trim();
      let existing = root.relations.get(name)?.[0];
      if (typeof existing !== 'object') {
        existing = newNode();
        add(root, name, existing, false, file);
      }
      section = existing;
      if (m[2] && section.finalIn === undefined) section.finalIn = file;
      continue;
    }
    if (!section) syntax(path, lineNo, 'relation outside of a section');
    if (t.startsWith('}')) {
      if (!stack.length) syntax(path, lineNo, 'unmatched closing brace');
      const closed = stack.pop()!;
      if (t === '}*') closed.finalIn ??= file;
      else if (t !== '}') syntax(path, lineNo, 'text after a closing brace');
      continue;
    }
    const eq = t.indexOf('=');
    if (eq <= 0) syntax(path, lineNo, "expected 'tag = value'");
    let tag = t.slice(0, eq).trim();
    let final = false;
    if (tag.endsWith('*')) {
      final = true;
      tag = tag.slice(0, -1).trim();
    }
    if (tag === '' || /\s/.test(tag)) syntax(path, lineNo, `bad tag '${tag}'`);
    const value = t.slice(eq + 1).trim();
    const parent = stack[stack.length - 1] ?? section;
    if (value === '{') {
      const child = newNode();
      add(parent, tag, child, final, file);
      stack.push(child);
    } else add(parent, tag, value.startsWith('"') ? unquote(value, path, lineNo) : value, final, file);
  }
  if (stack.length) syntax(path, lines.length, 'missing closing brace');
}

/** Parses profile text (following includes through the callbacks) into a tree. */
export function parseProfile(text: string, options: ProfileReadOptions = {}, into = newNode()): ProfileNode {
  // Files parsed into the same tree keep counting, so 'final' applies across calls too.
  const st = { files: filesParsed.get(into) ?? 0, options };
  try {
    parseInto(into, text, options.path ?? 'krb5.conf', 0, st);
  } finally {
    filesParsed.set(into, st.files);
  }
  return into;
}

const filesParsed = new WeakMap<ProfileNode, number>();

/** Every string value of `tag` in `node` (subsections skipped). */
export const strings = (node: ProfileNode | undefined, tag: string): string[] =>
  (node?.relations.get(tag) ?? []).filter((v): v is string => typeof v === 'string');

/** The first string value of `tag`. */
export const first = (node: ProfileNode | undefined, tag: string): string | undefined =>
  strings(node, tag)[0];

/** Every subsection value of `tag`. */
export const sections = (node: ProfileNode | undefined, tag: string): ProfileNode[] =>
  (node?.relations.get(tag) ?? []).filter((v): v is ProfileNode => typeof v === 'object');
