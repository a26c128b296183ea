import { RunDir } from '../core/run-dir.ts';
import { REPORT_FORMATS, writeReport, type ReportFormat } from './build-report.ts';

export { REPORT_FORMATS, type ReportFormat };

/**
 * Write the report of one run (tables, charts, HTML) into RUN/report/ unless `out` is given;
 * returns the paths written. `bench` calls this after a successful run.
 */
export async function writeRunReport(runPath: string, opts: { formats?: ReportFormat[]; out?: string; allowPartial?: boolean } = {}): Promise<string[]> {
  const run = new RunDir(runPath);
  const { files } = await writeReport({ runs: [runPath], out: opts.out ?? run.reportDir, formats: opts.formats, allowPartial: opts.allowPartial });
  return files;
}
