import { describeError } from '../errors.js';
import { outputsOf, setOutputs, type Stage, type StageResults } from './outputs.js';
import { renderJobSummary, writeJobSummary, type KnownResults, type RunContext } from './summary.js';

/**
 * The step's Actions I/O: the pipeline hands it each stage's result as it comes. Outputs are set at once,
 * so a later failure keeps them; the job summary is written once, when the step ends either way.
 */
export class RunReport {
  private readonly known: KnownResults = {};

  constructor(private readonly context: RunContext) {}

  /** Sets the stage's outputs and keeps its result for the summary; returns the result. */
  record<S extends Stage>(stage: S, result: StageResults[S]): StageResults[S] {
    setOutputs(outputsOf(stage, result));
    this.known[stage] = result;
    return result;
  }

  /** Writes the job summary of a step that ran to its end (a failed rollout included). */
  async finish(): Promise<void> {
    await writeJobSummary(renderJobSummary(this.known, this.context));
  }

  /** Writes the job summary of a step an error ended: every section known, and the error's line. */
  async finishFailed(err: unknown): Promise<void> {
    try {
      await writeJobSummary(renderJobSummary(this.known, this.context, describeError(err)));
    } catch {
      // The error that ended the step is the one to report, not a summary file that cannot be written.
    }
  }
}
