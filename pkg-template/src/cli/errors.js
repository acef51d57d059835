// Exit codes and the errors that carry them. Every message here is written for the person at the
// terminal and never contains a secret, a signature or any part of an API key.

export const EXIT = Object.freeze({
  OK: 0,
  FAILED: 1, // the check said no: invalid signature, key mismatch, non-2xx answer
  USAGE: 2, // bad option or argument, no secret available, unreadable input
  NETWORK: 3, // no answer, timeout, connection refused, port taken
  INTERNAL: 4, // a bug in this tool
  INTERRUPTED: 130, // Ctrl-C at a prompt or during a request (128 + SIGINT)
});

/** A mistake in how the tool was called, or input it cannot use: exit 2. */
export class UsageError extends Error {
  constructor(message, { command } = {}) {
    super(message);
    this.name = 'UsageError';
    this.exitCode = EXIT.USAGE;
    this.command = command;
  }
}

/** A request that got no answer (refused, reset, timed out) or a port that cannot be bound: exit 3. */
export class NetworkError extends Error {
  constructor(message) {
    super(message);
    this.name = 'NetworkError';
    this.exitCode = EXIT.NETWORK;
  }
}

/** Ctrl-C at a prompt: exit 130. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
    this.exitCode = EXIT.INTERRUPTED;
  }
}
