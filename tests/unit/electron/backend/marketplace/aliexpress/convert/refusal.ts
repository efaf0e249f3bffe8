import { DeskError } from '../../../../../../../shared/errors';

/** The DeskError `run` throws; fails the test when it throws nothing or something else. */
export function refusal(run: () => unknown): DeskError {
  try {
    run();
  } catch (error) {
    if (error instanceof DeskError) return error;
    throw error;
  }
  throw new Error('expected a DeskError, but the call returned');
}
