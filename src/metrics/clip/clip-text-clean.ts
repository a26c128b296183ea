/**
 * The text cleaning open_clip 2.20.0's SimpleTokenizer applies before BPE:
 * `whitespace_clean(basic_clean(text)).lower()`, where `basic_clean` is
 * `ftfy.fix_text(text)` → `html.unescape` twice → strip, and `whitespace_clean` collapses runs of
 * white space to one space and strips.
 *
 * ftfy is reproduced for the fixes that apply to text that is not mojibake: per line, repeated until
 * nothing changes — HTML entities (only on lines without "<", as ftfy's `unescape_html="auto"`),
 * Latin ligatures, half/full-width forms (NFKC of U+FF01..U+FFEF, U+3000 → space), curly quotes,
 * line breaks, terminal escape sequences, control characters, NFC. NOT reproduced (documented
 * limits, none of them reachable from GenEval's prompts, which are plain ASCII): ftfy's mojibake
 * repair (`fix_encoding`), its C1-control decoding (U+0080..U+009F as Windows-1252), lone
 * surrogates, and HTML named entities other than amp, lt, gt, quot, apos, nbsp and their upper-case
 * spellings (Python's `html.unescape` knows all of HTML5's).
 */

/** White space as the `regex` module's `\s` sees it (Unicode White_Space). */
export const PY_WHITESPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE}]+`, 'gu');
const EDGE_WHITESPACE = new RegExp(`^[${PY_WHITESPACE}\\x1c-\\x1f]+|[${PY_WHITESPACE}\\x1c-\\x1f]+$`, 'gu');

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
/** HTML5's names among them: the six plus the upper-case AMP, LT, GT, QUOT (what html.unescape knows). */
const HTML5_ENTITIES: Record<string, string> = { ...NAMED_ENTITIES, AMP: '&', LT: '<', GT: '>', QUOT: '"' };
/** ftfy's table also decodes the upper-case spelling of each (&APOS;, &NBSP;, …). */
const FTFY_ENTITIES: Record<string, string> = { ...HTML5_ENTITIES, APOS: "'", NBSP: '\u00a0' };
/** Names html.unescape also accepts without the semicolon (HTML5 legacy names). */
const LEGACY_NAMES = ['amp', 'lt', 'gt', 'quot', 'nbsp', 'AMP', 'LT', 'GT', 'QUOT'];

function charFromReference(num: number): string {
  if (num === 0 || num > 0x10ffff || (num >= 0xd800 && num <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(num);
}

/** ftfy's `unescape_html`: `&name;`, `&#N;`, `&#xH;` (semicolon required, 1–24 alphanumerics). */
function ftfyUnescapeHtml(text: string): string {
  return text.replace(/&#?[0-9A-Za-z]{1,24};/g, (m) => {
    if (m.startsWith('&#x') || m.startsWith('&#X')) {
      const hex = m.slice(3, -1);
      return /^[0-9a-fA-F]+$/.test(hex) ? charFromReference(parseInt(hex, 16)) : m;
    }
    if (m.startsWith('&#')) {
      const dec = m.slice(2, -1);
      return /^[0-9]+$/.test(dec) ? charFromReference(parseInt(dec, 10)) : m;
    }
    return FTFY_ENTITIES[m.slice(1, -1)] ?? m;
  });
}

/** Python's `html.unescape` for numeric references and the named entities above. */
export function htmlUnescape(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/g, (m, ref: string) => {
    if (ref.startsWith('#')) {
      const hex = ref[1] === 'x' || ref[1] === 'X';
      const digits = ref.slice(hex ? 2 : 1).replace(/;$/, '');
      return charFromReference(parseInt(digits, hex ? 16 : 10));
    }
    if (ref.endsWith(';') && HTML5_ENTITIES[ref.slice(0, -1)] !== undefined) return HTML5_ENTITIES[ref.slice(0, -1)]!;
    // longest legacy name that prefixes the reference (e.g. "&ampx" → "&x")
    for (let n = Math.min(ref.length, 32); n > 1; n--) {
      const name = ref.slice(0, n);
      if (LEGACY_NAMES.includes(name)) return HTML5_ENTITIES[name]! + ref.slice(n);
    }
    return m;
  });
}

const LIGATURES: Record<string, string> = {
  '\u0132': 'IJ', '\u0133': 'ij', '\u0149': '\u02bcn', '\u01f1': 'DZ', '\u01f2': 'Dz', '\u01f3': 'dz',
  '\u01c4': 'D\u017d', '\u01c5': 'D\u017e', '\u01c6': 'd\u017e', '\u01c7': 'LJ', '\u01c8': 'Lj', '\u01c9': 'lj',
  '\u01ca': 'NJ', '\u01cb': 'Nj', '\u01cc': 'nj', '\ufb00': 'ff', '\ufb01': 'fi', '\ufb02': 'fl', '\ufb03': 'ffi',
  '\ufb04': 'ffl', '\ufb05': '\u017ft', '\ufb06': 'st',
};
const LIGATURE_RE = new RegExp(`[${Object.keys(LIGATURES).join('')}]`, 'gu');

function fixCharacterWidth(text: string): string {
  return text.replace(/[\u3000\uff01-\uffef]/gu, (c) => (c === '\u3000' ? ' ' : c.normalize('NFKC')));
}

// ftfy's control characters: U+0000–0008, 000B, 000E–001F, 007F, 206A–206F, FEFF, FFF9–FFFC
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f\u206a-\u206f\ufeff\ufff9-\ufffc]/gu;
const TERMINAL_ESCAPES = /\u001b\[((?:\d|;)*)([a-zA-Z])/g;

function fixSegmentOnce(text: string, unescape: boolean): string {
  let t = unescape ? ftfyUnescapeHtml(text) : text;
  t = t.replace(LIGATURE_RE, (c) => LIGATURES[c]!);
  t = fixCharacterWidth(t);
  t = t.replace(/[\u02bc\u2018-\u201b]/gu, "'").replace(/[\u201c-\u201f]/gu, '"');
  t = t.replace(/\r\n/g, '\n').replace(/[\r\u2028\u2029\u0085]/gu, '\n');
  t = t.replace(TERMINAL_ESCAPES, '');
  t = t.replace(CONTROL_CHARS, '');
  return t.normalize('NFC');
}

/** `ftfy.fix_text` (default settings) within the limits stated above. */
export function ftfyFixText(text: string): string {
  const out: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    const br = text.indexOf('\n', pos);
    const end = br < 0 ? text.length : br + 1;
    let seg = text.slice(pos, end);
    const unescape = !seg.includes('<');
    for (;;) {
      const next = fixSegmentOnce(seg, unescape);
      if (next === seg) break;
      seg = next;
    }
    out.push(seg);
    pos = end;
  }
  return out.join('');
}

/** `whitespace_clean(basic_clean(text)).lower()` of open_clip's tokenizer. */
export function clipCleanText(text: string): string {
  let t = htmlUnescape(htmlUnescape(ftfyFixText(text)));
  t = t.replace(EDGE_WHITESPACE, '');
  t = t.replace(WHITESPACE_RUN, ' ').replace(EDGE_WHITESPACE, '');
  return t.toLowerCase();
}
