/** POSIX `os.path.join(a, *parts)` (no normalisation), as official Python code builds file names. */
export function pythonPathJoin(a: string, ...parts: string[]): string {
  let out = a;
  for (const p of parts) {
    if (p.startsWith('/')) out = p;
    else if (out === '' || out.endsWith('/')) out += p;
    else out += `/${p}`;
  }
  return out;
}
