/**
 * A programmer mistake in how the host configured the library. Thrown at creation or start,
 * never while serving a request.
 */
export class PowertoolsConfigError extends TypeError {
  readonly option: string;

  constructor(option: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PowertoolsConfigError';
    this.option = option;
  }
}

/**
 * A request the library refuses with a 4xx status. Its message is shown to the operator, so it
 * must never carry a stack, a query or a stored value the display policy has not seen.
 */
export class OperatorError extends Error {
  readonly status: number;
  readonly expose = true;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'OperatorError';
    this.status = status;
  }
}

/** A migration failed and its transaction was rolled back. */
export class MigrationError extends Error {
  readonly migration: string;

  constructor(migration: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
    this.migration = migration;
  }
}
