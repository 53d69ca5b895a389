/** A problem with one input; the message names the input and shows a valid example. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    readonly problem: string,
    readonly example: string,
  ) {
    super(`Input '${input}': ${problem}. Example: ${input}: ${example}`);
    this.name = 'InputError';
  }
}

/** Several input problems reported at once, so a user fixes them in one go. */
export class InputErrors extends Error {
  constructor(readonly errors: InputError[]) {
    super(errors.length === 1 ? errors[0].message : `${errors.length} inputs are invalid:\n${errors.map((e) => `- ${e.message}`).join('\n')}`);
    this.name = 'InputErrors';
  }
}

/**
 * The action refuses to go on because acting would touch something it does not own or
 * could not work; nothing has been written when this is thrown from planning.
 */
export class RefusalError extends Error {
  constructor(
    readonly resource: string,
    message: string,
    /** What is refused, where one kind has several (a document per region). */
    readonly target?: string,
    /** Why, in two or three words, for a title: most refusals are about something that is not ours. */
    readonly why = 'not ours',
  ) {
    super(message);
    this.name = 'RefusalError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * For checks that report every problem at once: runs a part that may throw `kind`, collects
 * that error into `into` and gives the part's fallback instead; any other error is thrown.
 */
export function collecting<E extends Error>(kind: abstract new (...args: never[]) => E, into: E[]) {
  return <T>(run: () => T, fallback: T): T => {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof kind)) throw error;
      into.push(error);
      return fallback;
    }
  };
}
